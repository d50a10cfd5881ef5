import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../test/harness.js';

/**
 * Which endpoints anyone may call without signing in. A diff in the snapshot is a permission
 * change: review it as one (update with `npx vitest run -u server/src/platform/route-auth.test.ts`).
 */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

it('declares who may call every API route; the public ones are exactly these', async () => {
  const routes = ctx.app.routeAuth.map((r) => `${r.auth.padEnd(6)} ${r.method.padEnd(6)} ${r.url}`).sort();
  expect(routes.length).toBeGreaterThan(20);
  await expect(routes.filter((r) => r.startsWith('public')).join('\n') + '\n').toMatchFileSnapshot('__snapshots__/public-routes.txt');
});
