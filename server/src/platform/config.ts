import path from 'node:path';

/** Everything the server reads from the environment, read once at start. */
export interface Config {
  port: number;
  host: string;
  /** When set, a real PostgreSQL server; otherwise embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** A PostgreSQL streaming replica for read-only lists, reports and dashboards (platform/replica.ts). */
  databaseReplicaUrl: string | undefined;
  /** A direct connection for LISTEN (the session cache), when DATABASE_URL goes through a transaction pooler. */
  databaseListenUrl: string | undefined;
  dataDir: string;
  /** Create the demo organisation on first start with an empty database. */
  demo: boolean;
  /** base64 32-byte key for personal data at rest; generated into dataDir when absent. */
  dataKey: string | undefined;
  /** Serve web/dist when it exists. */
  webDir: string;
  logLevel: string;
  /** Cookies marked Secure (behind HTTPS). */
  secureCookies: boolean;
  /** GET /metrics answers with `Authorization: Bearer <token>`; without a token there is no /metrics. */
  metricsToken: string | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReplicaUrl: env.DATABASE_REPLICA_URL || undefined,
    databaseListenUrl: env.DATABASE_LISTEN_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    demo: env.DEMO !== '0',
    dataKey: env.DATA_KEY || undefined,
    webDir: path.resolve(env.WEB_DIR ?? 'web/dist'),
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.SECURE_COOKIES === '1',
    metricsToken: env.METRICS_TOKEN || undefined,
  };
}
