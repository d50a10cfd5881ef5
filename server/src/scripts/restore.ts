/**
 * Replaces the configured site's data (DATABASE_URL, or the embedded database in DATA_DIR) and its
 * uploaded files with a backup made by `npm run backup`:
 *
 *   npm run restore -- FILE [--yes]
 *
 * Without --yes it only says what would be replaced. Stop the server first (the embedded database's
 * directory is locked by it; on PostgreSQL other sessions are refused).
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../platform/config.js';
import { DataDirInUseError } from '../platform/data-dir-lock.js';
import { BackupError, restoreBackup } from '../platform/backup.js';

function fail(message: string): never {
  console.error(`restore: ${message}`);
  process.exit(1);
}

const usage = 'usage: npm run restore -- FILE [--yes]';
let parsed: { values: { yes?: boolean; help?: boolean }; positionals: string[] };
try {
  parsed = parseArgs({ options: { yes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
} catch (error) {
  fail(`${(error as Error).message}（${usage}）`);
}
if (parsed.values.help) {
  console.log(usage);
  process.exit(0);
}
const [file, ...extra] = parsed.positionals;
if (!file || extra.length) fail(`请给出一个备份文件（${usage}）`);

const started = Date.now();
const report = await restoreBackup({ config: readConfig(), file, confirmed: parsed.values.yes === true }).catch((error: unknown) => {
  if (error instanceof BackupError || error instanceof DataDirInUseError) fail(error.message);
  throw error;
});
const rows = Object.values(report.tables).reduce((a, b) => a + b, 0);
console.log(`恢复完成：${Object.keys(report.tables).length} 张表 ${rows} 行，${report.uploads} 个上传文件，${((Date.now() - started) / 1000).toFixed(1)} 秒。Restored.`);
if (report.mismatches.length) {
  console.error(`警告：恢复后行数与备份记录不符（row counts differ from the backup's）：${report.mismatches.join('；')}`);
}
const { key } = report;
if (key.source === 'backup') console.log('数据密钥已从备份写入 DATA_DIR/data.key（the data key was restored from the backup）。');
if (key.sampled && key.decrypted < key.sampled) {
  console.error(`\n!!! 警告：${key.source === 'none' ? '没有数据密钥（未设置 DATA_KEY，DATA_DIR 中也没有 data.key）' : `当前数据密钥（${key.source}）`}` +
    `无法解密恢复的身份证号（抽查 ${key.sampled} 条，解密 ${key.decrypted} 条）。请在启动服务器前设置备份时使用的 DATA_KEY 或放回原 data.key。\n` +
    `!!! WARNING: the data key does not decrypt the restored ID numbers (${key.decrypted}/${key.sampled}). Set the DATA_KEY (or put back the data.key) the backup was made with before starting the server.\n`);
} else if (key.sampled) {
  console.log(`数据密钥核对通过：抽查 ${key.sampled} 条身份证号均可解密（the data key decrypts the restored ID numbers）。`);
}
