import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { executePrepared, type Database, type Queryable } from './db.js';
import type { Actor } from './actor.js';
import { SessionCache } from './session-cache.js';
import { TurnBatch } from './turn-batch.js';

export const SESSION_COOKIE = 'dj_sid';
export const CSRF_HEADER = 'x-csrf-token';
/** Idle sessions end after 12 hours; any session ends after 7 days. */
const IDLE_MS = 12 * 3600_000;
const MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * The branches the user liaises with today (委员联系支部, issue #15), read in the session's one query:
 * they are read-only paths like an inspector's grants. The liaisons module owns the table; its trigger
 * tells the session cache when an assignment changes, and the cache's ten minutes bound the lag of an
 * assignment that starts or ends by its dates.
 */
const liaisonPaths = sql`(select coalesce(json_agg(lo.path::text), '[]') from org_liaisons l join orgs lo on lo.id = l.org_id and lo.dissolved_at is null
     where l.user_id = u.id and l.ended_at is null and l.from_date <= (now() at time zone 'Asia/Shanghai')::date
       and (l.until_date is null or l.until_date >= (now() at time zone 'Asia/Shanghai')::date))`;

const sessionIdOf = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');

export interface SessionActor {
  actor: Actor;
  sessionId: string;
  csrfToken: string;
  /** An administrator reset the password: nothing but choosing a new one until it is done. */
  mustChangePassword: boolean;
}

/** A role as the signed-in user sees it (GET /api/auth/me), in the order the roles were given. */
export interface UserRole { role: string; orgId: string | null; orgName: string | null }

/**
 * Signs a user in with one statement: it stores a new session together with `alongside` (more
 * data-modifying CTEs, e.g. the sign-in's audit row: all or nothing) and answers what loadSession
 * reads, so this process remembers the session without reading it back, and the user's roles with
 * their orgs' names. The token goes in the cookie; the table keeps its hash.
 */
export async function startSession(
  database: Database, userId: string, ip: string, userAgent: string | undefined, alongside: SQL[], cache?: SessionCache<LoadedSession>,
): Promise<{ token: string; session: SessionActor; roles: UserRole[] }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const id = sessionIdOf(token);
  const generation = cache?.begin() ?? -1;
  const ctes = alongside.map((statement, k) => sql`${sql.raw(`also_${k}`)} as (${statement}), `);
  const rows = await executePrepared<SessionRow & { user_roles: UserRole[] | string }>(database.db, sql`
    with ${sql.join(ctes)}stored as (
      insert into sessions (id, user_id, csrf_token, ip, user_agent, expires_at)
      values (${id}, ${userId}, ${crypto.randomBytes(24).toString('base64url')}, ${ip}, ${userAgent?.slice(0, 300) ?? null}, now() + ${`${MAX_AGE_MS} milliseconds`}::interval)
      returning id, csrf_token, last_seen_at, expires_at)
    select s.id as session_id, s.csrf_token, s.last_seen_at, s.expires_at, u.id as user_id, u.username, u.display_name, u.member_id, u.must_change_password,
           coalesce(json_agg(json_build_object('role', r.role, 'path', case when o.dissolved_at is null then o.path::text end)) filter (where r.id is not null), '[]') as roles,
           ${liaisonPaths} as liaison_paths,
           coalesce(json_agg(json_build_object('role', r.role, 'orgId', r.org_id::text, 'orgName', o.name) order by r.id) filter (where r.id is not null), '[]') as user_roles
      from stored s
      join users u on u.id = ${userId}
      left join user_roles r on r.user_id = u.id
      left join orgs o on o.id = r.org_id
     group by s.id, s.csrf_token, s.last_seen_at, s.expires_at, u.id`);
  const row = rows[0]!;
  const loaded = loadedSessionOf(row, new Date(row.last_seen_at).getTime());
  cache?.set(id, loaded.actor.userId, loaded, generation);
  const roles = typeof row.user_roles === 'string' ? (JSON.parse(row.user_roles) as UserRole[]) : row.user_roles;
  return { token, session: withIp(loaded, ip), roles };
}

