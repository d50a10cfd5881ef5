/**
 * Checks that the audit log has not been tampered with, on the configured database (DATABASE_URL,
 * or the embedded one in DATA_DIR): seals what the server has not sealed yet, then walks the hash
 * chain over the archive and the live log.
 *
 *   npm run audit:verify
 *
 * Prints "审计日志完整：N 条" and exits 0, or names the first break and exits 1; then the head of
 * the chain that checked out, to be noted outside the database and compared on the next run.
 */
import { readConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db.js';
import { DataDirInUseError } from '../platform/data-dir-lock.js';
import { migrate } from '../platform/migrate.js';
import { sealAudit, verifyAudit, type AuditBreak } from '../platform/audit-chain.js';

function describeBreak(b: AuditBreak): string {
  const where = b.sealSeq === null ? `id ${b.id}` : `seal_seq ${b.sealSeq}，id ${b.id}`;
  switch (b.problem) {
    case 'altered': return `${where}：内容与其哈希不符，该条记录被修改过`;
    case 'missing': return `${where}：之前缺少 seal_seq ${b.expectedSeq ?? '?'} 起的记录，有记录被删除`;
    case 'relinked': return `${where}：prev_hash 与前一条记录的哈希不符，前一条记录被删除或链被改接`;
    case 'duplicate': return `${where}：seal_seq 重复（应为 ${b.expectedSeq ?? '?'}），有记录被复制或重新编号`;
    case 'unsealed': return `${where}：记录长时间未加入哈希链，封存程序未运行或无法封存`;
  }
}

const config = readConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }).catch((error: unknown) => {
  // a running embedded server holds the data directory: verify through it, or stop it first
  if (error instanceof DataDirInUseError) {
    console.error(`audit:verify: ${error.message}`);
    process.exit(1);
  }
  throw error;
});
let intact = false;
try {
  await migrate(database);
  await sealAudit(database.db);
  const { verified, problem, head } = await verifyAudit(database.db);
  if (problem) console.error(`审计日志被篡改：${describeBreak(problem)}（此前 ${verified} 条完整）`);
  else console.log(`审计日志完整：${verified} 条`);
  // recorded elsewhere (a ticket, the ops log), the head shows later whether the end was cut or the chain rebuilt
  if (head) console.log(`链尾：seal_seq ${head.sealSeq}，哈希 ${head.hash}`);
  intact = problem === null;
} finally {
  await database.close();
}
process.exit(intact ? 0 : 1);
