import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type TestContext } from '../../test/harness.js';
import { audit, auditInsert } from './audit.js';
import { archiveAudit, auditRetentionMonths, sealAudit, startAuditSealer, verifyAudit } from './audit-chain.js';
import { openDatabase, type Db } from './db.js';
import { migrate } from './migrate.js';

let ctx: TestContext;
let db: Db;
beforeAll(async () => { ctx = await startTestApp(); db = ctx.database.db; });
afterAll(async () => ctx?.close());

type Row = Record<string, unknown>;
const count = async (query: SQL) => Number((await db.execute<{ n: number } & Row>(query)).rows[0]!.n);
const entriesInChain = async () => await count(sql`select count(*)::int as n from audit_log`) + await count(sql`select count(*)::int as n from audit_log_archive`);
const unsealed = () => count(sql`select count(*)::int as n from audit_log where seal_seq is null`);
const sealOf = async (id: string) => (await db.execute<{ seal_seq: string } & Row>(sql`select seal_seq::text from audit_log where id = ${id}`)).rows[0]!.seal_seq;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function insertEntry(fields: { at?: string; action?: string; detail?: Record<string, unknown> } = {}): Promise<string> {
  return (await db.execute<{ id: string } & Row>(sql`
    insert into audit_log (at, username, ip, action, target_type, target_id, detail)
    values (coalesce(${fields.at ?? null}::timestamptz, now()), 'seed', '10.0.0.1', ${fields.action ?? 'test.seed'}, 'test', '1',
            ${JSON.stringify(fields.detail ?? { via: 'seed' })}::jsonb) returning id::text`)).rows[0]!.id;
}

/** What a DBA can do and the application cannot: write past the append-only triggers. */
async function asDba(table: 'audit_log' | 'audit_log_archive', change: () => Promise<unknown>) {
  const trigger = sql.raw(table === 'audit_log' ? 'audit_log_append_only' : 'audit_log_archive_append_only');
  await db.execute(sql`alter table ${sql.raw(table)} disable trigger ${trigger}`);
  try {
    await change();
  } finally {
    await db.execute(sql`alter table ${sql.raw(table)} enable trigger ${trigger}`);
  }
}

