import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { chinaWallClock } from '../../../contracts/china-time.js';
import type { Config } from './config.js';
import { openDatabase, redactUrl, type Db } from './db.js';
import { lockDataDir } from './data-dir-lock.js';
import { createCipher, loadDataKey } from './personal-data.js';

/**
 * Backup and restore of a whole site: the database and the uploaded files, in one .tar.gz.
 *
 *   manifest.json            what the backup holds (first, so a restore can describe it without reading the rest)
 *   database/pgdata.tar.gz   the embedded database, PGlite's own dump of its data directory
 *   database/postgres.dump   or a PostgreSQL database, `pg_dump --format=custom`
 *   data.key                 only with includeKey: the key of the personal data
 *   uploads/<key>            DATA_DIR/uploads as it was
 *
 * The key stays out by default: a backup copied off-site must not open the ID numbers it carries.
 */
export interface BackupManifest {
  format: 'dangjian-backup';
  version: 1;
  createdAt: string;
  database: 'pglite' | 'postgres';
  includesKey: boolean;
  /** Rows per table when the database was dumped: a restore is checked against them. */
  tables: Record<string, number>;
  uploads: number;
}

/** A refusal or failure an operator can act on: the commands print its message and exit 1. */
export class BackupError extends Error {
  override name = 'BackupError';
}

const MANIFEST = 'manifest.json';
const PGLITE_DUMP = 'database/pgdata.tar.gz';
const POSTGRES_DUMP = 'database/postgres.dump';
const KEY_ENTRY = 'data.key';
const UPLOADS = 'uploads';

/** backups/dangjian-YYYYMMDD-HHMMSS.tar.gz, the time as a clock in Beijing reads it. */
export function defaultBackupFile(now: Date = new Date()): string {
  const stamp = chinaWallClock(now).slice(0, 19).replace(/-|:/g, '').replace('T', '-');
  return path.join('backups', `dangjian-${stamp}.tar.gz`);
}

type Rows = (text: string) => Promise<Record<string, unknown>[]>;
const onDb = (db: Db): Rows => async (text) => (await db.execute<Record<string, unknown>>(sql.raw(text))).rows;
const onClient = (client: pg.Client | pg.PoolClient): Rows => async (text) => (await client.query<Record<string, unknown>>(text)).rows;

/** Rows of every table of the current schema, by name. */
export async function tableCounts(rows: Rows | Db): Promise<Record<string, number>> {
  const query = typeof rows === 'function' ? rows : onDb(rows);
  const tables = await query(`select table_name::text as name from information_schema.tables
                                where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`);
  const counts: Record<string, number> = {};
  for (const { name } of tables as { name: string }[]) {
    counts[name] = Number((await query(`select count(*)::int as n from "${name.replace(/"/g, '""')}"`))[0]!.n);
  }
  return counts;
}

// ---------- create ----------

export interface CreateBackupOptions {
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dataKey'>;
  /** The archive to write; refused when it exists. */
  out: string;
  includeKey?: boolean;
}

/**
 * Writes the archive beside `out` and renames it into place when complete, so a failed backup
 * leaves no file that looks like one. The embedded database is opened (and its directory locked)
 * for the whole backup: a running server makes it throw DataDirInUseError.
 */
export async function createBackup({ config, out, includeKey = false }: CreateBackupOptions): Promise<BackupManifest> {
  if (fs.existsSync(out)) throw new BackupError(`备份文件 ${out} 已存在，不会覆盖（the backup file exists; choose another --out）`);
  const key = includeKey ? readKey(config) : undefined;
  if (includeKey && !key) throw new BackupError(`--include-key：未设置 DATA_KEY，数据目录中也没有 data.key（there is no data key to include）`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true, mode: 0o700 });
  const partial = `${out}.partial`;
  fs.rmSync(partial, { force: true });
  const work = fs.mkdtempSync(`${path.resolve(out)}.work-`);
  try {
    const manifest = config.databaseUrl
      ? await dumpPostgres(config.databaseUrl, path.join(work, 'postgres.dump'), config, key !== undefined)
      : await dumpPglite(config, path.join(work, 'pgdata.tar.gz'), key !== undefined);
    const dump = path.join(work, config.databaseUrl ? 'postgres.dump' : 'pgdata.tar.gz');
    await writeArchive(partial, manifest, [
      { name: config.databaseUrl ? POSTGRES_DUMP : PGLITE_DUMP, file: dump },
      ...(key ? [{ name: KEY_ENTRY, data: Buffer.from(key.toString('base64')) }] : []),
    ], path.join(config.dataDir, UPLOADS));
    fs.renameSync(partial, out);
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(partial, { force: true });
  }
}

