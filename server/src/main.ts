import { readConfig } from './platform/config.js';
import { DatabaseUnavailableError, openDatabase, waitForDatabase } from './platform/db.js';
import { DataDirInUseError } from './platform/data-dir-lock.js';
import { migrate } from './platform/migrate.js';
import { buildApp } from './platform/app.js';
import { modules } from './modules/index.js';
import { createCipher, loadDataKey } from './platform/personal-data.js';
import { isDatabaseEmpty, seedDemo } from './demo/seed-demo.js';
import { startAuditSealer } from './platform/audit-chain.js';

const config = readConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }).catch((error: unknown) => {
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
const applied = await migrate(database);
const cipher = createCipher(loadDataKey(config.dataKey, config.dataDir));
const app = await buildApp({ modules, database, config, cipher, logger: { level: config.logLevel } });
if (applied.length) app.log.info({ applied }, 'migrations applied');
app.addHook('onClose', startAuditSealer(database.db, app.log));

if (config.demo && (await isDatabaseEmpty(database.db))) {
  app.log.info('empty database: creating the demo organisation (DEMO=0 to start empty)');
  const summary = await seedDemo(database.db, cipher);
  console.log(`\n党建云 demo data: ${summary.orgs} party organizations, ${summary.members} members.\nDemo accounts:\n` +
    summary.accounts.map((a) => `  ${a.username.padEnd(10)} / ${a.password.padEnd(22)} ${a.description}`).join('\n') + '\n');
}

await app.listen({ port: config.port, host: config.host });
console.log(`党建云 is running at http://localhost:${config.port}  (API docs: /api/docs, database: ${database.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => database.close()).then(() => process.exit(0));
  });
}
