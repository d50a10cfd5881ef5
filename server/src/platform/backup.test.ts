import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, makeOrg, testKey, type OrgFixture } from '../../test/harness.js';
import { createBackup, readManifest, restoreBackup, RestoreNotConfirmedError, tableCounts } from './backup.js';
import { readConfig, type Config } from './config.js';
import { DataDirInUseError } from './data-dir-lock.js';
import { openDatabase, type Database } from './db.js';
import { migrate } from './migrate.js';
import { createCipher } from './personal-data.js';

/**
 * Backup and restore (issue #19): a site is backed up, changed or wiped, and restored; it comes back
 * with the same rows in every table, its uploaded files, and ID numbers that the key decrypts — on
 * the embedded database, and on PostgreSQL when the suite runs against one.
 */
const run = promisify(execFile);
const tsx = path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');
const scripts = path.resolve(import.meta.dirname, '../scripts');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

const ID_NUMBER = '11010519491231002X';
const PHOTO = crypto.randomBytes(5000);

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A site with an org tree, a member with an ID number and an uploaded file (under a long path, as nested folders may give). */
async function fillSite(database: Database, dataDir: string): Promise<{ memberId: string; branch: OrgFixture }> {
  await migrate(database);
  const root = await makeOrg(database.db, null, { name: '备份测试工委' });
  const branch = await makeOrg(database.db, root, { name: '备份测试支部' });
  const member = await makeMember(database.db, branch, { name: '王备份', idNumber: ID_NUMBER, phone: '13800138000' });
  const folder = path.join(dataDir, 'uploads', 'activities', 'records-with-a-rather-long-folder-name-beyond-the-tar-header', '2026');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, `${crypto.randomUUID()}-照片.png`), PHOTO);
  return { memberId: member.id, branch };
}

const uploadsOf = (dataDir: string) => fs.existsSync(path.join(dataDir, 'uploads'))
  ? fs.readdirSync(path.join(dataDir, 'uploads'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => ({ name: path.relative(dataDir, path.join(e.parentPath, e.name)), bytes: fs.readFileSync(path.join(e.parentPath, e.name)).toString('hex') }))
    .sort((a, b) => a.name.localeCompare(b.name))
  : [];

async function siteState(config: Config): Promise<{ tables: Record<string, number>; idNumber?: string }> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const tables = await tableCounts(database.db);
    const row = (await database.db.execute<{ v: string } & Record<string, unknown>>(sql`select id_number_enc as v from members where id_number_enc is not null order by id limit 1`)).rows[0];
    return { tables, idNumber: row && createCipher(testKey).decrypt(row.v) };
  } finally {
    await database.close();
  }
}

