import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../platform/db.js';
import { migrate } from '../platform/migrate.js';
import { verifyPassword } from '../platform/passwords.js';

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-admin-create-'));
const script = path.resolve(import.meta.dirname, 'admin-create.ts');
const tsx = path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');

/** Runs the command on its own embedded database (DATABASE_URL cleared), as an operator would. */
async function adminCreate(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [script, ...args], { env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir }, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

async function accounts() {
  const database = await openDatabase({ dataDir });
  try {
    // a refusal may come before the command ever opened the database
    await migrate(database);
    return (await database.db.execute<{ username: string; display_name: string; password_hash: string; roles: string } & Record<string, unknown>>(sql`
      select u.username, u.display_name, u.password_hash, string_agg(r.role || coalesce(':' || r.org_id, ''), ',') as roles
        from users u left join user_roles r on r.user_id = u.id group by u.id order by u.id`)).rows;
  } finally {
    await database.close();
  }
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm run admin:create', () => {
  it('refuses a weak password and creates nothing', async () => {
    const r = await adminCreate('--username', 'ops.li', '--password', 'short1');
    expect(r.code).toBe(1);
    expect(r.out).toContain('密码至少 10 位');
    expect(await accounts()).toEqual([]);
  }, 90_000);

  it('creates a platform administrator who can sign in with the password', async () => {
    const r = await adminCreate('--username', 'ops.li', '--password', 'Strong-pass-2025', '--name', '李运维');
    expect(r.code, r.out).toBe(0);
    const [account, ...others] = await accounts();
    expect(others).toEqual([]);
    expect(account).toMatchObject({ username: 'ops.li', display_name: '李运维', roles: 'platform_admin' });
    expect(await verifyPassword(account!.password_hash, 'Strong-pass-2025')).toBe(true);
    expect(account!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  }, 90_000);

  it('refuses an existing username, whatever its case, and asks for options when there is no terminal', async () => {
    const taken = await adminCreate('--username', 'OPS.LI', '--password', 'Another-pass-2025');
    expect(taken.code).toBe(1);
    expect(taken.out).toContain('已存在');
    const missing = await adminCreate();
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('--username is required');
    expect((await accounts()).map((a) => a.username)).toEqual(['ops.li']);
  }, 90_000);

  it('refuses to open the data directory while a server holds it, and writes nothing there', async () => {
    const server = await openDatabase({ dataDir });
    try {
      const r = await adminCreate('--username', 'ops.wang', '--password', 'Strong-pass-2026');
      expect(r.code).toBe(1);
      expect(r.out).toContain(`正由进程 ${process.pid} 使用`);
    } finally {
      await server.close();
    }
    expect((await accounts()).map((a) => a.username)).toEqual(['ops.li']);
  }, 90_000);
});
