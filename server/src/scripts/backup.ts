/**
 * Backs up the configured site (DATABASE_URL, or the embedded database in DATA_DIR) and its uploaded
 * files into one .tar.gz (platform/backup.ts describes it):
 *
 *   npm run backup -- [--out FILE] [--include-key]
 *
 * FILE defaults to backups/dangjian-YYYYMMDD-HHMMSS.tar.gz (Beijing time). The embedded database is
 * opened by one process at a time: stop the server first. PostgreSQL is dumped while it runs.
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../platform/config.js';
import { DataDirInUseError } from '../platform/data-dir-lock.js';
import { BackupError, createBackup, defaultBackupFile } from '../platform/backup.js';

function fail(message: string): never {
  console.error(`backup: ${message}`);
  process.exit(1);
}

let values: { out?: string; 'include-key'?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({ options: { out: { type: 'string' }, 'include-key': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
} catch (error) {
  fail(`${(error as Error).message}（usage: npm run backup -- [--out FILE] [--include-key]）`);
}
if (values.help) {
  console.log('usage: npm run backup -- [--out FILE] [--include-key]');
  process.exit(0);
}
const out = values.out ?? defaultBackupFile();
const started = Date.now();
const manifest = await createBackup({ config: readConfig(), out, includeKey: values['include-key'] }).catch((error: unknown) => {
  if (error instanceof BackupError || error instanceof DataDirInUseError) fail(error.message);
  throw error;
});
const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
console.log(`备份完成：${out}（${manifest.database === 'pglite' ? '内置数据库' : 'PostgreSQL'}，${Object.keys(manifest.tables).length} 张表 ${rows} 行，` +
  `${manifest.uploads} 个上传文件，${((Date.now() - started) / 1000).toFixed(1)} 秒）\nBackup written: ${out}`);
console.warn(manifest.includesKey
  ? '注意：此备份含数据密钥，持有该文件者可解密全部身份证号，请按机密文件保管。\nNote: this backup holds the data key: anyone with the file can decrypt the ID numbers.'
  : '注意：备份不含数据密钥（DATA_KEY 或 DATA_DIR/data.key）。请另行妥善保管密钥：没有它，身份证号无法解密。\n' +
    'Note: the data key is not in the backup; keep the key separately — without it ID numbers cannot be decrypted.');
