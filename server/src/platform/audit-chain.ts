import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from './db.js';

/**
 * The audit log's hash chain (等保 level 3: an audit trail that shows tampering, kept at least six
 * months). Writers insert audit rows without waiting on each other; the sealer later gives every
 * committed row the next seal_seq and hash = sha256(prev_hash || content), so a deleted row leaves a
 * gap and an altered one no longer matches. Rows past the retention move to audit_log_archive,
 * still in the chain. Migration 20261205000400-audit-chain.sql holds the triggers that keep the
 * application itself from rewriting either table.
 */

// one sealer at a time over every server process (the migration lock is 7_402_113)
const SEAL_LOCK = 7_402_114;
const SEAL_BATCH = 1000;
const VERIFY_BATCH = 2000;
const ARCHIVE_BATCH = 10_000;
/** 等保 level 3 keeps audit records at least six months. */
export const MIN_RETENTION_MONTHS = 6;
const DEFAULT_RETENTION_MONTHS = 12;

/**
 * The hashed text of a row, rendered by the database the same way at sealing and at verification:
 * a JSON array, so null, '' and a field boundary cannot be confused; the time in UTC to the
 * microsecond whatever the session's zone; detail as jsonb's own text, which is a function of the
 * stored value (keys sorted and deduplicated, numbers as written), not of the JSON the writer sent.
 * org_path is included: audit_log.org_path is historical (org_owned_columns), never rebased.
 */
const CONTENT = sql.raw(`jsonb_build_array(id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), user_id, username, ip,
  action, target_type, target_id, org_path::text, detail)::text`);

const chainHash = (prevHex: string | null, content: string) =>
  crypto.createHash('sha256').update(prevHex ? Buffer.from(prevHex, 'hex') : Buffer.alloc(0)).update(content, 'utf8').digest('hex');

type Head = { seal_seq: string; hash: string } & Record<string, unknown>;

/**
 * Seals the committed, unsealed rows in batches (each batch one transaction) and returns how many.
 * Returns at once when another process holds the sealer's lock: it seals the same rows. The chain
 * follows seal order, so a row whose transaction commits late, behind a larger id, joins the next run.
 */
export async function sealAudit(db: Db, { batchSize = SEAL_BATCH } = {}): Promise<number> {
  let total = 0;
  // within one run, the next batch starts after the last: a row committed meanwhile behind it waits for the next run
  let after = '0';
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      const lock = await tx.execute<{ locked: boolean } & Record<string, unknown>>(sql`select pg_try_advisory_xact_lock(${SEAL_LOCK}) as locked`);
      if (!lock.rows[0]?.locked) return null;
      const head = (await tx.execute<Head>(sql`
        select seal_seq::text, encode(hash, 'hex') as hash from (
          (select seal_seq, hash from audit_log where seal_seq is not null order by seal_seq desc limit 1)
          union all
          (select seal_seq, hash from audit_log_archive order by seal_seq desc limit 1)) h
         order by h.seal_seq desc limit 1`)).rows[0];
      // Walk the unsealed index in id order and render only the batch's rows. Without this the planner,
      // which on PGlite never has statistics (no autovacuum), reads and sorts the whole backlog per batch.
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const rows = (await tx.execute<{ id: string; content: string } & Record<string, unknown>>(sql`
        select a.id::text, ${CONTENT} as content from audit_log a
         where a.seal_seq is null and a.id > ${after} order by a.id limit ${batchSize} for update`)).rows;
      if (!rows.length) return 0;
      after = rows[rows.length - 1]!.id;
      let seq = BigInt(head?.seal_seq ?? 0);
      let prev = head?.hash ?? null;
      const seals = rows.map((row) => {
        const hash = chainHash(prev, row.content);
        const seal = { id: row.id, seal_seq: String(++seq), hash, prev_hash: prev };
        prev = hash;
        return seal;
      });
      await tx.execute(sql`
        update audit_log a set seal_seq = s.seal_seq, hash = decode(s.hash, 'hex'), prev_hash = decode(s.prev_hash, 'hex')
          from jsonb_to_recordset(${JSON.stringify(seals)}::jsonb) as s (id bigint, seal_seq bigint, hash text, prev_hash text)
         where a.id = s.id`);
      return rows.length;
    });
    if (sealed === null) return total;
    total += sealed;
    if (sealed < batchSize) return total;
  }
}

