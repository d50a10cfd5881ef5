import { readConfig } from './platform/config.js';
import { DatabaseUnavailableError, REPLICA_WITHOUT_PRIMARY, openDatabase, waitForDatabase } from './platform/db.js';
import { DataDirInUseError } from './platform/data-dir-lock.js';
import { migrate } from './platform/migrate.js';
import { buildApp } from './platform/app.js';
import { modules } from './modules/index.js';
import { createCipher, loadDataKey } from './platform/personal-data.js';
import { isDatabaseEmpty, seedDemo } from './demo/seed-demo.js';
import { startAuditSealer } from './platform/audit-chain.js';
import { startScheduler } from './platform/scheduler.js';
import { activeChannelNames } from './platform/channels.js';

const config = readConfig();
// a misspelt NOTIFY_CHANNELS stops the start, not the first delivery
activeChannelNames();
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
// a few lines that say what the start is doing; pino's JSON lines are for requests and events
const progress = (line: string) => console.log(line);
let step = performance.now();
if (config.databaseReplicaUrl && !config.databaseUrl) {
  console.error(REPLICA_WITHOUT_PRIMARY);
  process.exit(1);
}
progress(`打开数据库（${config.databaseUrl ? `PostgreSQL${config.databaseReplicaUrl ? '，只读副本 DATABASE_REPLICA_URL' : ''}` : `内置 PGlite，${config.dataDir}`}）…`);
const database = await openDatabase({ url: config.databaseUrl, replicaUrl: config.databaseReplicaUrl, dataDir: config.dataDir }).catch((error: unknown) => {
  if (error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
// PostgreSQL may start after us: retry for DB_WAIT_SECONDS (60) with one clear line per attempt
await waitForDatabase(database, Number(process.env.DB_WAIT_SECONDS ?? 60) * 1000).catch((error: unknown) => {
  if (!(error instanceof DatabaseUnavailableError)) throw error;
  console.error(error.message);
  process.exit(1);
});
progress(`打开数据库… 完成，用时 ${seconds(step)}`);
step = performance.now();
const applied = await migrate(database);
progress(applied.length ? `数据库迁移… 应用了 ${applied.length} 个（${applied.at(-1)} 为最新），用时 ${seconds(step)}` : `数据库迁移… 已是最新（${seconds(step)}）`);
const cipher = createCipher(loadDataKey(config.dataKey, config.dataDir));
const app = await buildApp({ modules, database, config, cipher, logger: { level: config.logLevel } });
if (applied.length) app.log.debug({ applied }, 'migrations applied');
app.addHook('onClose', startAuditSealer(database.db, app.log));

if (config.demo && (await isDatabaseEmpty(database.db))) {
  step = performance.now();
  progress('创建演示数据（空数据库；DEMO=0 则不创建）…');
  const summary = await seedDemo(database.db, cipher);
  progress(`创建演示数据… 完成：${summary.orgs} 个党组织、${summary.members} 名党员，用时 ${seconds(step)}\n演示账号（公开的密码，正式使用请改掉或以 DEMO=0 启动）：\n` +
    summary.accounts.map((a) => `  ${a.username.padEnd(10)} / ${a.password.padEnd(22)} ${a.description}`).join('\n'));
}

// after the demo is seeded, so the first reminders see it whole. SCHEDULER=0: this process runs no jobs (another process does; every process may, a job runs once)
if (process.env.SCHEDULER !== '0') {
  const scheduler = startScheduler(database.db, modules.flatMap((m) => m.jobs ?? []), app.log);
  app.addHook('onClose', () => scheduler.stop());
}

await app.listen({ port: config.port, host: config.host });
progress(`党建云已启动 http://localhost:${config.port}（API 文档 /api/docs；数据库：${database.kind === 'pglite' ? `内置 PGlite，${config.dataDir}` : 'PostgreSQL'}；启动用时 ${(performance.now() / 1000).toFixed(1)} s）`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => database.close()).then(() => process.exit(0));
  });
}