type RoleRow = { role: string; path: string | null };
type SessionRow = {
  session_id: string; csrf_token: string; last_seen_at: string | Date; expires_at: string | Date; user_id: string | number; username: string;
  display_name: string; member_id: string | number | null; must_change_password: boolean; roles: RoleRow[] | string;
  liaison_paths: string[] | string;
} & Record<string, unknown>;

/** What a process remembers of a session (the actor without the request's address). */
export interface LoadedSession {
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
  actor: Omit<Actor, 'ip'>;
  lastSeenAt: number;
  expiresAt: number;
}

/** Sessions served recently by this process: at most 50,000 (~0.5 kB each), each for at most 10 minutes. */
export const newSessionCache = () => new SessionCache<LoadedSession>({ maxEntries: 50_000, ttlMs: 10 * 60_000 });

const withIp = (s: LoadedSession, ip: string): SessionActor => ({ sessionId: s.sessionId, csrfToken: s.csrfToken, mustChangePassword: s.mustChangePassword, actor: { ...s.actor, ip } });

/**
 * The session of a cookie, from this process's cache (see session-cache.ts) or with one query: the
 * session, its user and the user's roles with the paths of their orgs.
 */
export async function loadSession(
  database: Database, token: string, ip: string, cache?: SessionCache<LoadedSession>, lastSeen?: LastSeenWriter,
): Promise<SessionActor | null> {
  const touch = (id: string) => (lastSeen ? lastSeen.touch(id) : writeLastSeen(database, [id]));
  const id = sessionIdOf(token);
  const now = Date.now();
  const hit = cache?.get(id, now);
  if (hit) {
    const s = hit.value;
    if (now < s.expiresAt && now - s.lastSeenAt <= IDLE_MS) {
      if (now - s.lastSeenAt > 60_000) {
        s.lastSeenAt = now;
        await touch(id);
      }
      return withIp(s, ip);
    }
    // lapsed here: the database decides (another process may have seen the session since)
    cache!.remove(id, hit.userId);
  }
  const generation = cache?.begin() ?? -1;
  const row = await sessionReaderOf(database).read(id);
  if (!row) return null;
  let lastSeenAt = new Date(row.last_seen_at).getTime();
  // sliding idle timeout, written at most once a minute per session
  if (now - lastSeenAt > 60_000) {
    await touch(id);
    lastSeenAt = now;
  }
  const loaded = loadedSessionOf(row, lastSeenAt);
  cache?.set(id, loaded.actor.userId, loaded, generation, now);
  return withIp(loaded, ip);
}

/** Sessions by id (sha-256 of their tokens) with their users and roles: those not expired nor idle too long. */
async function readSessions(database: Database, ids: string[]): Promise<SessionRow[]> {
  return executePrepared<SessionRow>(database.db, sql`
    select s.id as session_id, s.csrf_token, s.last_seen_at, s.expires_at, u.id as user_id, u.username, u.display_name, u.member_id, u.must_change_password,
           coalesce(json_agg(json_build_object('role', r.role, 'path', o.path::text)) filter (where r.id is not null), '[]') as roles,
           ${liaisonPaths} as liaison_paths
      from sessions s
      join users u on u.id = s.user_id and u.disabled_at is null
      left join user_roles r on r.user_id = u.id
      left join orgs o on o.id = r.org_id and o.dissolved_at is null
     where s.id = any(${sql.param(ids)}::text[]) and s.expires_at > now() and s.last_seen_at > now() - ${`${IDLE_MS} milliseconds`}::interval
     group by s.id, u.id`);
}

/**
 * Sessions this process does not remember, read together: the requests that arrive in the same turn
 * of the event loop share one query (thousands of members opening an exam in the same second, every
 * user after a restart) instead of one query each (platform/turn-batch.ts). A request waits at most for the end of
 * the turn.
 */
export class SessionReader {
  private readonly batch: TurnBatch<string, SessionRow | undefined>;