export type AuditProblem =
  /** the row's content no longer gives its hash */
  | 'altered'
  /** seal numbers are missing before this row: rows were deleted */
  | 'missing'
  /** the row does not point at the hash of the row before it: a row was deleted or the chain re-linked */
  | 'relinked'
  /** the same seal number twice (a row copied back beside its archived copy, or renumbered) */
  | 'duplicate'
  /** a row left unsealed for longer than the grace period: the sealer is not running or cannot seal it */
  | 'unsealed';

export interface AuditBreak {
  problem: AuditProblem;
  /** null for an unsealed row */
  sealSeq: string | null;
  id: string;
  /** the seal number the chain expected here (for 'missing' and 'duplicate') */
  expectedSeq?: string;
}

export interface AuditVerification {
  /** rows whose place in the chain checked out, archive and live together */
  verified: number;
  /** the first break, if any */
  problem: AuditBreak | null;
  /**
   * The last row that checked out. Kept outside the database (printed by audit:verify), it shows what
   * the chain alone cannot: rows cut from the end, or a chain recomputed from an altered row onwards.
   */
  head: { sealSeq: string; hash: string } | null;
}

type ChainRow = { seal_seq: string; id: string; hash: string; prev_hash: string | null; content: string } & Record<string, unknown>;

/**
 * Walks the chain over audit_log_archive and audit_log together in seal order, a batch at a time,
 * recomputing every hash; stops at the first break. Then looks for rows unsealed for longer than
 * `unsealedGraceMinutes`. A chain cannot show rows cut from its very end, nor rows removed before
 * they were sealed: the first seconds of a row's life are the sealer's interval.
 */
export async function verifyAudit(db: Db, { unsealedGraceMinutes = 60, batchSize = VERIFY_BATCH } = {}): Promise<AuditVerification> {
  let expected = 1n;
  let prev: string | null = null;
  let verified = 0;
  let head: AuditVerification['head'] = null;
  for (;;) {
    const rows = (await db.execute<ChainRow>(sql`
      select seal_seq::text, id::text, encode(hash, 'hex') as hash, encode(prev_hash, 'hex') as prev_hash, content from (
        (select seal_seq, id, hash, prev_hash, ${CONTENT} as content from audit_log_archive
          where seal_seq >= ${String(expected)} order by seal_seq limit ${batchSize})
        union all
        (select seal_seq, id, hash, prev_hash, ${CONTENT} as content from audit_log
          where seal_seq >= ${String(expected)} order by seal_seq limit ${batchSize})) c
       order by c.seal_seq, c.id limit ${batchSize}`)).rows;
    for (const row of rows) {
      const seq = BigInt(row.seal_seq);
      const at = { sealSeq: row.seal_seq, id: row.id };
      if (seq > expected) return { verified, head, problem: { problem: 'missing', ...at, expectedSeq: String(expected) } };
      if (seq < expected) return { verified, head, problem: { problem: 'duplicate', ...at, expectedSeq: String(expected) } };
      if (row.prev_hash !== prev) return { verified, head, problem: { problem: 'relinked', ...at } };
      if (chainHash(prev, row.content) !== row.hash) return { verified, head, problem: { problem: 'altered', ...at } };
      prev = row.hash;
      head = { sealSeq: row.seal_seq, hash: row.hash };
      expected += 1n;
      verified += 1;
    }
    if (rows.length < batchSize) break;
  }
  const stale = (await db.execute<{ id: string } & Record<string, unknown>>(sql`
    select a.id::text from audit_log a
     where a.seal_seq is null and a.at < now() - make_interval(mins => ${unsealedGraceMinutes}) order by a.id limit 1`)).rows[0];
  return { verified, head, problem: stale ? { problem: 'unsealed', sealSeq: null, id: stale.id } : null };
}

