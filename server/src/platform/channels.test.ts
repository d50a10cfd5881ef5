import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, makeOrg, makeUser, startTestApp, type TestContext, type UserFixture } from '../../test/harness.js';
import { deliver, drainOutbox, drainOutboxJob } from '../modules/inbox/deliver.js';
import { activeChannelNames, parseChannelNames, registerChannel } from './channels.js';
import type { Db } from './db.js';
import { runDueJobs, type JobLog } from './scheduler.js';

let ctx: TestContext;
let db: Db;
let users: UserFixture[];
const PHONE = '13812345678';

type Row = Record<string, unknown>;
beforeAll(async () => {
  ctx = await startTestApp();
  db = ctx.database.db;
  const branch = await makeOrg(db, await makeOrg(db, null), { name: '办公室党支部' });
  users = [];
  for (const name of ['张伟', '李娜']) users.push(await makeUser(db, [{ role: 'member' }], { memberId: (await makeMember(db, branch, { name, phone: PHONE }).then((m) => m.id)) }));
});
afterAll(async () => ctx?.close());
afterEach(() => { delete process.env.NOTIFY_CHANNELS; });

/** A logger that keeps what it was given, as pino would write it. */
function capturingLog() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const keep = (obj: unknown, msg?: string) => { lines.push({ obj: obj as Record<string, unknown>, msg: msg ?? '' }); };
  const log: JobLog = { info: keep, warn: keep, error: keep, debug: keep } as unknown as JobLog;
  return { log, lines };
}

let seq = 0;
async function deliverToBoth(title: string) {
  seq++;
  return deliver(db, {
    kind: 'reminder', title, body: '请登录党建云查看', link: `/me/inbox`, sourceType: 'test', sourceId: String(seq), dedupeKey: `channels:${seq}`,
    recipients: sql`select id from users where id in (${users[0]!.id}, ${users[1]!.id})`,
  });
}

const outbox = async () => (await db.execute<{ channel: string; user_id: string; state: string; attempts: number; last_error: string | null } & Row>(sql`
  select channel, user_id::text, state, attempts, last_error from channel_outbox order by id`)).rows;

describe('NOTIFY_CHANNELS', () => {
  it('turns on the named channels and refuses an unknown one', () => {
    expect(parseChannelNames(' SMS, email,sms ')).toEqual(['sms', 'email']);
    expect(parseChannelNames('')).toEqual([]);
    expect(() => parseChannelNames('sms,fax')).toThrow('fax');
    expect(activeChannelNames({ NOTIFY_CHANNELS: 'wechat' })).toEqual(['wechat']);
  });

  it('queues nothing for the outside channels when none is on: the inbox alone', async () => {
    expect(await deliverToBoth('只在站内')).toBe(2);
    expect(await outbox()).toEqual([]);
  });
});

describe('the development channel', () => {
  it('writes to the log what it would send, by user id, never a phone number', async () => {
    process.env.NOTIFY_CHANNELS = 'sms,email';
    expect(await deliverToBoth('三会一课即将到期')).toBe(2);
    expect((await outbox()).map((r) => `${r.channel}:${r.user_id}`).sort()).toEqual([
      `email:${users[0]!.id}`, `email:${users[1]!.id}`, `sms:${users[0]!.id}`, `sms:${users[1]!.id}`,
    ].sort());
    const { log, lines } = capturingLog();
    expect(await drainOutbox(db, new Date(), log)).toBe(4);
    const sent = lines.filter((l) => l.msg.includes('development channel'));
    expect(sent.map((l) => `${String(l.obj.channel)}:${String(l.obj.userId)}`).sort()).toEqual([
      `email:${users[0]!.id}`, `email:${users[1]!.id}`, `sms:${users[0]!.id}`, `sms:${users[1]!.id}`,
    ].sort());
    expect(sent[0]!.obj).toMatchObject({ title: '三会一课即将到期', body: '请登录党建云查看', link: '/me/inbox' });
    const written = JSON.stringify(lines);
    expect(written).not.toContain(PHONE);
    expect(written).not.toContain('138****5678');
    expect(written).not.toContain('5678');
    expect(await outbox()).toEqual([]);
  });

  it('is drained by a job that the delivery queues, once however many deliveries queued it', async () => {
    process.env.NOTIFY_CHANNELS = 'wechat';
    await deliverToBoth('考试已开放');
    await deliverToBoth('补学提醒');
    const queued = (await db.execute<{ n: number } & Row>(sql`select count(*)::int as n from scheduled_jobs where kind = 'channels.drain' and state = 'pending'`)).rows[0]!.n;
    expect(Number(queued)).toBe(1);
    const { log, lines } = capturingLog();
    expect(await runDueJobs(db, [drainOutboxJob], new Date(Date.now() + 1000), log)).toBeGreaterThanOrEqual(1);
    expect(lines.filter((l) => l.msg.includes('development channel')).map((l) => l.obj.title).sort()).toEqual(['考试已开放', '考试已开放', '补学提醒', '补学提醒'].sort());
    expect(await outbox()).toEqual([]);
  });
});

describe('a provider that fails', () => {
  it('keeps the messages for a later attempt with the reason, and gives up after the last attempt', async () => {
    process.env.NOTIFY_CHANNELS = 'wechat';
    let calls = 0;
    registerChannel({
      name: 'wechat',
      async send(messages) {
        calls++;
        // the provider takes the first user's message and refuses the second's
        return new Map(messages.filter((m) => m.userId === users[1]!.id).map((m) => [m.outboxId, 'template 43101: user refused']));
      },
    });
    await deliverToBoth('换届提醒');
    const { log } = capturingLog();
    const start = Date.now() + 1000;
    expect(await drainOutbox(db, new Date(start), log)).toBe(1);
    expect(await outbox()).toMatchObject([{ channel: 'wechat', user_id: users[1]!.id, state: 'pending', attempts: 1, last_error: 'template 43101: user refused' }]);
    // not again before its delay
    expect(await drainOutbox(db, new Date(start + 10_000), log)).toBe(0);
    expect(calls).toBe(1);
    for (let hour = 1; hour <= 6; hour++) await drainOutbox(db, new Date(start + hour * 3_600_000), log);
    expect(calls).toBe(5);
    expect(await outbox()).toMatchObject([{ state: 'failed', attempts: 5 }]);
  });
});