describe('backup and restore of the embedded database', () => {
  // a new on-disk database costs ~15 s (initdb): one is built and each test copies it
  let template: string;
  let branch: OrgFixture;
  beforeAll(async () => {
    template = tempDir('dj-backup-template-');
    const database = await openDatabase({ dataDir: template });
    try {
      ({ branch } = await fillSite(database, template));
    } finally {
      await database.close();
    }
  }, 120_000);
  function copySite(prefix: string): string {
    const dataDir = tempDir(prefix);
    fs.cpSync(template, dataDir, { recursive: true });
    return dataDir;
  }

  it('restores every table’s rows, the uploads and decryptable ID numbers: over later changes, and into a wiped data directory', async () => {
    const dataDir = copySite('dj-backup-site-');
    const config: Config = { ...readConfig({}), dataDir, dataKey: testKey.toString('base64') };
    const before = await siteState(config);
    const uploads = uploadsOf(dataDir);
    expect(before.tables.members).toBe(1);

    const file = path.join(tempDir('dj-backup-out-'), 'site.tar.gz');
    const manifest = await createBackup({ config, out: file });
    expect(manifest).toMatchObject({ database: 'pglite', includesKey: false, tables: before.tables, uploads: 1 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await readManifest(file)).toEqual(manifest);

    // changes after the backup: a member joins, the photo is deleted, another file arrives
    const database = await openDatabase({ dataDir });
    await makeMember(database.db, branch, { name: '李后来' });
    await database.close();
    fs.rmSync(path.join(dataDir, uploads[0]!.name));
    fs.writeFileSync(path.join(dataDir, 'uploads', 'later.pdf'), '%PDF-later');
    const changed = await siteState(config);

    // without confirmation it names what would be replaced and changes nothing
    const refusal = await restoreBackup({ config, file, confirmed: false }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RestoreNotConfirmedError);
    expect((refusal as Error).message).toContain(`内置数据库 ${dataDir}`);
    expect((refusal as Error).message).toContain('党员 2');
    expect((refusal as Error).message).toContain('--yes');
    expect(await siteState(config)).toEqual(changed);

    const report = await restoreBackup({ config, file, confirmed: true });
    expect(report).toMatchObject({ mismatches: [], uploads: 1, key: { source: 'DATA_KEY', sampled: 1, decrypted: 1 } });
    expect(await siteState(config)).toEqual({ tables: before.tables, idNumber: ID_NUMBER });
    expect(uploadsOf(dataDir)).toEqual(uploads);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['pgdata', 'uploads']);

    // the site is lost altogether
    fs.rmSync(dataDir, { recursive: true });
    await restoreBackup({ config, file, confirmed: true });
    expect(await siteState(config)).toEqual({ tables: before.tables, idNumber: ID_NUMBER });
    expect(uploadsOf(dataDir)).toEqual(uploads);

    // with another key the report says the ID numbers cannot be read
    const stranger = await restoreBackup({ config: { ...config, dataKey: crypto.randomBytes(32).toString('base64') }, file, confirmed: true });
    expect(stranger.key).toEqual({ source: 'DATA_KEY', sampled: 1, decrypted: 0 });
  }, 120_000);

  it('refuses while the server holds the data directory, and a file that is not a backup, changing nothing', async () => {
    const dataDir = copySite('dj-backup-busy-');
    const config: Config = { ...readConfig({}), dataDir };
    const database = await openDatabase({ dataDir });
    const file = path.join(tempDir('dj-backup-out-'), 'busy.tar.gz');
    try {
      const refused = await createBackup({ config, out: file }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DataDirInUseError);
      expect((refused as Error).message).toContain(`正由进程 ${process.pid} 使用`);
      expect(fs.readdirSync(path.dirname(file))).toEqual([]);
    } finally {
      await database.close();
    }
    await createBackup({ config, out: file });
    const server = await openDatabase({ dataDir });
    try {
      await expect(restoreBackup({ config, file, confirmed: true })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await server.close();
    }
    const junk = path.join(path.dirname(file), 'junk.tar.gz');
    fs.writeFileSync(junk, 'not a tar file');
    await expect(restoreBackup({ config, file: junk, confirmed: true })).rejects.toThrow(/不是党建云备份文件/);
    await expect(createBackup({ config, out: file })).rejects.toThrow(/已存在/);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['pgdata', 'uploads']);
  }, 60_000);

  it('the commands: backup names the file by Beijing time and warns that the key is not in it; restore without --yes replaces nothing', async () => {
    const dataDir = copySite('dj-backup-cli-');
    fs.writeFileSync(path.join(dataDir, 'data.key'), testKey.toString('base64'));
    const config: Config = { ...readConfig({}), dataDir };
    const before = await siteState(config);
    const cwd = tempDir('dj-backup-cwd-');
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', DATA_KEY: '' };

    const made = await run(tsx, [path.join(scripts, 'backup.ts')], { env, cwd, timeout: 60_000 });
    const [name, ...others] = fs.readdirSync(path.join(cwd, 'backups'));
    expect(others).toEqual([]);
    expect(name).toMatch(/^dangjian-\d{8}-\d{6}\.tar\.gz$/);
    expect(made.stdout).toContain(`备份完成：backups/${name}`);
    expect(made.stderr).toContain('备份不含数据密钥');
    const file = path.join(cwd, 'backups', name!);
    expect((await readManifest(file)).tables).toEqual(before.tables);

    const refused = await run(tsx, [path.join(scripts, 'restore.ts'), file], { env, cwd, timeout: 60_000 }).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('--yes');
    expect(refused?.stderr).toContain(dataDir);
    expect(await siteState(config)).toEqual(before);

    // restored elsewhere without the key file, the ID numbers are unreadable and the report says so
    const keyless: Config = { ...readConfig({}), dataDir: tempDir('dj-backup-keyless-') };
    expect((await restoreBackup({ config: keyless, file, confirmed: true })).key).toEqual({ source: 'none', sampled: 1, decrypted: 0 });
    expect(fs.existsSync(path.join(keyless.dataDir, 'data.key'))).toBe(false);

    // --include-key carries the key: the restored site decrypts, its key file installed
    const withKey = path.join(cwd, 'with-key.tar.gz');
    expect((await createBackup({ config, out: withKey, includeKey: true })).includesKey).toBe(true);
    const elsewhere: Config = { ...readConfig({}), dataDir: tempDir('dj-backup-elsewhere-') };
    expect((await restoreBackup({ config: elsewhere, file: withKey, confirmed: true })).key).toEqual({ source: 'backup', sampled: 1, decrypted: 1 });
    expect(fs.readFileSync(path.join(elsewhere.dataDir, 'data.key'), 'utf8')).toBe(testKey.toString('base64'));
    expect(await siteState(elsewhere)).toEqual({ tables: before.tables, idNumber: ID_NUMBER });
  }, 120_000);
});

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
// defined only in the suite's PostgreSQL run (the embedded run has no server to dump)
if (serverUrl && process.env.TEST_DB !== 'pglite') describe('backup and restore of a PostgreSQL database', () => {
  async function scratchDatabase(): Promise<string> {
    const name = `dj_backup_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    });
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    return url.toString();
  }

  it('pg_dump, then pg_restore over later changes and into an empty database: the same rows, uploads and a decryptable ID number', async () => {
    const dataDir = tempDir('dj-backup-pg-');
    const config: Config = { ...readConfig({}), databaseUrl: await scratchDatabase(), dataDir, dataKey: testKey.toString('base64') };
    let database = await openDatabase({ url: config.databaseUrl });
    const { branch } = await fillSite(database, dataDir);
    await database.close();
    const before = await siteState(config);
    const uploads = uploadsOf(dataDir);
    const file = path.join(tempDir('dj-backup-out-'), 'pg.tar.gz');
    expect(await createBackup({ config, out: file })).toMatchObject({ database: 'postgres', tables: before.tables, uploads: 1 });

    database = await openDatabase({ url: config.databaseUrl });
    await makeMember(database.db, branch, { name: '李后来' });
    fs.rmSync(path.join(dataDir, 'uploads'), { recursive: true });
    // a server still connected: the restore refuses
    try {
      await expect(restoreBackup({ config, file, confirmed: true })).rejects.toThrow(/其他连接/);
    } finally {
      await database.close();
    }
    expect((await siteState(config)).tables.members).toBe(2);

    const report = await restoreBackup({ config, file, confirmed: true });
    expect(report).toMatchObject({ mismatches: [], uploads: 1, key: { source: 'DATA_KEY', sampled: 1, decrypted: 1 } });
    expect(await siteState(config)).toEqual({ tables: before.tables, idNumber: ID_NUMBER });
    expect(uploadsOf(dataDir)).toEqual(uploads);

    const empty: Config = { ...config, databaseUrl: await scratchDatabase() };
    await restoreBackup({ config: empty, file, confirmed: true });
    expect(await siteState(empty)).toEqual({ tables: before.tables, idNumber: ID_NUMBER });

    // an embedded site does not take a PostgreSQL backup
    await expect(restoreBackup({ config: { ...config, databaseUrl: undefined }, file, confirmed: true })).rejects.toThrow(/DATABASE_URL/);
  }, 120_000);

  it('says so in one line when pg_dump fails', async () => {
    const config: Config = { ...readConfig({}), databaseUrl: `${serverUrl!.replace(/\/[^/]*$/, '')}/dj_backup_no_such_database`, dataDir: tempDir('dj-backup-pgfail-') };
    const out = path.join(tempDir('dj-backup-out-'), 'fail.tar.gz');
    await expect(createBackup({ config, out })).rejects.toThrow();
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
  });
});
