import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** A branch's own indicators, schemes, manual scores and results follow the branch when it moves or merges. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

async function branchScheme(s: RestructuringScene): Promise<string> {
  const indicatorId = await created(await s.branchAdmin.post('/api/assessment/indicators', {
    orgId: s.branch.id, code: `own_${s.branch.id}`, kind: 'manual', name: '支部自评', periodKind: 'annual', defaultWeight: 1,
  }));
  const schemeId = await created(await s.branchAdmin.post('/api/assessment/schemes', {
    orgId: s.branch.id, name: '支部年度自评', periodStart: '2025-01-01', periodEnd: '2025-12-31', indicators: [{ indicatorId, weight: 1 }], orgIds: [s.branch.id],
  }));
  const entered = await s.branchAdmin.post(`/api/assessment/schemes/${schemeId}/manual-scores`, { indicatorId, orgId: s.branch.id, value: 80, evidenceText: '自评材料' });
  expect(entered.statusCode, entered.body).toBe(200);
  expect((await s.branchAdmin.post(`/api/assessment/schemes/${schemeId}/compute`)).statusCode).toBe(200);
  return schemeId;
}

const records: Record<string, RecordMaker> = {
  'an assessment scheme': async (s) => `/api/assessment/schemes/${await branchScheme(s)}`,
  'an assessment scheme’s results': async (s) => `/api/assessment/schemes/${await branchScheme(s)}/results`,
};

describe('assessment follows its org', () => {
  itFollows(() => ctx, records);
});
