import type { JobLog } from './scheduler.js';

/**
 * The channels beyond the console's inbox. The inbox is always written; each channel named in
 * NOTIFY_CHANNELS (comma-separated: sms, wechat, email) also gets every delivered item, queued in
 * channel_outbox with the delivery and sent in batches by a job. A site plugs a provider in with
 * registerChannel; a channel without a provider is the development channel, which writes what it
 * would send to the server log: the recipient's user id, never a phone number, address or openid.
 */
export const CHANNEL_NAMES = ['sms', 'wechat', 'email'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface ChannelMessage {
  outboxId: string;
  userId: string;
  title: string;
  body: string | null;
  /** The console's path of the item; a provider prefixes the site's address. */
  link: string;
}

/** What a send could not deliver, by outbox id, with the provider's reason. */
export type SendFailures = Map<string, string>;

export interface Channel {
  name: ChannelName;
  /** Sends a batch; resolves with the messages that failed (the rest count as sent). Rejecting fails the whole batch. */
  send(messages: readonly ChannelMessage[], log: JobLog): Promise<SendFailures>;
}

/** Writes each message to the log instead of sending it: what development and tests see. */
export function developmentChannel(name: ChannelName): Channel {
  return {
    name,
    async send(messages, log) {
      for (const m of messages) {
        log.info({ channel: name, userId: m.userId, outboxId: m.outboxId, title: m.title, body: m.body, link: m.link }, `${name} message (development channel: not sent)`);
      }
      return new Map();
    },
  };
}

const providers = new Map<ChannelName, Channel>();

/** A real provider for a channel (an SMS gateway, WeChat's template API, SMTP), replacing the development channel. */
export function registerChannel(channel: Channel): void {
  providers.set(channel.name, channel);
}

export function channelFor(name: ChannelName): Channel {
  return providers.get(name) ?? developmentChannel(name);
}

let parsed: { raw: string; names: ChannelName[] } | null = null;

/** The channels NOTIFY_CHANNELS turns on (read on each call, so a test or a restart may change it). */
export function activeChannelNames(env: NodeJS.ProcessEnv = process.env): ChannelName[] {
  const raw = env.NOTIFY_CHANNELS ?? '';
  if (parsed?.raw === raw) return parsed.names;
  const names = parseChannelNames(raw);
  parsed = { raw, names };
  return names;
}

export function parseChannelNames(raw: string): ChannelName[] {
  const names = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !(CHANNEL_NAMES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`NOTIFY_CHANNELS names unknown channels: ${unknown.join(', ')} (known: ${CHANNEL_NAMES.join(', ')})`);
  return [...new Set(names)] as ChannelName[];
}
