import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../test/harness.js';
import { migrate } from './migrate.js';
import { openDatabase } from './db.js';
import { elideValues, redactedError } from './log.js';
import { safeCell } from './spreadsheet-cells.js';

/** Issue #19: clean input at the edge, the error shape everywhere, headers, health, logs. */
let ctx: TestContext;
let admin: Client;
let branch: OrgFixture;

beforeAll(async () => {
  ctx = await startTestApp();
  const root = await makeOrg(ctx.database.db, null, { name: '市直机关工委' });
  branch = await makeOrg(ctx.database.db, root, { name: '加固测试支部' });
  admin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'platform_admin' }]));
});
afterAll(async () => ctx?.close());

describe('NUL characters and impossible dates are refused at the edge, for every route', () => {
  it('a NUL in a body string names the field and changes nothing', async () => {
    const before = await countRows(ctx.database.db, 'orgs');
    const res = await admin.post('/api/orgs', { parentId: branch.id, name: '党\u0000支部', type: 'party_group' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'validation_failed', message: expect.any(String), fields: { name: '含有不允许的控制字符（如 NUL）' } });
    expect(await countRows(ctx.database.db, 'orgs')).toBe(before);
  });

  it('on a route that needs no sign-in, in a query, a path and an object key', async () => {
    const anonymous = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhang\u0000san', password: 'x' } });
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json().error.fields).toEqual({ username: '含有不允许的控制字符（如 NUL）' });
    const query = await admin.get('/api/members?q=%E5%BC%A0%00');
    expect(query.statusCode).toBe(400);
    expect(query.json().error.fields.q).toBe('含有不允许的控制字符（如 NUL）');
    const param = await admin.get('/api/members/1%00');
    expect(param.statusCode).toBe(400);
    const key = await admin.post('/api/orgs', { parentId: branch.id, name: '支部', type: 'party_group', ['x\u0000']: 1 });
    expect(key.statusCode).toBe(400);
  });

  it('a date or time of year 0000 (or 1899, or 2200) is refused naming the field', async () => {
    for (const birthDate of ['0000-01-01', '1899-12-31', '2200-01-01']) {
      const res = await admin.post('/api/members', { orgId: branch.id, name: '日期测试', gender: 'male', stage: 'full', birthDate });
      expect(res.statusCode, birthDate).toBe(400);
      expect(res.json().error.fields.birthDate).toBe('日期须在 1900 年至 2199 年之间');
    }
    const res = await admin.post('/api/activities', { orgId: branch.id, type: 'branch_meeting', title: '时间测试', startsAt: '0000-01-01T08:00:00+08:00', endsAt: '0000-01-01T09:00:00+08:00' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.startsAt).toBe('日期须在 1900 年至 2199 年之间');
  });
});

