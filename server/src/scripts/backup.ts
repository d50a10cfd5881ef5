/**
 * npm run backup -- [--out FILE] [--include-key]
 * Backs up the configured site (DATABASE_URL, or the embedded database in DATA_DIR) and its uploaded
 * files into one .tar.gz (default backups/dangjian-YYYYMMDD-HHMMSS.tar.gz, Beijing time). On the
 * embedded database, run it while the server is stopped (the data directory is opened by one
 * process at a time).
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../platform/config.js';
import { DataDirInUseError } from '../platform/data-dir-lock.js';
import { BackupError, backup, defaultBackupFile } from '../platform/backup.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'include-key': { type: 'boolean' } } });
const out = values.out ?? defaultBackupFile();
try {
  const manifest = await backup(readConfig(), out, { includeKey: values['include-key'] });
  const rows = Object.values(manifest.counts).reduce((a, b) => a + b, 0);
  console.log(`备份完成：${out}（${Object.keys(manifest.counts).length} 张表，${rows} 行，${manifest.migrations.length} 个迁移）`);
  console.log(manifest.includesKey
    ? '注意：此备份含数据密钥，持有该文件者可读取全部身份证号与手机号，请按机密文件保管。(This backup holds the data key.)'
    : '注意：备份不含数据密钥（DATA_KEY 或 DATA_DIR/data.key）。请另行妥善保管密钥：没有它，恢复后的身份证号与手机号无法解密。(The data key is not in the backup: keep it separately.)');
} catch (error) {
  if (error instanceof BackupError || error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