async function dumpPglite(config: CreateBackupOptions['config'], dumpFile: string, includesKey: boolean): Promise<BackupManifest> {
  if (!fs.existsSync(path.join(config.dataDir, 'pgdata', 'PG_VERSION'))) {
    throw new BackupError(`数据目录 ${config.dataDir} 中没有内置数据库（no embedded database in DATA_DIR; is DATA_DIR right?）`);
  }
  const database = await openDatabase({ dataDir: config.dataDir });
  try {
    const tables = await tableCounts(database.db);
    const dump = await database.raw.pglite!.dumpDataDir('gzip');
    fs.writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    // the uploads are read while the directory is still ours: no server can add or remove one meanwhile
    return manifestOf('pglite', tables, includesKey, config.dataDir);
  } finally {
    await database.close();
  }
}

/**
 * pg_dump runs in a snapshot exported by our own transaction, so the row counts in the manifest
 * are those of the dump even while a server keeps writing.
 */
async function dumpPostgres(url: string, dumpFile: string, config: CreateBackupOptions['config'], includesKey: boolean): Promise<BackupManifest> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin transaction isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const tables = await tableCounts(onClient(client));
    await runPgTool('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--file=${dumpFile}`], url);
    await client.query('commit');
    return manifestOf('postgres', tables, includesKey, config.dataDir);
  } finally {
    await client.end();
  }
}

function manifestOf(database: BackupManifest['database'], tables: Record<string, number>, includesKey: boolean, dataDir: string): BackupManifest {
  return { format: 'dangjian-backup', version: 1, createdAt: new Date().toISOString(), database, includesKey, tables, uploads: listFiles(path.join(dataDir, UPLOADS)).length };
}

/** The key the server would use, without generating one (loadDataKey would, for an empty data dir). */
function readKey(config: Pick<Config, 'dataDir' | 'dataKey'>): Buffer | undefined {
  if (config.dataKey) return loadDataKey(config.dataKey, config.dataDir);
  return fs.existsSync(path.join(config.dataDir, KEY_ENTRY)) ? loadDataKey(undefined, config.dataDir) : undefined;
}

/** Files under `dir`, as paths relative to it with '/' separators. */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Runs pg_dump or pg_restore on `url`, the password through PGPASSWORD rather than on a command line others can list. */
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${target.toString()}`], {
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT'
      ? new BackupError(`找不到 ${tool}：请安装 PostgreSQL 客户端工具，主版本不低于服务器（${tool} not found: install the PostgreSQL client tools, same or newer major version than the server）`)
      : error));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const reason = stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit code ${code}`;
      reject(new BackupError(`${tool} 失败（${tool} failed）：${reason}`));
    });
  });
}

// ---------- restore ----------

export interface RestoreOptions {
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dataKey'>;
  file: string;
  /** Without it nothing is changed: RestoreNotConfirmedError says what would be replaced. */
  confirmed: boolean;
}

export class RestoreNotConfirmedError extends BackupError {
  override name = 'RestoreNotConfirmedError';
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** Rows per table after the restore. */
  tables: Record<string, number>;
  /** Tables whose rows differ from the manifest's. */
  mismatches: string[];
  uploads: number;
  /** Where the key checked against the restored ID numbers came from, and how many of a sample it opened. */
  key: { source: 'DATA_KEY' | 'data.key' | 'backup' | 'none'; sampled: number; decrypted: number };
}