describe('errors Fastify or Node raise before a route are answered in the platform’s shape', () => {
  it('malformed JSON is bad_json', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": "a", ' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'bad_json', message: '请求内容不是有效的 JSON' } });
  });

  it('a path parameter longer than the router takes is 414 uri_too_long', async () => {
    const res = await admin.get(`/api/members/${'9'.repeat(300)}`);
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual({ error: { code: 'uri_too_long', message: '请求地址过长' } });
  });

  it('headers too large for Node are 431 with the platform’s JSON (through a real socket)', async () => {
    const app = await buildTestApp(ctx.database);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as net.AddressInfo).port;
      const answer = await rawRequest(port, `GET /api/health HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1.1 431 /);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'headers_too_large', message: expect.stringContaining('请求头过大') } });
    } finally {
      await app.close();
    }
  });
});

describe('request ids', () => {
  it('are the server’s own: a client’s x-request-id is not trusted, and every answer names its id', async () => {
    const one = await ctx.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'forged-id\nwith newline' } });
    const two = await ctx.app.inject({ method: 'GET', url: '/api/health' });
    expect(one.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(two.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(one.headers['x-request-id']).not.toBe(two.headers['x-request-id']);
  });
});

describe('security headers', () => {
  const expectHeaders = (headers: Record<string, unknown>) => {
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  };

  it('on the API, the docs and the console (also on errors), without HSTS over plain HTTP', async () => {
    for (const url of ['/api/health', '/api/docs/', '/api/openapi.json', '/api/members', '/', '/orgs']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expectHeaders(res.headers);
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('with HSTS when the site is served over HTTPS (SECURE_COOKIES=1)', async () => {
    const { buildApp } = await import('./app.js');
    const { modules } = await import('../modules/index.js');
    const { createCipher } = await import('./personal-data.js');
    const { readConfig } = await import('./config.js');
    const app = await buildApp({ modules, database: ctx.database, config: { ...readConfig({}), secureCookies: true }, cipher: createCipher(Buffer.alloc(32, 1)) });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expectHeaders(res.headers);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await app.close();
    }
  });
});

describe('health: liveness and readiness', () => {
  it('is 503 (not 500) when the database is down, while liveness still answers', async () => {
    const database = await openDatabase({ memory: true });
    await migrate(database);
    const app = await buildTestApp(database);
    try {
      expect((await app.inject({ method: 'GET', url: '/api/health/ready' })).json()).toEqual({ status: 'ok', database: 'ok' });
      await database.close();
      for (const url of ['/api/health', '/api/health/ready']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(503);
        expect(res.json()).toEqual({ status: 'unavailable', database: 'unavailable' });
      }
      expect((await app.inject({ method: 'GET', url: '/api/health/live' })).statusCode).toBe(200);
    } finally {
      await app.close().catch(() => {});
    }
  });
});

describe('the error log keeps no values', () => {
  it('a failed statement is logged without its parameters or PostgreSQL’s detail line', async () => {
    const phone = '13800138000';
    await ctx.database.db.execute(sql`create temporary table log_probe (phone text unique)`);
    await ctx.database.db.execute(sql`insert into log_probe values (${phone})`);
    const error = await ctx.database.db.execute(sql`insert into log_probe values (${phone})`).then(() => null, (e: Error) => e);
    expect(error).not.toBeNull();
    // without the serializer the value is there (the test can fail)
    expect(JSON.stringify({ message: error!.message, cause: (error as { cause?: object }).cause, ...error })).toContain(phone);
    const logged = JSON.stringify(redactedError(error!));
    expect(logged).not.toContain(phone);
    expect(logged).toContain('log_probe');
    expect(elideValues('invalid input syntax for type bigint: "zhangsan"')).toBe('invalid input syntax for type bigint: "…"');
  });
});

describe('spreadsheet exports neutralise formulas (OWASP)', () => {
  it('safeCell quotes text starting with = + - @ tab or CR and leaves numbers alone', () => {
    expect(['=1+1', '+86 138', '-2', '@SUM(A1)', '\t=x', '张三', 'a=b'].map(safeCell)).toEqual(["'=1+1", "'+86 138", "'-2", "'@SUM(A1)", "'\t=x", '张三', 'a=b']);
    expect(safeCell(-2)).toBe(-2);
    expect(safeCell(null)).toBe(null);
  });

  it('a member named =HYPERLINK(…) is exported as text with a leading apostrophe', async () => {
    const name = '=HYPERLINK("http://evil.example","点击")';
    await makeMember(ctx.database.db, branch, { name });
    const res = await admin.get(`/api/members/export?orgId=${branch.id}`);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const values = book.worksheets[0]!.getSheetValues().flat().filter((v) => typeof v === 'string');
    expect(values).toContain(`'${name}`);
    expect(values).not.toContain(name);
  });
});

describe('the embedded data directory', () => {
  it('is readable by the server’s user only (0700)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-perm-'));
    fs.chmodSync(dir, 0o755);
    const database = await openDatabase({ dataDir: dir });
    try {
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an unreachable PostgreSQL at start', () => {
  it('is retried with one clear line per attempt, then the server ends with one line, no stack', async () => {
    const started = Date.now();
    const { code, output } = await runServer({ DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:9/none', DB_WAIT_SECONDS: '3', PORT: '0' });
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    const lines = output.trim().split('\n');
    expect(lines.filter((l) => l.includes('秒后重试')).length).toBeGreaterThanOrEqual(1);
    expect(lines.at(-1)).toMatch(/^无法连接数据库 postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:9\/none：.*ECONNREFUSED/);
    expect(output).not.toContain('secret');
    expect(output).not.toMatch(/\n\s+at /);
  }, 40_000);
});

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (chunk) => { data += chunk.toString(); });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { env: { ...process.env, ...env, DEMO: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => { output += c.toString(); });
    child.stderr.on('data', (c) => { output += c.toString(); });
    child.on('close', (code) => resolve({ code, output }));
  });
}
