import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultPage, Scheme } from '../../../../contracts/assessment.js';
import { login, startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { DEMO_ACCOUNTS, seedDemo } from '../../demo/seed-demo.js';

/** The demo's 考评 pages are alive: the bureau's published annual scheme, read by its secretary, each computed figure opening as many records. */
let ctx: TestContext;
let bureau: Client;
let secretary: Client;
beforeAll(async () => {
  ctx = await startTestApp();
  await seedDemo(ctx.database.db, ctx.app.cipher);
  bureau = await login(ctx.app, DEMO_ACCOUNTS.bureau);
  secretary = await login(ctx.app, DEMO_ACCOUNTS.secretary);
});
afterAll(async () => ctx?.close());

describe('assessment demo', () => {
  it('publishes the bureau’s annual scheme with ranked results whose computed figures open as many records', async () => {
    const list = (await bureau.get('/api/assessment/schemes')).json() as { items: Scheme[] };
    expect(list.items.map((s) => s.status).sort()).toEqual(['draft', 'published']);
    const annual = list.items.find((s) => s.status === 'published')!;
    const results = (await bureau.get(`/api/assessment/schemes/${annual.id}/results?pageSize=200`)).json() as ResultPage;
    expect(results.total).toBe(annual.orgCount);
    expect(results.items[0]!.rank).toBe(1);
    const three = results.scheme.indicators.find((i) => i.sourceCode === 'activities.three_meetings_completion')!;
    const row = results.items[0]!;
    const score = row.scores.find((s) => s.indicatorId === three.indicatorId)!;
    expect(score.denominator).toBeGreaterThan(0);
    const url = `/api/assessment/indicators/${three.sourceCode}/records?orgId=${row.orgId}&from=${annual.periodStart}&to=${annual.periodEnd}`;
    expect((await bureau.get(url)).json().total).toBe(score.denominator);
    expect((await bureau.get(`${url}&counted=1`)).json().total).toBe(score.numerator);
    // published: the secretary reads the ranking; the draft scheme shows her own score awaiting review
    expect((await secretary.get(`/api/assessment/schemes/${annual.id}/results`)).statusCode).toBe(200);
    const draft = list.items.find((s) => s.status === 'draft')!;
    const pending = (await bureau.get(`/api/assessment/schemes/${draft.id}/manual-scores`)).json();
    expect(pending.items).toMatchObject([{ reviewStatus: 'pending', canReview: true }]);
  });
});
