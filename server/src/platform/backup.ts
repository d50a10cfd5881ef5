import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import * as tar from 'tar';
import type { Config } from './config.js';
import { openDatabase, redactUrl, type Database } from './db.js';
import { createCipher, loadDataKey } from './personal-data.js';

/**
 * Backups of a site as one .tar.gz: `manifest.json` (what, when, the migrations applied and the row
 * count of every table), the database — the embedded data directory as PGlite dumps it
 * (`database.tar.gz`), or `pg_dump --format=custom` of a PostgreSQL database (`database.pgdump`) —
 * and the uploaded files (`uploads/`). The personal-data key is left out unless asked for: a backup
 * that travels with its key exposes every ID number to whoever holds the file.
 *
 * A restore replaces the site's data with the backup's, after moving the current embedded data aside
 * (`pgdata.before-restore-…`, `uploads.before-restore-…`), then checks the row counts against the
 * manifest and that the key in use decrypts the restored ID numbers.
 */
export interface Manifest {
  format: 1;
  kind: Database['kind'];
  createdAt: string;
  migrations: string[];
  counts: Record<string, number>;
  includesKey: boolean;
}

export class BackupError extends Error {}

export async function rowCounts(db: Database['db']): Promise<Record<string, number>> {
  const tables = (await db.execute<{ name: string } & Record<string, unknown>>(sql`
    select tablename as name from pg_tables where schemaname = 'public' order by tablename`)).rows.map((r) => r.name);
  const counts: Record<string, number> = {};
  for (const name of tables) {
    counts[name] = Number((await db.execute<{ n: string } & Record<string, unknown>>(sql.raw(`select count(*) as n from "${name.replace(/"/g, '""')}"`))).rows[0]!.n);
  }
  return counts;
}

async function migrationsOf(db: Database['db']): Promise<string[]> {
  return (await db.execute<{ name: string } & Record<string, unknown>>(sql`select name from schema_migrations order by name`)).rows.map((r) => r.name);
}

