import { stdSerializers } from 'pino';

/** Properties a database error carries that hold values of the row or the statement. */
const VALUE_KEYS = new Set(['params', 'parameters', 'detail', 'where', 'values']);

/**
 * The logger's `err` serializer. A failed statement's error (drizzle's DrizzleQueryError and the
 * driver's error as its cause) carries the statement's parameter values and PostgreSQL's detail line
 * ("Key (username)=(zhangsan) already exists"): usernames, phones, names. The log keeps the statement,
 * the error codes and the stack; the values are dropped and quoted values in messages are elided.
 */
export function redactedError(error: Error): { type: string; message: string; stack: string; [key: string]: unknown } {
  return scrub(stdSerializers.err(error), 0) as { type: string; message: string; stack: string };
}

function scrub(value: unknown, depth: number): unknown {
  if (depth > 5 || !value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (VALUE_KEYS.has(key)) continue;
    if ((key === 'message' || key === 'stack') && typeof item === 'string') out[key] = elideValues(item);
    else if (key === 'cause' || key === 'err' || key === 'error') out[key] = scrub(item instanceof Error ? stdSerializers.err(item) : item, depth + 1);
    else out[key] = item;
  }
  return out;
}

/** Drops drizzle's "params: …" line and the quoted values PostgreSQL puts in messages. */
export function elideValues(text: string): string {
  return text
    .replace(/^params: .*$/gm, 'params: [redacted]')
    .replace(/(invalid input (?:syntax|value) for [^:]*: )".*?"/g, '$1"…"')
    .replace(/\(([^()]*)\)=\((.*?)\)/g, '($1)=(…)');
}
