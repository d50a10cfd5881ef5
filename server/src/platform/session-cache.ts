import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from './db.js';

/**
 * Sessions live in the database, so any process serves any user. Each process also remembers the
 * sessions it served recently, so that an ordinary request costs no session query.
 *
 * It stays right because the database says when a remembered session may have changed: triggers
 * (migration 20261123122000-session-notifications) NOTIFY `dj_sessions` with the user's id when one
 * of their sessions is deleted, the user row changes (disabled, password, member link) or their
 * roles change, and with `*` when orgs are moved or dissolved (the paths a role grants). Every
 * process LISTENs on its own connection and forgets those users' sessions. PostgreSQL delivers a
 * notification when its transaction commits, so another process learns of a sign-out within
 * milliseconds of it.
 *
 * A load that overlaps an invalidation is not remembered (the generation counter), and while the
 * listening connection is down nothing is remembered: the cache is emptied and every request reads
 * the database, as it would without the cache. Entries also lapse after `ttlMs`.
 */
export interface CachedSession<T> {
  value: T;
  userId: string;
  loadedAt: number;
}

export const SESSION_CHANNEL = 'dj_sessions';

export class SessionCache<T> {
  private readonly entries = new Map<string, CachedSession<T>>();
  private readonly byUser = new Map<string, Set<string>>();
  private generation = 0;
  private listening = false;
  private stop: (() => Promise<void>) | null = null;
  private closed = false;
  private readonly waiters = new Map<string, () => void>();

  constructor(private readonly options: { maxEntries: number; ttlMs: number }) {}

  /** Begins listening (PostgreSQL: a dedicated connection, re-established when it breaks; PGlite: its own channel). */
  async start(database: Database, connectionString?: string): Promise<void> {
    const pglite = database.raw.pglite;
    if (pglite) {
      const unlisten = await pglite.listen(SESSION_CHANNEL, (payload) => this.invalidate(payload));
      this.stop = () => unlisten();
      this.setListening(true);
      return;
    }
    if (connectionString) await this.listenOnPostgres(connectionString);
  }

  private async listenOnPostgres(connectionString: string): Promise<void> {
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | null = null;
    const connect = async () => {
      if (this.closed) return;
      const c = new pg.Client({ connectionString });
      client = c;
      const lost = () => {
        if (client !== c) return;
        client = null;
        this.setListening(false);
        c.end().catch(() => {});
        if (!this.closed) retry = setTimeout(() => { void connect(); }, 1000);
      };
      c.on('error', lost);
      c.on('end', lost);
      c.on('notification', (n) => { if (n.channel === SESSION_CHANNEL) this.invalidate(n.payload ?? '*'); });
      try {
        await c.connect();
        await c.query(`listen ${SESSION_CHANNEL}`);
        if (client === c) this.setListening(true);
      } catch {
        lost();
      }
    };
    this.stop = async () => {
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    };
    await connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.setListening(false);
    await this.stop?.();
  }

  private setListening(on: boolean) {
    this.listening = on;
    this.generation++;
    this.entries.clear();
    this.byUser.clear();
  }

  /**
   * Returns once this process has received every notification committed before the call: a write
   * made by this process (a sign-out, a role change) is in its own cache before its answer is sent.
   * Notifications arrive in commit order, so our own marker arriving means the earlier ones have.
   */
  async sync(database: Database): Promise<void> {
    if (!this.listening) return;
    const marker = `sync:${crypto.randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve) => {
      this.waiters.set(marker, resolve);
      // a marker that never comes means the connection is failing: forget everything rather than wait
      timer = setTimeout(() => { this.invalidate('*'); resolve(); }, 2000);
    });
    try {
      await database.db.execute(sql`select pg_notify(${SESSION_CHANNEL}, ${marker})`);
      await arrived;
    } finally {
      clearTimeout(timer);
      this.waiters.delete(marker);
    }
  }

  /** A user's id (the triggers send one per notification), `*` for everyone, or a `sync:` marker. */
  invalidate(payload: string): void {
    if (payload.startsWith('sync:')) {
      this.waiters.get(payload)?.();
      return;
    }
    this.generation++;
    if (payload === '*' || payload === '') {
      this.entries.clear();
      this.byUser.clear();
      return;
    }
    for (const key of this.byUser.get(payload) ?? []) this.entries.delete(key);
    this.byUser.delete(payload);
  }

  get(key: string, now = Date.now()): CachedSession<T> | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (now - hit.loadedAt > this.options.ttlMs) {
      this.remove(key, hit.userId);
      return undefined;
    }
    // least recently used first out: a hit moves to the end
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** The generation to pass to `set` after loading: a load that saw an invalidation is not kept. */
  begin(): number {
    return this.listening ? this.generation : -1;
  }

  set(key: string, userId: string, value: T, generation: number, now = Date.now()): void {
    if (generation < 0 || generation !== this.generation || !this.listening) return;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous.userId);
    this.entries.set(key, { value, userId, loadedAt: now });
    let keys = this.byUser.get(userId);
    if (!keys) this.byUser.set(userId, (keys = new Set()));
    keys.add(key);
    while (this.entries.size > this.options.maxEntries) {
      const [oldest, entry] = this.entries.entries().next().value as [string, CachedSession<T>];
      this.remove(oldest, entry.userId);
    }
  }

  remove(key: string, userId: string): void {
    this.entries.delete(key);
    const keys = this.byUser.get(userId);
    if (keys) {
      keys.delete(key);
      if (keys.size === 0) this.byUser.delete(userId);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
