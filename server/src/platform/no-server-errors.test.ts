import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type Client, type TestContext } from '../../test/harness.js';

/**
 * No user input may reach the 500 path: every route in the OpenAPI document is called with
 * malformed ids, bodies of the wrong shape, wrong types and oversized strings, as a platform
 * admin (who passes every permission check and so reaches the deepest code).
 */
let ctx: TestContext;
let admin: Client;
let routes: { method: string; url: string; body?: JsonSchema; query: { name: string; schema: JsonSchema }[] }[] = [];

beforeAll(async () => {
  ctx = await startTestApp();
  const root = await makeOrg(ctx.database.db, null, { name: '市直机关工委' });
  await makeOrg(ctx.database.db, root, { name: '测试支部' });
  admin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'platform_admin' }]));
  const spec = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
  routes = Object.entries(spec.paths).flatMap(([url, methods]) =>
    Object.entries(methods).filter(([m]) => ['get', 'post', 'patch', 'put', 'delete'].includes(m)).map(([method, op]) => ({
      method: method.toUpperCase(), url,
      body: op.requestBody?.content?.['application/json']?.schema,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
    })));
});
afterAll(async () => ctx?.close());

// Routes whose purpose is to end the caller's session are called last, so the others run signed in.
const endsSession = (url: string) => /logout|logout-everywhere|password/.test(url);

const ids = ['abc', '0', '-1', '99999999999', '1.5', '%00', '1'];
const bodies: unknown[] = [undefined, {}, [], 'text', 42, null, { name: 12345, id: {}, date: 'tomorrow', page: -1 }, { x: 'x'.repeat(20_000) }];

type JsonSchema = { type?: string | string[]; format?: string; enum?: unknown[]; items?: JsonSchema; properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[]; minimum?: number; pattern?: string; const?: unknown };
type Operation = { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; parameters?: { in: string; name: string; schema?: JsonSchema }[] };

/**
 * A value of the schema's shape whose strings are `text` and whose dates and times are `date`: it
 * passes the shape checks and reaches what lies behind them (the fuzzer that found NUL bytes and year
 * 0000 reaching PostgreSQL sent exactly these).
 */
function shaped(schema: JsonSchema, text: string, date: string, depth = 0): unknown {
  if (depth > 6) return null;
  const pick = schema.anyOf ?? schema.oneOf;
  if (pick) return shaped(pick.find((s) => s.type !== 'null') ?? pick[0]!, text, date, depth + 1);
  if (schema.allOf?.length) return shaped(schema.allOf[0]!, text, date, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const type = [schema.type].flat().find((t) => t !== 'null');
  switch (type) {
    case 'string':
      if (schema.format === 'date') return date;
      if (schema.format === 'date-time') return `${date}T08:00:00+08:00`;
      if (schema.pattern?.includes('[1-9]')) return '1';
      return text;
    case 'integer': case 'number': return schema.minimum ?? 1;
    case 'boolean': return true;
    case 'array': return [shaped(schema.items ?? {}, text, date, depth + 1)];
    case 'object': return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, shaped(v, text, date, depth + 1)]));
    default: return text;
  }
}

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

  it('answers bodies and queries of the right shape holding NUL characters or year-0000 dates below 500', async () => {
    const failures: string[] = [];
    const ordered = [...routes.filter((r) => !endsSession(r.url)), ...routes.filter((r) => endsSession(r.url))];
    let shapedBodies = 0;
    for (const route of ordered) {
      const url = route.url.replace(/\{[^}]+\}/g, '1');
      for (const [text, date] of [['党\u0000员', '2026-01-01'], ['测试', '0000-01-01'], ['测试', '0000-00-00']] as const) {
        const query = route.query.map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(String(shaped(q.schema, text, date)))}`).join('&');
        const target = query ? `${url}?${query}` : url;
        const res = route.method === 'GET' || route.method === 'DELETE' || !route.body
          ? await ctx.app.inject({ method: route.method as 'GET', url: target, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken } })
          : await admin[route.method === 'PATCH' ? 'patch' : 'post'](target, shaped(route.body, text, date));
        if (route.body) shapedBodies++;
        if (res.statusCode >= 500) failures.push(`${route.method} ${target} ${JSON.stringify(text)} ${date} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(shapedBodies).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  }, 600_000);
});