/** Writes a backup of the configured site to `outFile`; answers its manifest. */
export async function backup(config: Config, outFile: string, options: { includeKey?: boolean } = {}): Promise<Manifest> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dangjian-backup-'));
  try {
    fs.chmodSync(work, 0o700);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    let manifest: Manifest;
    try {
      manifest = {
        format: 1, kind: database.kind, createdAt: new Date().toISOString(),
        migrations: await migrationsOf(database.db), counts: await rowCounts(database.db), includesKey: options.includeKey === true,
      };
      if (database.raw.pglite) {
        const dump = await database.raw.pglite.dumpDataDir('gzip');
        fs.writeFileSync(path.join(work, 'database.tar.gz'), Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
      } else {
        await run('pg_dump', ['--format=custom', '--no-owner', `--file=${path.join(work, 'database.pgdump')}`, `--dbname=${config.databaseUrl!}`], config.databaseUrl!);
      }
    } finally {
      await database.close();
    }
    const uploads = path.join(config.dataDir, 'uploads');
    if (fs.existsSync(uploads)) fs.cpSync(uploads, path.join(work, 'uploads'), { recursive: true });
    if (manifest.includesKey) fs.writeFileSync(path.join(work, 'data.key'), loadDataKey(config.dataKey, config.dataDir).toString('base64'), { mode: 0o600 });
    fs.writeFileSync(path.join(work, 'manifest.json'), JSON.stringify(manifest, null, 2));
    fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    const partial = `${outFile}.partial`;
    await tar.create({ gzip: true, file: partial, cwd: work, portable: true }, fs.readdirSync(work));
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, outFile);
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export interface RestoreReport {
  manifest: Manifest;
  /** Tables whose row count differs from the manifest's (none after a good restore). */
  differences: string[];
  /** Of a sample of restored ID numbers and phones, how many the key in use decrypted. */
  decrypted: { tried: number; ok: number };
  /** Where the data replaced by the restore was moved (embedded database). */
  movedAside: string[];
}

/** Reads a backup's manifest without restoring it. */
export async function readManifest(file: string): Promise<Manifest> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dangjian-manifest-'));
  try {
    await extract(file, work, ['manifest.json']);
    return parseManifest(work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Replaces the configured site's data with the backup in `file`. */
export async function restore(config: Config, file: string): Promise<RestoreReport> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dangjian-restore-'));
  try {
    fs.chmodSync(work, 0o700);
    await extract(file, work);
    const manifest = parseManifest(work);
    const kind: Database['kind'] = config.databaseUrl ? 'postgres' : 'pglite';
    if (manifest.kind !== kind) {
      throw new BackupError(manifest.kind === 'pglite'
        ? '这是内置数据库的备份，只能恢复到内置数据库（不设置 DATABASE_URL）（an embedded backup restores to the embedded database only）'
        : '这是 PostgreSQL 的备份，请设置 DATABASE_URL 后恢复（a PostgreSQL backup needs DATABASE_URL）');
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const movedAside: string[] = [];
    if (kind === 'pglite') {
      fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      // opening takes the data directory's lock: a running server makes this refuse
      const current = await openDatabase({ dataDir: config.dataDir });
      await current.close();
      const pgdata = path.join(config.dataDir, 'pgdata');
      if (fs.existsSync(pgdata)) {
        const aside = `${pgdata}.before-restore-${stamp}`;
        fs.renameSync(pgdata, aside);
        movedAside.push(aside);
      }
      const dump = fs.readFileSync(path.join(work, 'database.tar.gz'));
      const restored = await openDatabase({ dataDir: config.dataDir, loadDataDir: new Blob([dump]) });
      await restored.close();
    } else {
      await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${config.databaseUrl!}`, path.join(work, 'database.pgdump')], config.databaseUrl!);
    }
    const uploads = path.join(config.dataDir, 'uploads');
    if (fs.existsSync(uploads)) {
      const aside = `${uploads}.before-restore-${stamp}`;
      fs.renameSync(uploads, aside);
      movedAside.push(aside);
    }
    if (fs.existsSync(path.join(work, 'uploads'))) fs.cpSync(path.join(work, 'uploads'), uploads, { recursive: true });
    // a key in the backup is written only where none is configured or kept: a site's own key is never replaced
    const keyFile = path.join(config.dataDir, 'data.key');
    if (manifest.includesKey && !config.dataKey && !fs.existsSync(keyFile)) {
      fs.copyFileSync(path.join(work, 'data.key'), keyFile);
      fs.chmodSync(keyFile, 0o600);
    }
    return { manifest, movedAside, ...(await checkRestored(config, manifest)) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function checkRestored(config: Config, manifest: Manifest): Promise<Pick<RestoreReport, 'differences' | 'decrypted'>> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const counts = await rowCounts(database.db);
    const differences = Object.entries(manifest.counts).filter(([table, n]) => counts[table] !== n).map(([table, n]) => `${table}: ${counts[table] ?? '—'} / ${n}`);
    const sealed = (await database.db.execute<{ v: string } & Record<string, unknown>>(sql`
      (select id_number_enc as v from members where id_number_enc is not null limit 5)
      union all (select phone_enc from members where phone_enc is not null limit 5)`)).rows.map((r) => r.v);
    let ok = 0;
    if (sealed.length) {
      const key = config.dataKey || fs.existsSync(path.join(config.dataDir, 'data.key')) ? loadDataKey(config.dataKey, config.dataDir) : null;
      const cipher = key ? createCipher(key) : null;
      for (const value of sealed) {
        try {
          if (cipher) { cipher.decrypt(value); ok++; }
        } catch { /* counted as not decrypted */ }
      }
    }
    return { differences, decrypted: { tried: sealed.length, ok } };
  } finally {
    await database.close();
  }
}

function parseManifest(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) throw new BackupError('不是党建云的备份文件：缺少 manifest.json（not a Dangjian Cloud backup）');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  if (manifest.format !== 1) throw new BackupError(`不支持的备份格式 ${String(manifest.format)}（unsupported backup format）`);
  return manifest;
}

async function extract(file: string, dir: string, only?: string[]): Promise<void> {
  if (!fs.existsSync(file)) throw new BackupError(`找不到备份文件 ${file}（no such file）`);
  try {
    if (only) await tar.extract({ file, cwd: dir, strict: true }, only);
    else await tar.extract({ file, cwd: dir, strict: true });
  } catch (error) {
    throw new BackupError(`无法读取备份文件 ${file}：${(error as Error).message}（cannot read the backup）`);
  }
}

/** Runs a PostgreSQL client tool; a missing tool or a failure is one clear line. */
function run(command: string, args: string[], url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += String(chunk); });
    child.on('error', (error: NodeJS.ErrnoException) => reject(new BackupError(error.code === 'ENOENT'
      ? `找不到 ${command}：请安装与服务器版本一致的 PostgreSQL 客户端（${command} not found: install the PostgreSQL client tools）`
      : `${command}：${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`${command} 失败（${redactUrl(url)}）：${stderr.trim().split('\n').slice(-3).join(' ').replaceAll(url, redactUrl(url))}`))));
  });
}

/** backups/dangjian-YYYYMMDD-HHMMSS.tar.gz, in Beijing time. */
export function defaultBackupFile(now = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return path.join('backups', `dangjian-${local.slice(0, 10).replaceAll('-', '')}-${local.slice(11, 19).replaceAll(':', '')}.tar.gz`);
}
