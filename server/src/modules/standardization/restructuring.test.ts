import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, expectFollowsBy, itFollows, listHolds, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** A branch's grading rounds and rectification tasks follow the branch; the scheme of the root stays where it is. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const GRADES = [{ name: '达标' }, { name: '后进', isLow: true }];

/** A round of a root scheme for the scene's branch, graded 后进 and published by the old parent's admin. */
async function lowRound(s: RestructuringScene): Promise<string> {
  const scheme = await created(await s.platform.post('/api/standardization/schemes', {
    orgId: s.root.id, year: 2025, name: '支部达标定级', grades: GRADES, criteria: [{ text: '支部班子健全', kind: 'evidenced', requiredForLevel: 1 }],
  }));
  expect((await s.platform.post(`/api/standardization/schemes/${scheme}/activate`)).statusCode).toBe(200);
  expect((await s.platform.post(`/api/standardization/schemes/${scheme}/rounds`, { orgIds: [s.branch.id] })).statusCode).toBe(201);
  const list = await s.branchAdmin.get(`/api/standardization/rounds?schemeId=${scheme}`);
  const round = (list.json() as { items: { id: string }[] }).items[0]!.id;
  const detail = (await s.branchAdmin.get(`/api/standardization/rounds/${round}`)).json() as { checks: { criterionId: string }[] };
  const criterionId = detail.checks[0]!.criterionId;
  expect((await s.branchAdmin.put(`/api/standardization/rounds/${round}/self-assessment`, { checks: [{ criterionId, met: false }], proposedLevel: 2 })).statusCode).toBe(200);
  expect((await s.branchAdmin.post(`/api/standardization/rounds/${round}/submit`)).statusCode).toBe(200);
  expect((await s.oldAdmin.post(`/api/standardization/rounds/${round}/review`, { checks: [{ criterionId, met: false }], gradeLevel: 2 })).statusCode).toBe(200);
  expect((await s.oldAdmin.post(`/api/standardization/rounds/${round}/publish`)).statusCode).toBe(200);
  return round;
}

const records: Record<string, RecordMaker> = {
  'a published grading round': async (s) => `/api/standardization/rounds/${await lowRound(s)}`,
  'a rectification task': async (s) => {
    const round = await lowRound(s);
    const task = await created(await s.oldAdmin.post(`/api/standardization/rounds/${round}/rectifications`, { task: '健全支部班子', deadline: '2026-06-30', ownerName: '支部书记' }));
    return `/api/standardization/rectifications/${task}`;
  },
};

describe('standardization records follow their org', () => {
  itFollows(() => ctx, records);

  it('the round list of the new parent holds the moved branch’s round', async () => {
    const s = await restructuringScene(ctx);
    const round = await lowRound(s);
    await expectFollowsBy(s, 'the round in the list', (c) => listHolds(c, '/api/standardization/rounds', round), 'move');
  });
});
