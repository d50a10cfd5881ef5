/**
 * Several server processes on one port (node:cluster): `WORKERS=2 node dist/server/src/cluster.js`.
 *
 * Every worker is the ordinary server (main.js): sessions, login throttling and jobs live in the
 * database, so any worker may answer any request and no sticky sessions are needed. The first
 * worker starts alone and the others follow once it listens, so that migrations and the demo
 * seed run once (migrate() also holds an advisory lock on PostgreSQL). A worker that dies is
 * replaced. WORKERS defaults to the number of CPUs. With METRICS_TOKEN and METRICS_PORT the
 * primary serves every worker's figures summed at http://METRICS_HOST(127.0.0.1):METRICS_PORT/metrics.
 */
import cluster from 'node:cluster';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveClusterMetrics } from './platform/metrics.js';

const workers = Math.max(1, Number(process.env.WORKERS ?? os.availableParallelism()));
if (workers > 1 && !process.env.DATABASE_URL) {
  // the embedded database (PGlite) is one process's files: two processes would corrupt them
  console.error('cluster: several workers need PostgreSQL (DATABASE_URL); the embedded database serves one process (WORKERS=1)');
  process.exit(1);
}
let stopping = false;
let started = false;

cluster.setupPrimary({ exec: path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js') });

function fork(): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = cluster.fork();
    worker.once('listening', () => resolve());
    worker.once('exit', (code) => reject(new Error(`worker ${worker.process.pid} exited with code ${code} before listening`)));
  });
}

cluster.on('exit', (worker, code, signal) => {
  if (stopping || !started) return;
  console.error(`党建云 worker ${worker.process.pid} stopped (${signal ?? code}); starting another`);
  // a replacement that cannot start is reported, not retried in a loop
  fork().catch((error: unknown) => console.error(String(error)));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    // workers close their servers and database pools, then exit; the primary follows
    const timer = setTimeout(() => process.exit(0), 10_000);
    timer.unref();
    cluster.on('exit', () => { if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0); });
  });
}

try {
  await fork();
  await Promise.all(Array.from({ length: workers - 1 }, fork));
  started = true;
  if (process.env.METRICS_TOKEN && process.env.METRICS_PORT) {
    serveClusterMetrics(Number(process.env.METRICS_PORT), process.env.METRICS_HOST ?? '127.0.0.1', process.env.METRICS_TOKEN).unref();
  }
  console.log(`党建云: ${workers} worker process${workers > 1 ? 'es' : ''} (primary ${process.pid})`);
} catch (error) {
  console.error(String(error));
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
  process.exit(1);
}
