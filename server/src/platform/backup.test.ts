import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { makeMember, makeOrg, testKey } from '../../test/harness.js';
import { BackupError, backup, restore, rowCounts } from './backup.js';
import { readConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db.js';
import { migrate } from './migrate.js';
import { createCipher } from './personal-data.js';

/**
 * Backup and restore (issue #19): a site is backed up, wiped and restored, and comes back with the
 * same rows in every table, its uploaded files, and ID numbers that the key decrypts — on the
 * embedded database, and on PostgreSQL when the suite runs against one.
 */
const exec = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

const ID_NUMBER = '11010519491231002X';

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A site with an org tree, a member with an ID number and an uploaded file. */
async function fillSite(database: Database, dataDir: string): Promise<string> {
  await migrate(database);
  const root = await makeOrg(database.db, null, { name: '备份测试工委' });
  const branch = await makeOrg(database.db, root, { name: '备份测试支部' });
  const member = await makeMember(database.db, branch, { name: '王备份', idNumber: ID_NUMBER, phone: '13800138000' });
  fs.mkdirSync(path.join(dataDir, 'uploads', 'activities'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'uploads', 'activities', 'photo.png'), 'not really a png');
  return member.id;
}

async function decryptedIdNumber(database: Database, memberId: string): Promise<string> {
  const row = (await database.db.execute<{ v: string } & Record<string, unknown>>(sql`select id_number_enc as v from members where id = ${memberId}`)).rows[0]!;
  return createCipher(testKey).decrypt(row.v);
}

describe('backup and restore of the embedded database', () => {
  it('backs up, wipes, restores: every table’s rows, the uploads and a decryptable ID number come back', async () => {
    const dataDir = tempDir('dj-backup-site-');
    const config: Config = { ...readConfig({}), dataDir, dataKey: testKey.toString('base64') };
    let database = await openDatabase({ dataDir });
    const memberId = await fillSite(database, dataDir);
    const before = await rowCounts(database.db);
    await database.close();

    const file = path.join(tempDir('dj-backup-out-'), 'site.tar.gz');
    const manifest = await backup(config, file);
    expect(manifest).toMatchObject({ kind: 'pglite', includesKey: false, counts: before });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // the site is lost
    fs.rmSync(path.join(dataDir, 'pgdata'), { recursive: true });
    fs.rmSync(path.join(dataDir, 'uploads'), { recursive: true });
    database = await openDatabase({ dataDir });
    await migrate(database);
    expect((await rowCounts(database.db)).members).toBe(0);
    await database.close();

    const report = await restore(config, file);
    expect(report.differences).toEqual([]);
    expect(report.decrypted).toEqual({ tried: 2, ok: 2 });
    expect(report.movedAside).toHaveLength(1);
    database = await openDatabase({ dataDir });
    try {
      expect(await rowCounts(database.db)).toEqual(before);
      expect(await decryptedIdNumber(database, memberId)).toBe(ID_NUMBER);
    } finally {
      await database.close();
    }
    expect(fs.readFileSync(path.join(dataDir, 'uploads', 'activities', 'photo.png'), 'utf8')).toBe('not really a png');

    // with another key the restore says the personal data cannot be read
    const stranger = await restore({ ...config, dataKey: crypto.randomBytes(32).toString('base64') }, file);
    expect(stranger.decrypted).toEqual({ tried: 2, ok: 0 });
  }, 120_000);

  it('refuses while the data directory is open (the server runs), and a file that is not a backup', async () => {
    const dataDir = tempDir('dj-backup-busy-');
    const database = await openDatabase({ dataDir });
    await migrate(database);
    try {
      const file = path.join(tempDir('dj-backup-out-'), 'busy.tar.gz');
      await expect(backup({ ...readConfig({}), dataDir }, file)).rejects.toThrow(/另一个进程|in use|pid/i);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      await database.close();
    }
    const junk = path.join(tempDir('dj-backup-junk-'), 'junk.tar.gz');
    fs.writeFileSync(junk, 'not a tar file');
    await expect(restore({ ...readConfig({}), dataDir }, junk)).rejects.toBeInstanceOf(BackupError);
  }, 60_000);

  it('the commands: restore without --yes replaces nothing; backup says the key is not in it', async () => {
    const dataDir = tempDir('dj-backup-cli-');
    const database = await openDatabase({ dataDir });
    await fillSite(database, dataDir);
    await database.close();
    const file = path.join(tempDir('dj-backup-out-'), 'cli.tar.gz');
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
    const made = await exec(process.execPath, ['--import', 'tsx', 'server/src/scripts/backup.ts', '--out', file], { env });
    expect(made.stdout).toContain('备份完成');
    expect(made.stdout).toContain('备份不含数据密钥');
    const refused = await exec(process.execPath, ['--import', 'tsx', 'server/src/scripts/restore.ts', file], { env }).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('--yes');
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);
  }, 120_000);
});

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
// defined only in the suite's PostgreSQL run (the embedded run has no server to dump)
if (serverUrl && process.env.TEST_DB !== 'pglite') describe('backup and restore of a PostgreSQL database', () => {
  it('pg_dump, drop everything, pg_restore: the same rows and a decryptable ID number', async () => {
    const name = `dj_backup_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    cleanups.push(async () => { await admin.query(`drop database if exists ${name} with (force)`); await admin.end(); });
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    const dataDir = tempDir('dj-backup-pg-');
    const config: Config = { ...readConfig({}), databaseUrl: url.toString(), dataDir, dataKey: testKey.toString('base64') };

    let database = await openDatabase({ url: config.databaseUrl });
    const memberId = await fillSite(database, dataDir);
    const before = await rowCounts(database.db);
    await database.close();
    const file = path.join(tempDir('dj-backup-out-'), 'pg.tar.gz');
    expect((await backup(config, file)).kind).toBe('postgres');

    database = await openDatabase({ url: config.databaseUrl });
    await database.db.execute(sql`drop schema public cascade`);
    await database.db.execute(sql`create schema public`);
    await database.close();

    const report = await restore(config, file);
    expect(report.differences).toEqual([]);
    expect(report.decrypted).toEqual({ tried: 2, ok: 2 });
    database = await openDatabase({ url: config.databaseUrl });
    try {
      expect(await rowCounts(database.db)).toEqual(before);
      expect(await decryptedIdNumber(database, memberId)).toBe(ID_NUMBER);
    } finally {
      await database.close();
    }
    // an embedded site does not take a PostgreSQL backup
    await expect(restore({ ...config, databaseUrl: undefined }, file)).rejects.toThrow(/DATABASE_URL/);
  }, 120_000);
});
