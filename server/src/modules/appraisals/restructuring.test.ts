import { afterAll, beforeAll, describe, expect } from 'vitest';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { itFollows, type RestructuringScene } from '../../../test/restructuring.js';

/** A branch's 民主评议 follows the branch when it moves or merges: the new place's administrators run it, the old parent's lose it. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

async function openRound(s: RestructuringScene): Promise<string> {
  await makeMember(ctx.database.db, s.branch);
  await makeMember(ctx.database.db, s.branch, { stage: 'probationary' });
  const opened = await s.branchAdmin.post('/api/appraisals', { orgId: s.branch.id, year: 2026 });
  expect(opened.statusCode, opened.body).toBe(201);
  return `/api/appraisals/${(opened.json() as { ids: string[] }).ids[0]}`;
}

describe('appraisals follow their branch', () => {
  itFollows(() => ctx, { 'an appraisal round': openRound });
});