/** Reads and checks the manifest alone (the archive's first entry). */
export async function readManifest(file: string): Promise<BackupManifest> {
  if (!fs.existsSync(file)) throw new BackupError(`备份文件 ${file} 不存在（no such file）`);
  let manifest: unknown;
  try {
    await readArchive(file, (name) => ({
      take: (data) => {
        if (name === MANIFEST) manifest = JSON.parse(data.toString('utf8'));
        return 'stop';
      },
    }));
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} 不是党建云备份文件（not a 党建云 backup: ${(error as Error).message}）`);
  }
  const m = manifest as Partial<BackupManifest> | undefined;
  if (m?.format !== 'dangjian-backup' || m.version !== 1 || !m.tables) throw new BackupError(`${file} 不是党建云备份文件（not a 党建云 backup）`);
  return m as BackupManifest;
}

/**
 * Replaces the site's data by a backup's. The backup is unpacked and (for the embedded database)
 * opened in a staging directory inside DATA_DIR first; the current data is swapped out only once the
 * copy has proven whole, so a damaged archive changes nothing. On PostgreSQL pg_restore runs in one
 * transaction: it lands whole or not at all.
 */
export async function restoreBackup({ config, file, confirmed }: RestoreOptions): Promise<RestoreReport> {
  const manifest = await readManifest(path.resolve(file));
  const kind = config.databaseUrl ? 'postgres' : 'pglite';
  if (manifest.database !== kind) {
    throw new BackupError(manifest.database === 'pglite'
      ? '此备份来自内置数据库，当前设置了 DATABASE_URL（PostgreSQL），不能直接恢复（a backup of the embedded database cannot be restored into PostgreSQL）'
      : '此备份来自 PostgreSQL，请设置 DATABASE_URL 后恢复（a PostgreSQL backup: set DATABASE_URL to restore it）');
  }
  const current = config.databaseUrl ? await describePostgres(config.databaseUrl) : await describePglite(config.dataDir);
  const uploadsNow = listFiles(path.join(config.dataDir, UPLOADS)).length;
  if (!confirmed) {
    throw new RestoreNotConfirmedError(
      `恢复将替换 ${current.where} 的全部数据（当前 ${summarize(current.tables)}）及 ${path.join(config.dataDir, UPLOADS)} 中的 ${uploadsNow} 个上传文件，` +
      `换成 ${chinaWallClock(manifest.createdAt).slice(0, 19).replace('T', ' ')} 的备份（${summarize(manifest.tables)}，${manifest.uploads} 个文件）。确认请加 --yes。\n` +
      `Restoring replaces all data of ${current.where} and its uploaded files with the backup's. Add --yes to proceed.`);
  }
  if (current.otherSessions) {
    throw new BackupError(`数据库仍有 ${current.otherSessions} 个其他连接（运行中的服务器？），请先停止服务器再恢复（other sessions are connected: stop the servers first）`);
  }

  const unlock = lockDataDir(config.dataDir);
  const staging = fs.mkdtempSync(path.join(config.dataDir, 'restore-'));
  try {
    await extractArchive(path.resolve(file), staging);
    const archivedKey = manifest.includesKey && fs.existsSync(path.join(staging, KEY_ENTRY))
      ? loadDataKey(fs.readFileSync(path.join(staging, KEY_ENTRY), 'utf8').trim(), staging) : undefined;
    const key: { value?: Buffer; source: RestoreReport['key']['source'] } = config.dataKey
      ? { value: loadDataKey(config.dataKey, config.dataDir), source: 'DATA_KEY' }
      : archivedKey ? { value: archivedKey, source: 'backup' }
        : { value: readKey(config), source: readKey(config) ? 'data.key' : 'none' };

    let tables: Record<string, number>;
    let sample: { sampled: number; decrypted: number };
    if (config.databaseUrl) {
      await runPgTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', path.join(staging, POSTGRES_DUMP)], config.databaseUrl);
      const database = await openDatabase({ url: config.databaseUrl });
      try {
        tables = await tableCounts(database.db);
        sample = await tryKey(database.db, key.value);
      } finally {
        await database.close();
      }
    } else {
      const dump = path.join(staging, PGLITE_DUMP);
      if (!fs.existsSync(dump)) throw new BackupError('备份中缺少数据库（the archive holds no database dump）');
      const loaded = await openDatabase({ dataDir: path.join(staging, 'db'), loadDataDir: new Blob([fs.readFileSync(dump)]) });
      try {
        tables = await tableCounts(loaded.db);
        sample = await tryKey(loaded.db, key.value);
      } finally {
        await loaded.close();
      }
      const broken = mismatchesOf(manifest.tables, tables);
      if (broken.length) throw new BackupError(`备份中的数据库不完整，未做任何更改（the archived database does not match its manifest: ${broken.join(', ')}; nothing changed）`);
      swapIn(path.join(staging, 'db', 'pgdata'), path.join(config.dataDir, 'pgdata'), path.join(staging, 'replaced-pgdata'));
    }
    const restoredUploads = path.join(staging, UPLOADS);
    if (!fs.existsSync(restoredUploads)) fs.mkdirSync(restoredUploads, { mode: 0o700 });
    swapIn(restoredUploads, path.join(config.dataDir, UPLOADS), path.join(staging, 'replaced-uploads'));
    if (key.source === 'backup') installKey(config.dataDir, archivedKey!);
    return { manifest, tables, mismatches: mismatchesOf(manifest.tables, tables), uploads: listFiles(path.join(config.dataDir, UPLOADS)).length, key: { source: key.source, ...sample } };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}

