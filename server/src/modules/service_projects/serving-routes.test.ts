import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';

/**
 * Who may call the serving-the-people endpoints: everything needs a session except what lives
 * under /api/public/. A diff in these lists is a permission change.
 */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const PREFIXES = ['/api/service-projects', '/api/micro-wishes', '/api/communities', '/api/co-building', '/api/volunteering', '/api/donations', '/api/public/service-projects', '/api/public/micro-wishes'];

async function servingRoutes(): Promise<{ method: string; url: string; path: string }[]> {
  const spec = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths)
    .filter(([path]) => PREFIXES.some((p) => path.startsWith(p)))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path, url: path.replace(/\{code\}/g, 'abcdefgh12').replace(/\{\w+\}/g, '1') })));
}

describe('route permissions', () => {
  it('lists the public endpoints exactly', async () => {
    const open = (await servingRoutes()).filter((r) => r.path.startsWith('/api/public/')).map((r) => `${r.method} ${r.path}`).sort();
    expect(open).toEqual([
      'GET /api/public/micro-wishes/track/{code}',
      'GET /api/public/micro-wishes/trees/{rootId}',
      'GET /api/public/service-projects/trees/{rootId}/projects',
      'GET /api/public/service-projects/trees/{rootId}/projects/{id}',
      'POST /api/public/micro-wishes/track/{code}/confirm',
      'POST /api/public/micro-wishes/trees/{rootId}',
      'POST /api/public/service-projects/trees/{rootId}/projects/{id}/feedback',
    ]);
  });

  it('answers 401 to anonymous callers on every other endpoint', async () => {
    const closed = (await servingRoutes()).filter((r) => !r.path.startsWith('/api/public/'));
    expect(closed.length).toBeGreaterThan(50);
    for (const route of closed) {
      const res = await ctx.app.inject({ method: route.method as 'GET', url: route.url, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      expect([route.method, route.url, res.statusCode]).toEqual([route.method, route.url, 401]);
    }
  });
});
