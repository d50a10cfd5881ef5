/**
 * npm run restore -- FILE --yes
 * Replaces the configured site's data (DATABASE_URL, or the embedded database in DATA_DIR) with a
 * backup made by `npm run backup`. Without --yes it only says what the backup holds and what would be
 * replaced. The embedded database's current files are moved aside, not deleted.
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../platform/config.js';
import { redactUrl } from '../platform/db.js';
import { DataDirInUseError } from '../platform/data-dir-lock.js';
import { BackupError, readManifest, restore } from '../platform/backup.js';

const { values, positionals } = parseArgs({ options: { yes: { type: 'boolean' } }, allowPositionals: true });
const file = positionals[0];
if (!file) {
  console.error('用法：npm run restore -- 备份文件 --yes（usage: npm run restore -- FILE --yes）');
  process.exit(1);
}
const config = readConfig();
const target = config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `内置数据库 ${config.dataDir}`;
try {
  const manifest = await readManifest(file);
  const rows = Object.values(manifest.counts).reduce((a, b) => a + b, 0);
  console.log(`备份：${manifest.createdAt}，${manifest.kind === 'pglite' ? '内置数据库' : 'PostgreSQL'}，${rows} 行，${manifest.includesKey ? '含' : '不含'}数据密钥`);
  if (!values.yes) {
    console.error(`恢复将以此备份替换 ${target} 的全部数据与上传文件。确认请加 --yes（the restore replaces all data of ${target}; add --yes to proceed）`);
    process.exit(1);
  }
  const report = await restore(config, file);
  for (const aside of report.movedAside) console.log(`原有数据已移至 ${aside}`);
  if (report.differences.length) {
    console.error(`恢复后行数与备份不符（row counts differ）：${report.differences.join('；')}`);
    process.exit(1);
  }
  console.log(`恢复完成：${target}，行数与备份一致。`);
  if (report.decrypted.tried > report.decrypted.ok) {
    console.error(`警告：当前数据密钥无法解密恢复的身份证号/手机号（${report.decrypted.tried - report.decrypted.ok}/${report.decrypted.tried} 条失败）。请设置备份时使用的 DATA_KEY。(WARNING: the data key in use does not decrypt the restored personal data.)`);
    process.exit(2);
  }
} catch (error) {
  if (error instanceof BackupError || error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