async function describePglite(dataDir: string): Promise<{ where: string; tables: Record<string, number>; otherSessions: number }> {
  const where = `内置数据库 ${dataDir}`;
  if (!fs.existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))) return { where, tables: {}, otherSessions: 0 };
  // opening it takes the directory's lock: a running server makes this throw DataDirInUseError
  const database = await openDatabase({ dataDir });
  try {
    return { where, tables: await tableCounts(database.db), otherSessions: 0 };
  } finally {
    await database.close();
  }
}

async function describePostgres(url: string): Promise<{ where: string; tables: Record<string, number>; otherSessions: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const others = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return { where: `PostgreSQL ${redactUrl(url)}`, tables: await tableCounts(onClient(client)), otherSessions: others.rows[0]!.n };
  } finally {
    await client.end();
  }
}

const SUMMARY_TABLES: [string, string][] = [['orgs', '组织'], ['members', '党员'], ['users', '账号'], ['activities', '活动']];
function summarize(tables: Record<string, number>): string {
  if (!Object.keys(tables).length) return '空';
  return SUMMARY_TABLES.filter(([t]) => t in tables).map(([t, label]) => `${label} ${tables[t]}`).join('、') || `${Object.keys(tables).length} 张表`;
}

function mismatchesOf(expected: Record<string, number>, actual: Record<string, number>): string[] {
  return Object.entries(expected).filter(([t, n]) => actual[t] !== n).map(([t, n]) => `${t} ${actual[t] ?? 'missing'}≠${n}`);
}

/** Decrypts a sample of the restored ID numbers: a wrong key would otherwise show only when someone reveals one. */
async function tryKey(db: Db, key: Buffer | undefined): Promise<{ sampled: number; decrypted: number }> {
  const rows = await db.execute<{ sealed: string } & Record<string, unknown>>(sql`
    select id_number_enc as sealed from members where id_number_enc is not null order by id limit 20`).then((r) => r.rows, () => []);
  if (!key) return { sampled: rows.length, decrypted: 0 };
  const cipher = createCipher(key);
  let decrypted = 0;
  for (const { sealed } of rows) {
    try {
      cipher.decrypt(sealed);
      decrypted++;
    } catch { /* another key */ }
  }
  return { sampled: rows.length, decrypted };
}

/** Puts `fresh` at `target`, moving what was there to `replaced` (deleted with the staging directory). */
function swapIn(fresh: string, target: string, replaced: string): void {
  if (fs.existsSync(target)) fs.renameSync(target, replaced);
  fs.renameSync(fresh, target);
}

/** The restored data needs the key it was sealed with; a different key already there is kept beside it, not lost. */
function installKey(dataDir: string, key: Buffer): void {
  const file = path.join(dataDir, KEY_ENTRY);
  if (fs.existsSync(file)) {
    if (loadDataKey(undefined, dataDir).equals(key)) return;
    fs.renameSync(file, `${file}.before-restore-${defaultBackupFile().slice(-22, -7)}`);
  }
  fs.writeFileSync(file, key.toString('base64'), { mode: 0o600 });
}

// ---------- the archive: ustar in gzip, written and read as streams (uploads may be large) ----------

type Entry = { name: string; file: string } | { name: string; data: Buffer };

async function writeArchive(out: string, manifest: BackupManifest, entries: Entry[], uploadsDir: string): Promise<void> {
  async function* blocks(): AsyncGenerator<Buffer> {
    const all: Entry[] = [
      { name: MANIFEST, data: Buffer.from(JSON.stringify(manifest, null, 2)) },
      ...entries,
      ...listFiles(uploadsDir).map((f) => ({ name: `${UPLOADS}/${f}`, file: path.join(uploadsDir, f) })),
    ];
    for (const entry of all) {
      let size: number;
      if ('data' in entry) size = entry.data.length;
      else {
        try {
          size = fs.statSync(entry.file).size;
        } catch {
          continue; // an upload removed since the listing (a PostgreSQL site's server keeps running)
        }
      }
      yield* tarHeader(entry.name, size);
      if ('data' in entry) yield entry.data;
      else {
        let sent = 0;
        for await (const chunk of fs.createReadStream(entry.file, { end: size - 1 }) as AsyncIterable<Buffer>) {
          sent += chunk.length;
          yield chunk;
        }
        if (sent < size) yield Buffer.alloc(size - sent);
      }
      if (size % 512) yield Buffer.alloc(512 - (size % 512));
    }
    yield Buffer.alloc(1024);
  }
  await pipeline(Readable.from(blocks()), zlib.createGzip(), fs.createWriteStream(out, { flags: 'wx', mode: 0o600 }));
}

