import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
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

/** Query parameters whose values are never logged: secrets, and what a person searches for (names, phones, ID numbers). */
const SECRET_PARAM = /token|secret|pass|key|code|sig|auth|session|csrf|ticket|^q$|query|search|keyword|name|phone|mobile|mail|card|id_?no|number|address/i;
/** Values that say nothing about a person: numbers of up to 6 digits, booleans, UUIDs, dates, short enum words. */
const PLAIN_VALUE = /^(?:\d{1,6}|true|false|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}(?:-\d{2})?|[a-z][a-z_-]{0,23}(?:,[a-z][a-z_-]{0,23})*)$/i;

/**
 * A request's URL as the log shows it: the path, and each query parameter's value only when it is
 * plainly not a secret nor personal data (`?page=2&status=active`); any other value is "…".
 */
export function loggableUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const params = new URLSearchParams(url.slice(mark + 1));
  const shown = [...params].map(([key, value]) => `${key}=${!SECRET_PARAM.test(key) && PLAIN_VALUE.test(value) ? value : '…'}`);
  return shown.length ? `${url.slice(0, mark)}?${shown.join('&')}` : url.slice(0, mark);
}

/** Requests that are noise at info level: the console's files (everything outside /api), health checks, docs, metrics. */
export function isRoutineRequest(method: string, url: string): boolean {
  const pathname = url.split('?')[0]!;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return !pathname.startsWith('/api/') || /^\/api\/(?:health(?:\/|$)|docs(?:\/|$)|openapi\.json$)/.test(pathname) || pathname === '/metrics';
}

const REPEAT_MS = 60_000;
const REPEAT_MEMORY = 2_000;

interface RequestLike {
  method: string;
  url: string;
  session?: { actor: { userId: string } } | null;
  log: Pick<FastifyBaseLogger, 'debug' | 'info' | 'error'>;
}

/**
 * Fastify's request log lines, one per request instead of two ("incoming request" is not logged),
 * written when the answer is sent: method, URL (loggableUrl), status, milliseconds and the
 * signed-in user's id; the request id comes from the request's logger. At info: API calls. At
 * debug: routine requests (isRoutineRequest) and a successful GET the same user made within the
 * last minute (a page that polls: import progress, a projector, an exam's clock). At error: server
 * errors (5xx) and answers that failed. Fastify's other lines (stream and serializer errors) are kept.
 */
export class RequestLogController extends LogController {
  private readonly lastSeen = new Map<string, number>();

  override incomingRequest(): void {}

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: loggableUrl(request.url) }, 'route not found');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    this.logCompleted(error, request, reply);
  }

  /** requestCompleted for anything shaped like a request (the tests call it directly). */
  logCompleted(error: Error | null | undefined, request: RequestLike, reply: { statusCode: number; elapsedTime: number }): void {
    const status = reply.statusCode;
    const url = loggableUrl(request.url);
    const userId = request.session?.actor.userId;
    let level: 'debug' | 'info' | 'error' = error || status >= 500 ? 'error' : isRoutineRequest(request.method, request.url) ? 'debug' : 'info';
    if (level === 'info' && request.method === 'GET' && status < 400) {
      const key = `${userId ?? ''} ${url}`;
      const now = Date.now();
      const previous = this.lastSeen.get(key);
      if (previous !== undefined && now - previous < REPEAT_MS) level = 'debug';
      this.lastSeen.delete(key);
      this.lastSeen.set(key, now);
      // the oldest entry goes first (a Map iterates in insertion order)
      if (this.lastSeen.size > REPEAT_MEMORY) this.lastSeen.delete(this.lastSeen.keys().next().value!);
    }
    const ms = Math.round(reply.elapsedTime);
    request.log[level]({ method: request.method, url, status, ms, ...(userId ? { userId } : {}), ...(error ? { err: error } : {}) },
      `${request.method} ${url} ${status} ${ms} ms`);
  }
}