  constructor(database: Database, maxIds = 500) {
    this.batch = new TurnBatch(async (ids) => {
      const byId = new Map((await readSessions(database, [...new Set(ids)])).map((r) => [r.session_id, r]));
      return ids.map((id) => byId.get(id));
    }, maxIds);
  }

  /** Statements sent, for the tests. */
  get statements(): number {
    return this.batch.statements;
  }

  read(id: string): Promise<SessionRow | undefined> {
    return this.batch.ask(id);
  }
}

const sessionReaders = new WeakMap<Database, SessionReader>();
export function sessionReaderOf(database: Database): SessionReader {
  let reader = sessionReaders.get(database);
  if (!reader) sessionReaders.set(database, reader = new SessionReader(database));
  return reader;
}

/** What a process remembers of a session, from the row loadSession's query (or startSession's) answers. */
function loadedSessionOf(row: SessionRow, lastSeenAt: number): LoadedSession {
  const roles = typeof row.roles === 'string' ? (JSON.parse(row.roles) as RoleRow[]) : row.roles;
  const liaisons = typeof row.liaison_paths === 'string' ? (JSON.parse(row.liaison_paths) as string[]) : row.liaison_paths;
  const readPaths = [...new Set([...roles.filter((r) => r.role === 'inspector' && r.path).map((r) => r.path!), ...liaisons])];
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password === true,
    actor: {
      userId: String(row.user_id),
      username: row.username,
      displayName: row.display_name,
      memberId: row.member_id == null ? null : String(row.member_id),
      isPlatformAdmin: roles.some((r) => r.role === 'platform_admin'),
      isJudge: roles.some((r) => r.role === 'judge'),
      adminPaths: Object.freeze(roles.filter((r) => r.role === 'org_admin' && r.path).map((r) => r.path!)) as string[],
      ...(readPaths.length ? { readPaths: Object.freeze(readPaths) as string[] } : {}),
    },
    lastSeenAt,
    expiresAt: new Date(row.expires_at).getTime(),
  };
}

const writeLastSeen = async (database: Database, ids: string[]) => {
  await executePrepared(database.db, sql`update sessions set last_seen_at = now() where id = any(${sql.param(ids)}::text[])`);
};

/**
 * The sliding idle timeout's writes, gathered: a session seen again after a minute is marked here,
 * and one statement a second writes every marked session's last-seen time. Under load that is one
 * write a second per process instead of one per request (each its own commit); the idle timeout is
 * hours, so a second's delay changes nothing. A failed write keeps its sessions for the next one;
 * `flush` (at close) writes what is left.
 */
export class LastSeenWriter {
  private marked = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly database: Database, private readonly delayMs = 1000) {}

  touch(sessionId: string): void {
    this.marked.add(sessionId);
    this.schedule();
  }

  /** Writes the marked sessions now (after any write under way). */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const ids = [...this.marked];
    this.marked.clear();
    if (ids.length === 0) return this.writing;
    this.writing = this.writing.then(() => writeLastSeen(this.database, ids)).catch((error: unknown) => {
      for (const id of ids) this.marked.add(id);
      console.warn(`sessions: last-seen times not written (${(error as Error).message})`);
      this.schedule();
    });
    return this.writing;
  }

  /** At shutdown, before the database closes: writes what is marked, and no more retries. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private schedule(): void {
    if (this.timer || this.closed || this.marked.size === 0) return;
    this.timer = setTimeout(() => { this.timer = null; void this.flush(); }, this.delayMs);
    this.timer.unref();
  }
}

export async function deleteSession(q: Queryable, sessionId: string): Promise<void> {
  await q.execute(sql`delete from sessions where id = ${sessionId}`);
}

/** Sign-out everywhere, or after a password change/reset: all of a user's sessions end. */
export async function deleteUserSessions(q: Queryable, userId: string, exceptSessionId?: string): Promise<number> {
  const r = await q.execute(sql`delete from sessions where user_id = ${userId} and id <> ${exceptSessionId ?? ''} returning id`);
  return r.rows.length;
}