/** AUDIT_RETENTION_MONTHS: how long entries stay in audit_log before the archive; 12 by default, never under 6. */
export function auditRetentionMonths(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AUDIT_RETENTION_MONTHS?.trim();
  if (!raw) return DEFAULT_RETENTION_MONTHS;
  const months = Number(raw);
  if (!Number.isInteger(months) || months < MIN_RETENTION_MONTHS) {
    throw new Error(`AUDIT_RETENTION_MONTHS=${raw}：审计日志至少在线保留 ${MIN_RETENTION_MONTHS} 个月（等保三级），须为不小于 ${MIN_RETENTION_MONTHS} 的整数月数`);
  }
  return months;
}

/**
 * Moves sealed rows recorded more than `retentionMonths` ago from audit_log to audit_log_archive
 * (copy, then delete: the delete trigger lets a row go only once its sealed copy is there), a
 * batch per transaction so the chain is whole across both tables at every commit. Returns how many
 * moved; 0 when another process holds the sealer's lock. Archived rows are never deleted.
 */
export async function archiveAudit(db: Db, retentionMonths = auditRetentionMonths(), { batchSize = ARCHIVE_BATCH } = {}): Promise<number> {
  if (!Number.isInteger(retentionMonths) || retentionMonths < MIN_RETENTION_MONTHS) {
    throw new Error(`审计日志至少在线保留 ${MIN_RETENTION_MONTHS} 个月（等保三级），不能按 ${retentionMonths} 个月归档`);
  }
  const columns = sql.raw('id, at, user_id, username, ip, action, target_type, target_id, org_path, detail, seal_seq, hash, prev_hash');
  let total = 0;
  for (;;) {
    const moved = await db.transaction(async (tx) => {
      const lock = await tx.execute<{ locked: boolean } & Record<string, unknown>>(sql`select pg_try_advisory_xact_lock(${SEAL_LOCK}) as locked`);
      if (!lock.rows[0]?.locked) return null;
      const range = (await tx.execute<{ n: number; first: string | null; last: string | null } & Record<string, unknown>>(sql`
        with copied as (
          insert into audit_log_archive (${columns})
          select ${columns} from audit_log
           where seal_seq is not null and at < now() - make_interval(months => ${retentionMonths})
           order by seal_seq limit ${batchSize}
          returning seal_seq)
        select count(*)::int as n, min(seal_seq)::text as first, max(seal_seq)::text as last from copied`)).rows[0];
      if (!range?.n) return 0;
      await tx.execute(sql`
        delete from audit_log a using audit_log_archive x
         where x.seal_seq = a.seal_seq and x.id = a.id and a.seal_seq between ${range.first} and ${range.last}`);
      return range.n;
    });
    if (moved === null) return total;
    total += moved;
    if (moved < batchSize) return total;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The server's sealer: seals every few seconds and archives once a day, never two runs at once in
 * this process (other processes are kept out by the lock). Returns the stop function for the
 * app's close, which waits for a run in progress so the database closes after it.
 */
const HOUR_MS = 3_600_000;

export function startAuditSealer(db: Db, log: FastifyBaseLogger, { intervalMs = 5000 } = {}): () => Promise<void> {
  const retentionMonths = auditRetentionMonths();
  let lastArchive = 0;
  let lastHead = 0;
  let running: Promise<void> | null = null;
  const run = async () => {
    await sealAudit(db);
    // the chain's head in the server log once an hour: logs shipped elsewhere keep a witness that
    // a chain rebuilt or cut at its end inside the database cannot match
    if (Date.now() - lastHead >= HOUR_MS) {
      lastHead = Date.now();
      const head = (await db.execute<{ seal_seq: string; hash: string } & Record<string, unknown>>(sql`
        select seal_seq::text, encode(hash, 'hex') as hash from audit_log where seal_seq is not null order by seal_seq desc limit 1`)).rows[0];
      if (head) log.info({ sealSeq: head.seal_seq, hash: head.hash }, 'audit chain head');
    }
    if (Date.now() - lastArchive >= DAY_MS) {
      lastArchive = Date.now();
      const moved = await archiveAudit(db, retentionMonths);
      if (moved) log.info({ moved, retentionMonths }, 'audit entries archived');
    }
  };
  const timer = setInterval(() => {
    running ??= run()
      .catch((error: unknown) => log.error({ err: error }, 'audit sealing failed'))
      .finally(() => { running = null; });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
