/**
 * Creates a platform administrator on the configured database (DATABASE_URL, or the embedded
 * one in DATA_DIR), after bringing its schema up to date:
 *
 *   npm run admin:create -- --username zhangsan --password '…' [--name 张三]
 *
 * Without --username/--password on a terminal, it asks (the password without echo).
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { PasswordSchema } from '../../../contracts/auth.js';
import { readConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db.js';
import { DataDirInUseError } from '../platform/data-dir-lock.js';
import { migrate } from '../platform/migrate.js';
import { assertStrongPassword, hashPassword } from '../platform/passwords.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,49}$/;

function fail(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(1);
}

async function ask(question: string, hidden = false): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // echo nothing but the prompt while the password is typed
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    output._writeToOutput = (s: string) => { if (s.includes(question)) process.stdout.write(question); };
  }
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  if (hidden) process.stdout.write('\n');
  return answer.trim();
}

const { values } = parseArgs({
  options: { username: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  strict: true,
});
if (values.help) {
  console.log('usage: npm run admin:create -- --username <name> --password <password> [--name <display name>]');
  process.exit(0);
}
const interactive = process.stdin.isTTY && process.stdout.isTTY;
let username = values.username?.trim();
let password = values.password;
if (!username) username = interactive ? await ask('用户名 (username): ') : fail('--username is required (no terminal to ask on)');
if (!USERNAME.test(username)) fail('用户名须为 2–50 位字母、数字或 . _ -（username: 2–50 letters, digits, . _ -）');
if (!password) {
  if (!interactive) fail('--password is required (no terminal to ask on)');
  password = await ask('密码 (password): ', true);
  if ((await ask('再次输入密码 (repeat): ', true)) !== password) fail('两次输入的密码不一致（the passwords differ）');
}
if (!PasswordSchema.safeParse(password).success) fail('密码至少 10 位，且须同时包含字母和数字（at least 10 characters with letters and digits）');
const displayName = values.name?.trim() || username;
await assertStrongPassword(password, 'password', [username, displayName])
  .catch(() => fail('密码太容易被猜到（常见密码、键盘序列、日期或含用户名），请换一个（the password is easy to guess; choose another）'));
if (displayName.length > 50) fail('--name: 最多 50 个字符');

const config = readConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }).catch((error: unknown) => {
  // a running embedded server holds the data directory: writing beside it would be lost or collide
  if (error instanceof DataDirInUseError) fail(error.message);
  throw error;
});
try {
  await migrate(database);
  const { db } = database;
  const passwordHash = await hashPassword(password);
  const created = await db.transaction(async (tx) => {
    const existing = await tx.execute(sql`select 1 from users where lower(username) = ${username.toLowerCase()}`);
    if (existing.rows.length) return null;
    const id = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into users (username, display_name, password_hash) values (${username}, ${displayName}, ${passwordHash}) returning id::text`)).rows[0]!.id;
    await tx.execute(sql`insert into user_roles (user_id, role) values (${id}, 'platform_admin')`);
    await tx.execute(sql`insert into audit_log (username, action, target_type, target_id, detail)
      values ('admin:create', 'user.create', 'user', ${id}, ${JSON.stringify({ username, roles: ['platform_admin'], via: 'command line' })}::jsonb)`);
    return id;
  });
  if (!created) fail(`用户名 ${username} 已存在（the username is taken）`);
  console.log(`已创建平台管理员 ${username}（${displayName}），数据库：${database.kind === 'pglite' ? config.dataDir : 'PostgreSQL'}`);
} finally {
  await database.close();
}