/** The database's refusal (driver errors wrap it as their cause). */
async function refusalOf(query: SQL): Promise<string> {
  try {
    await db.execute(query);
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ''}`;
  }
  return 'not refused';
}

async function expectIntact() {
  const verified = await entriesInChain();
  const last = (await db.execute<{ seal_seq: string; hash: string } & Row>(sql`
    select seal_seq::text, encode(hash, 'hex') as hash from (select seal_seq, hash from audit_log union all select seal_seq, hash from audit_log_archive) c
     where seal_seq is not null order by c.seal_seq desc limit 1`)).rows[0]!;
  const intact = { verified, problem: null, head: { sealSeq: last.seal_seq, hash: last.hash } };
  expect(await verifyAudit(db)).toEqual(intact);
  // small batches walk the same chain across many batch boundaries
  expect(await verifyAudit(db, { batchSize: 7 })).toEqual(intact);
}

describe('the audit hash chain', () => {
  it('seals the entries the application writes, in one unbroken chain that verifies', async () => {
    const org = await makeOrg(db, null, { name: '市直机关工委' });
    await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }], { username: 'chain.admin' }));
    const failed = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password-1' }, remoteAddress: '203.0.113.7' });
    expect(failed.statusCode).toBe(401);
    await db.transaction(async (tx) => {
      await audit(tx, { userId: '1', username: 'chain.admin', ip: '198.51.100.1' },
        { action: 'member.update', targetType: 'member', targetId: '42', orgPath: org.path, detail: { changed: ['name'], 名: '张伟', n: 1.50, nested: { b: 2, a: [1, null] } } });
      await tx.execute(sql`with written as (${auditInsert(null, { action: 'org.update', targetType: 'org', targetId: org.id, orgPath: org.path }, '198.51.100.2')}) select 1`);
    });
    const written = await unsealed();
    expect(written).toBeGreaterThanOrEqual(4);

    expect(await sealAudit(db, { batchSize: 2 })).toBe(written);
    expect(await unsealed()).toBe(0);
    const seqs = (await db.execute<{ seal_seq: string } & Row>(sql`select seal_seq::text from audit_log order by seal_seq`)).rows.map((r) => Number(r.seal_seq));
    expect(seqs).toEqual(Array.from({ length: written }, (_, i) => i + 1));
    // the first links to nothing, every other one to the hash before it
    const links = await count(sql`select count(*)::int as n from audit_log a join audit_log p on p.seal_seq = a.seal_seq - 1 where a.prev_hash = p.hash`);
    expect(links).toBe(written - 1);
    expect(await sealAudit(db)).toBe(0);
    await expectIntact();
  });

  it('refuses the application’s own update, delete and truncate of entries, sealed or not', async () => {
    const sealed = await insertEntry({ detail: { secret: 'kept' } });
    await sealAudit(db);
    const pending = await insertEntry();
    const before = (await db.execute(sql`select * from audit_log order by id`)).rows;

    expect(await refusalOf(sql`update audit_log set detail = '{"secret":"changed"}' where id = ${sealed}`)).toMatch(/append-only/);
    expect(await refusalOf(sql`update audit_log set org_path = 'x' where id = ${sealed}`)).toMatch(/append-only/);
    expect(await refusalOf(sql`update audit_log set username = 'someone' where id = ${pending}`)).toMatch(/append-only/);
    // the seal is written once: the application cannot re-chain sealed rows either
    expect(await refusalOf(sql`update audit_log set seal_seq = seal_seq + 1000, hash = decode('00', 'hex') where id = ${sealed}`)).toMatch(/append-only/);
    expect(await refusalOf(sql`delete from audit_log where id = ${sealed}`)).toMatch(/append-only/);
    expect(await refusalOf(sql`delete from audit_log where id = ${pending}`)).toMatch(/append-only/);
    expect(await refusalOf(sql`truncate audit_log`)).toMatch(/append-only/);
    expect(await refusalOf(sql`truncate audit_log_archive`)).toMatch(/append-only/);

    expect((await db.execute(sql`select * from audit_log order by id`)).rows).toEqual(before);
    await sealAudit(db);
    await expectIntact();
  });

  it('names an entry altered past the triggers, and verifies again once it is put back', async () => {
    await insertEntry({ detail: { grade: '合格' } });
    const target = await insertEntry({ detail: { grade: '合格' } });
    await insertEntry();
    await sealAudit(db);
    await expectIntact();

    await asDba('audit_log', () => db.execute(sql`update audit_log set detail = '{"grade":"优秀"}' where id = ${target}`));
    const found = await verifyAudit(db);
    expect(found.problem).toEqual({ problem: 'altered', sealSeq: await sealOf(target), id: target });
    expect(found.verified).toBe(Number(await sealOf(target)) - 1);

    // a microsecond moved on the time is a change too
    await asDba('audit_log', () => db.execute(sql`update audit_log set detail = '{"grade":"合格"}', at = at + interval '1 microsecond' where id = ${target}`));
    expect((await verifyAudit(db)).problem).toEqual({ problem: 'altered', sealSeq: await sealOf(target), id: target });

    await asDba('audit_log', () => db.execute(sql`update audit_log set at = at - interval '1 microsecond' where id = ${target}`));
    await expectIntact();
  });

  it('names the gap a deleted entry leaves, and a chain re-linked over it', async () => {
    await insertEntry();
    const victim = await insertEntry({ action: 'member.reveal_id_number' });
    const next = await insertEntry();
    await insertEntry();
    await sealAudit(db);
    const victimSeq = await sealOf(victim);
    // the whole row as the database renders it, to put back afterwards
    const copy = (await db.execute<{ row: string } & Row>(sql`select to_jsonb(a)::text as row from audit_log a where id = ${victim}`)).rows[0]!.row;

    await asDba('audit_log', () => db.execute(sql`delete from audit_log where id = ${victim}`));
    expect((await verifyAudit(db)).problem).toEqual({ problem: 'missing', sealSeq: await sealOf(next), id: next, expectedSeq: victimSeq });

    // renumbering the next entry into the hole does not hide it: it still points at the deleted one's hash
    await asDba('audit_log', () => db.execute(sql`update audit_log set seal_seq = ${victimSeq} where id = ${next}`));
    expect((await verifyAudit(db)).problem).toEqual({ problem: 'relinked', sealSeq: victimSeq, id: next });

    await asDba('audit_log', async () => {
      await db.execute(sql`update audit_log set seal_seq = ${String(BigInt(victimSeq) + 1n)} where id = ${next}`);
      await db.execute(sql`insert into audit_log overriding system value select * from jsonb_populate_record(null::audit_log, ${copy}::jsonb)`);
    });
    await expectIntact();
  });

  it('seals an entry committed late behind a larger id in the next run, after the ones sealed before', async () => {
    // the id a slow transaction took at its start, committed only after later entries were sealed
    const lateId = (await db.execute<{ id: string } & Row>(sql`select nextval(pg_get_serial_sequence('audit_log', 'id'))::text as id`)).rows[0]!.id;
    const early = await insertEntry();
    expect(await sealAudit(db)).toBe(1);
    await db.execute(sql`
      insert into audit_log (id, username, action, target_type, detail) overriding system value
      values (${lateId}, 'slow', 'test.late', 'test', '{}')`);
    expect(await sealAudit(db)).toBe(1);
    expect(Number(lateId)).toBeLessThan(Number(early));
    expect(Number(await sealOf(lateId))).toBe(Number(await sealOf(early)) + 1);
    await expectIntact();
  });

  it('leaves no entry unsealed when many transactions write while two sealers run', async () => {
    const before = await entriesInChain();
    let writing = true;
    // two sealers stand for two server processes: the lock lets one seal at a time, the other returns
    const sealers = [0, 1].map(async () => {
      let sealed = 0;
      while (writing) {
        sealed += await sealAudit(db);
        await sleep(3);
      }
      return sealed;
    });
    const writers = Array.from({ length: 6 }, async (_, writer) => {
      for (let i = 0; i < 8; i++) {
        await db.transaction(async (tx) => {
          await audit(tx, null, { action: 'test.concurrent', targetType: 'test', targetId: `${writer}-${i}`, detail: { writer, i } }, '192.0.2.1');
          await sleep(1 + ((writer * 7 + i) % 4));
          await audit(tx, null, { action: 'test.concurrent', targetType: 'test', targetId: `${writer}-${i}b` }, '192.0.2.1');
        });
      }
    });
    await Promise.all(writers);
    writing = false;
    const sealedMeanwhile = (await Promise.all(sealers)).reduce((a, b) => a + b, 0);
    const sealedAfter = await sealAudit(db, { batchSize: 5 });
    // the sealers ran while the writers wrote, and together sealed each entry once
    expect(sealedMeanwhile).toBeGreaterThan(0);
    expect(sealedMeanwhile + sealedAfter).toBe(6 * 8 * 2);
    expect(await unsealed()).toBe(0);
    expect(await entriesInChain()).toBe(before + 6 * 8 * 2);
    await expectIntact();
  });

  it('archives sealed entries past the retention, keeps them in the chain, and refuses changes there', async () => {
    // recorded 13 months ago and 3 months ago, interleaved in seal order
    const old = [await insertEntry({ at: 'now()', action: 'test.old' })];
    const recent = [await insertEntry({ action: 'test.recent' })];
    old.push(await insertEntry({ action: 'test.old' }));
    recent.push(await insertEntry({ action: 'test.recent' }));
    await asDba('audit_log', () => db.execute(sql`update audit_log set at = now() - interval '13 months' where action = 'test.old'`));
    await asDba('audit_log', () => db.execute(sql`update audit_log set at = now() - interval '3 months' where action = 'test.recent'`));
    // a long-unsealed old entry is not archived before it is sealed
    const pendingOld = await insertEntry({ at: new Date(Date.now() - 400 * 86_400_000).toISOString(), action: 'test.pending_old' });
    await sealAudit(db);
    await asDba('audit_log', () => db.execute(sql`update audit_log set seal_seq = null, hash = null, prev_hash = null where id = ${pendingOld}`));
    const total = await entriesInChain();

    const ids = async (table: 'audit_log' | 'audit_log_archive') =>
      (await db.execute<{ id: string } & Row>(sql`select id::text from ${sql.raw(table)} where action like 'test.%old' or action = 'test.recent' order by id`)).rows.map((r) => r.id);
    expect(await archiveAudit(db, 12, { batchSize: 1 })).toBe(2);
    expect(await ids('audit_log_archive')).toEqual(old);
    expect(await ids('audit_log')).toEqual([...recent, pendingOld].sort((a, b) => Number(a) - Number(b)));
    expect(await entriesInChain()).toBe(total);
    expect(await archiveAudit(db)).toBe(0);

    // the pending one is sealed at the end of the chain; the chain verifies across archive and live
    await sealAudit(db);
    await expectIntact();

    expect(await refusalOf(sql`update audit_log_archive set detail = '{}' where id = ${old[0]!}`)).toMatch(/append-only/);
    expect(await refusalOf(sql`delete from audit_log_archive where id = ${old[0]!}`)).toMatch(/append-only/);
    // an archived entry altered by a DBA is named like a live one
    await asDba('audit_log_archive', () => db.execute(sql`update audit_log_archive set username = 'other' where id = ${old[1]!}`));
    const seq = (await db.execute<{ seal_seq: string } & Row>(sql`select seal_seq::text from audit_log_archive where id = ${old[1]!}`)).rows[0]!.seal_seq;
    expect((await verifyAudit(db)).problem).toEqual({ problem: 'altered', sealSeq: seq, id: old[1] });
    await asDba('audit_log_archive', () => db.execute(sql`update audit_log_archive set username = 'seed' where id = ${old[1]!}`));
    await expectIntact();
  });

  it('keeps entries at least six months (等保 level 3) whatever AUDIT_RETENTION_MONTHS says', async () => {
    expect(auditRetentionMonths({})).toBe(12);
    expect(auditRetentionMonths({ AUDIT_RETENTION_MONTHS: '18' })).toBe(18);
    expect(() => auditRetentionMonths({ AUDIT_RETENTION_MONTHS: '3' })).toThrow(/AUDIT_RETENTION_MONTHS=3.*至少在线保留 6 个月/);
    expect(() => auditRetentionMonths({ AUDIT_RETENTION_MONTHS: 'six' })).toThrow(/AUDIT_RETENTION_MONTHS=six/);
    const live = await count(sql`select count(*)::int as n from audit_log`);
    await expect(archiveAudit(db, 5)).rejects.toThrow(/至少在线保留 6 个月/);
    expect(await count(sql`select count(*)::int as n from audit_log`)).toBe(live);
  });

  it('names an entry the sealer has left unsealed past the grace period', async () => {
    await asDba('audit_log', async () => {
      await db.execute(sql`update audit_log set seal_seq = null, hash = null, prev_hash = null
                            where seal_seq = (select max(seal_seq) from audit_log)`);
      await db.execute(sql`update audit_log set at = now() - interval '2 hours' where seal_seq is null`);
    });
    const stale = (await db.execute<{ id: string } & Row>(sql`select id::text from audit_log where seal_seq is null`)).rows.map((r) => r.id);
    expect(stale).toHaveLength(1);
    expect((await verifyAudit(db)).problem).toEqual({ problem: 'unsealed', sealSeq: null, id: stale[0] });
    expect((await verifyAudit(db, { unsealedGraceMinutes: 180 })).problem).toBeNull();
    expect(await sealAudit(db)).toBe(1);
    await expectIntact();
  });
});

describe('the server’s sealer', () => {
  it('seals new entries every few seconds and stops with the app', async () => {
    const stop = startAuditSealer(db, ctx.app.log, { intervalMs: 20 });
    const id = await insertEntry({ action: 'test.timer' });
    for (let waited = 0; waited < 5000 && (await count(sql`select count(*)::int as n from audit_log where id = ${id} and seal_seq is not null`)) === 0; waited += 20) await sleep(20);
    await stop();
    expect(await sealOf(id)).not.toBeNull();
    // stopped: an entry written now stays unsealed
    const after = await insertEntry({ action: 'test.timer' });
    await sleep(100);
    expect(await sealOf(after)).toBeNull();
    await sealAudit(db);
    await expectIntact();
  });
});

describe('npm run audit:verify', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-audit-verify-'));
  const script = path.resolve(import.meta.dirname, '../scripts/audit-verify.ts');
  const tsx = path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  /** Runs the command on its own embedded database (DATABASE_URL cleared), as an operator would. */
  async function auditVerify(): Promise<{ code: number; out: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(tsx, [script], { env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir }, timeout: 60_000 });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }
  async function onDataDir<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const database = await openDatabase({ dataDir });
    try {
      await migrate(database);
      return await work(database.db);
    } finally {
      await database.close();
    }
  }

  it('seals, verifies and says how many entries are intact; names the altered one and exits 1', async () => {
    const ids = await onDataDir(async (local) => {
      const written: string[] = [];
      for (const action of ['user.create', 'member.export', 'auth.login']) {
        written.push((await local.execute<{ id: string } & Row>(sql`
          insert into audit_log (username, action, target_type, detail) values ('ops', ${action}, 'user', '{"via":"test"}') returning id::text`)).rows[0]!.id);
      }
      return written;
    });
    const ok = await auditVerify();
    expect(ok.out).toContain('审计日志完整：3 条');
    expect(ok.out).toMatch(/链尾：seal_seq 3，哈希 [0-9a-f]{64}/);
    expect(ok.code).toBe(0);

    await onDataDir(async (local) => {
      await local.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await local.execute(sql`update audit_log set detail = '{"via":"forged"}' where id = ${ids[1]!}`);
      await local.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    });
    const broken = await auditVerify();
    expect(broken.out).toContain(`seal_seq 2，id ${ids[1]!}：内容与其哈希不符`);
    expect(broken.code).toBe(1);
  }, 120_000);
});