function* tarHeader(name: string, size: number): Generator<Buffer> {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) {
    // a longer name goes in a PAX extended header before the entry
    const body = (len: number) => `${len} path=${name}\n`;
    let len = Buffer.byteLength(body(0));
    while (Buffer.byteLength(body(len)) !== len) len = Buffer.byteLength(body(len));
    const record = Buffer.from(body(len));
    yield header('PaxHeader', record.length, 'x');
    yield record;
    if (record.length % 512) yield Buffer.alloc(512 - (record.length % 512));
  }
  yield header(nameBytes.length > 100 ? name.slice(-90) : name, size, '0');
}

function header(name: string, size: number, type: '0' | 'x'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  const octal = (offset: number, length: number, value: number) => h.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'latin1');
  octal(100, 8, 0o600);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, Math.floor(Date.now() / 1000));
  h.fill(' ', 148, 156);
  h.write(type, 156, 1, 'latin1');
  h.write('ustar\0' + '00', 257, 8, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return h;
}

/**
 * Reads the archive entry by entry: for each regular file `visit` answers where its bytes go (a new
 * file, streamed) or a function that takes them whole and says whether to stop there.
 */
type Visit = (name: string, size: number) => { to: string } | { take: (data: Buffer) => 'stop' | undefined };

async function readArchive(file: string, visit: Visit): Promise<void> {
  let buffered: Buffer = Buffer.alloc(0);
  let entry: { size: number; left: number; fd?: number; parts: Buffer[]; take?: (data: Buffer) => 'stop' | undefined } | undefined;
  let pad = 0;
  let paxPath: string | undefined;
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        if (entry) {
          const n = Math.min(entry.left, buffered.length);
          const part = buffered.subarray(0, n);
          buffered = buffered.subarray(n);
          entry.left -= n;
          if (entry.fd !== undefined) fs.writeSync(entry.fd, part);
          else entry.parts.push(Buffer.from(part));
          if (entry.left > 0) break;
          const done = entry;
          entry = undefined;
          pad = (512 - (done.size % 512)) % 512;
          if (done.fd !== undefined) fs.closeSync(done.fd);
          else if (done.take) {
            if (done.take(Buffer.concat(done.parts)) === 'stop') return;
          } else paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.concat(done.parts).toString('utf8'))?.[1];
          continue;
        }
        if (pad) {
          const n = Math.min(pad, buffered.length);
          buffered = buffered.subarray(n);
          pad -= n;
          if (pad) break;
        }
        if (buffered.length < 512) break;
        const h = buffered.subarray(0, 512);
        buffered = buffered.subarray(512);
        if (h.every((b) => b === 0)) return;
        let sum = 0;
        for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
        if (sum !== parseInt(h.toString('latin1', 148, 156), 8)) throw new BackupError('备份文件已损坏（tar header checksum mismatch）');
        const type = String.fromCharCode(h[156]!);
        const size = parseInt(h.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
        if (type === 'x') {
          entry = { size, left: size, parts: [] };
        } else if (type === '0' || type === '\0') {
          const name = paxPath ?? h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
          paxPath = undefined;
          const where = visit(name, size);
          entry = 'to' in where
            ? { size, left: size, parts: [], fd: fs.openSync(where.to, 'wx', 0o600) }
            : { size, left: size, parts: [], take: where.take };
        } else {
          throw new BackupError(`备份文件含有不支持的条目（unsupported tar entry type ${type}）`);
        }
        if (entry.left === 0) continue;
      }
    }
  } finally {
    if (entry?.fd !== undefined) fs.closeSync(entry.fd);
    input.destroy();
  }
  throw new BackupError('备份文件不完整（the archive ends early）');
}

/** Unpacks the archive under `into`, refusing any name that would land outside it. */
async function extractArchive(file: string, into: string): Promise<void> {
  const root = path.resolve(into);
  await readArchive(file, (name) => {
    const target = path.resolve(root, name);
    if (!target.startsWith(root + path.sep) || !/^(manifest\.json|data\.key|database\/[^/]+|uploads\/.+)$/.test(name) || name.split('/').includes('..')) {
      throw new BackupError(`备份文件含有不该有的路径 ${name}（unexpected path in the archive）`);
    }
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    return { to: target };
  });
}
