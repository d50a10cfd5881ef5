import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type Client, type TestContext } from '../../test/harness.js';

/**
 * No user input may reach the 500 path: every route in the OpenAPI document is called with
 * malformed ids, bodies of the wrong shape, wrong types and oversized strings, as a platform
 * admin (who passes every permission check and so reaches the deepest code).
 */
let ctx: TestContext;
let admin: Client;
let routes: { method: string; url: string }[] = [];

beforeAll(async () => {
  ctx = await startTestApp();
  const root = await makeOrg(ctx.database.db, null, { name: '市直机关工委' });
  await makeOrg(ctx.database.db, root, { name: '测试支部' });
  admin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'platform_admin' }]));
  const spec = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(spec.paths).flatMap(([url, methods]) =>
    Object.keys(methods).filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m)).map((method) => ({ method: method.toUpperCase(), url })));
});
afterAll(async () => ctx?.close());

// Routes whose purpose is to end the caller's session are called last, so the others run signed in.
const endsSession = (url: string) => /logout|logout-everywhere|password/.test(url);

const ids = ['abc', '0', '-1', '99999999999', '1.5', '%00', '1'];
const bodies: unknown[] = [undefined, {}, [], 'text', 42, null, { name: 12345, id: {}, date: 'tomorrow', page: -1 }, { x: 'x'.repeat(20_000) }];

describe('no user input reaches a server error', () => {
  it('covers the API', () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  it('answers every malformed request below 500', async () => {
    const failures: string[] = [];
    const ordered = [...routes.filter((r) => !endsSession(r.url)), ...routes.filter((r) => endsSession(r.url))];
    for (const route of ordered) {
      for (const id of ids) {
        const url = route.url.replace(/\{[^}]+\}/g, id);
        for (const body of route.method === 'GET' || route.method === 'DELETE' ? [undefined] : bodies) {
          const res = route.method === 'GET'
            ? await admin.get(`${url}?page=x&pageSize=100000&q=${'%'.repeat(3)}&from=notadate`)
            : route.method === 'DELETE'
              ? await admin.delete(url)
              : await ctx.app.inject({
                method: route.method as 'POST', url,
                headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
                payload: body === undefined ? undefined : JSON.stringify(body),
              });
          if (res.statusCode >= 500) failures.push(`${route.method} ${url} ${JSON.stringify(body)?.slice(0, 60)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
