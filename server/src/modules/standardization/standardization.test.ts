import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { multipartFile, TINY_PNG } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, sibling: OrgFixture, otherRoot: OrgFixture;
let bureauAdmin: Client, branchAdmin: Client, siblingAdmin: Client, otherAdmin: Client;
let schemeId: string;

const THREE_MEETINGS = 'activities.three_meetings_completion';
const GRADES = [{ name: '先进' }, { name: '达标' }, { name: '后进', isLow: true }];
const CRITERIA = [
  { text: '三会一课完成率不低于10%', kind: 'computed', indicatorCode: THREE_MEETINGS, threshold: 0.1, requiredForLevel: 2, points: 10 },
  { text: '支部班子健全，按期换届', kind: 'evidenced', requiredForLevel: 2, points: 10 },
  { text: '党员教育管理到位，特色鲜明', kind: 'evidenced', requiredForLevel: 1, points: 10 },
];

type RoundJson = {
  id: string; status: string; gradeLevel: number | null; gradeName: string | null; originalGradeLevel: number | null; previousRoundId: string | null; superseded: boolean;
  checks: { criterionId: string; kind: string; value: number | null; numerator: number | null; denominator: number | null; recordsLink: string | null; selfMet: boolean | null; reviewMet: boolean | null }[];
  abilities: Record<string, boolean>; suggestedSelfLevel: number | null; rectifications: { id: string; status: string }[]; nextRoundId: string | null;
};

/** A 三会一课 meeting held (published) by the org on the day, as the activities module records it. */
async function heldMeeting(org: OrgFixture, type: string, day: string): Promise<void> {
  await ctx.database.db.execute(sql`insert into activities (org_id, org_path, type, title, starts_at, ends_at, status, check_in_opens_at, check_in_closes_at, check_in_code, published_at)
    values (${org.id}, ${org.path}::ltree, ${type}, ${'会议' + day}, ${day + 'T09:00:00+08:00'}::timestamptz, ${day + 'T11:00:00+08:00'}::timestamptz, 'published',
            ${day + 'T08:30:00+08:00'}::timestamptz, ${day + 'T11:00:00+08:00'}::timestamptz, '123456', ${day + 'T00:00:00+08:00'}::timestamptz)`);
}

async function roundOf(client: Client, org: OrgFixture): Promise<RoundJson> {
  const list = await client.get(`/api/standardization/rounds?schemeId=${schemeId}&orgId=${org.id}`);
  expect(list.statusCode, list.body).toBe(200);
  const id = (list.json() as { items: { id: string }[] }).items[0]!.id;
  return (await client.get(`/api/standardization/rounds/${id}`)).json() as RoundJson;
}

async function ok(res: { statusCode: number; body: string; json(): unknown }, status = 200): Promise<RoundJson> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as RoundJson;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  sibling = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  branchAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
  siblingAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: sibling }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  // 2025 is over: every 三会一课 period of the year is due (4 general meetings, 12 committee meetings, 4 lessons)
  await heldMeeting(branch, 'branch_general_meeting', '2025-02-10');
  await heldMeeting(branch, 'party_lesson', '2025-05-10');
});
afterAll(async () => ctx?.close());

describe('schemes', () => {
  it('refuses bad criteria and an org outside the admin’s scope with 400 naming the field, writing nothing', async () => {
    const before = await countRows(ctx.database.db, 'grading_schemes');
    const bad = await bureauAdmin.post('/api/standardization/schemes', {
      orgId: bureau.id, year: 2025, name: '2025年度支部达标定级', grades: GRADES,
      criteria: [{ text: '完成率', kind: 'computed', indicatorCode: 'nothing.here' }, { text: '等次', kind: 'evidenced', requiredForLevel: 5 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['criteria.0.indicatorCode', 'criteria.0.threshold', 'criteria.1.requiredForLevel']);
    const outside = await branchAdmin.post('/api/standardization/schemes', { orgId: bureau.id, year: 2025, name: '越权方案', grades: GRADES, criteria: CRITERIA });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields).toHaveProperty('orgId');
    const blank = await bureauAdmin.post('/api/standardization/schemes', { orgId: bureau.id, year: 2025, name: ' ', grades: [{ name: '先进' }], criteria: [] });
    expect(blank.statusCode).toBe(400);
    expect(Object.keys(blank.json().error.fields).sort()).toEqual(['grades', 'name']);
    expect(await countRows(ctx.database.db, 'grading_schemes')).toBe(before);
  });

  it('is written as a draft, activated (criteria locked) and launched for every branch under its org', async () => {
    const created = await bureauAdmin.post('/api/standardization/schemes', { orgId: bureau.id, year: 2025, name: '2025年度支部达标定级', grades: GRADES, criteria: CRITERIA });
    expect(created.statusCode, created.body).toBe(201);
    schemeId = created.json().id;
    expect(created.json()).toMatchObject({ status: 'draft', canManage: true, criteriaCount: 3 });
    expect(created.json().criteria[0]).toMatchObject({ kind: 'computed', indicatorCode: THREE_MEETINGS, threshold: 0.1, indicatorName: '三会一课完成率' });
    expect((await bureauAdmin.post(`/api/standardization/schemes/${schemeId}/rounds`, {})).statusCode).toBe(409);
    expect((await bureauAdmin.post(`/api/standardization/schemes/${schemeId}/activate`)).json().status).toBe('active');
    expect((await bureauAdmin.put(`/api/standardization/schemes/${schemeId}`, { year: 2025, name: '改', grades: GRADES, criteria: CRITERIA })).statusCode).toBe(409);
    // the branch reads the checklist, cannot launch it; an outsider does not see it
    expect((await branchAdmin.get(`/api/standardization/schemes/${schemeId}`)).json().canManage).toBe(false);
    expect((await branchAdmin.post(`/api/standardization/schemes/${schemeId}/rounds`, {})).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/standardization/schemes/${schemeId}`)).statusCode).toBe(404);
    const outside = await bureauAdmin.post(`/api/standardization/schemes/${schemeId}/rounds`, { orgIds: [otherRoot.id] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields).toHaveProperty('orgIds');
    const launched = await bureauAdmin.post(`/api/standardization/schemes/${schemeId}/rounds`, {});
    expect(launched.statusCode, launched.body).toBe(201);
    expect(launched.json()).toEqual({ created: 2 });
    expect((await bureauAdmin.post(`/api/standardization/schemes/${schemeId}/rounds`, {})).json()).toEqual({ created: 0 });
  });
});

describe('the grading flow', () => {
  it('self-assess → review → appeal → re-review → final → published; a second appeal is refused', async () => {
    let round = await roundOf(branchAdmin, branch);
    expect(round.status).toBe('self_assessing');
    // the computed criterion: 2 of the year's 20 三会一课 requirements met, over the records made above
    expect(round.checks[0]).toMatchObject({ kind: 'computed', numerator: 2, denominator: 20, value: 0.1, selfMet: true });
    expect(round.checks[0]!.recordsLink).toBe(`/assessment/indicators/${THREE_MEETINGS}/records?orgId=${branch.id}&from=2025-01-01&to=2025-12-31`);
    expect(round.abilities).toMatchObject({ selfAssess: true, review: false });

    // outsiders get 404; the bureau sees it, the sibling does not
    expect((await otherAdmin.get(`/api/standardization/rounds/${round.id}`)).statusCode).toBe(404);
    expect((await siblingAdmin.get(`/api/standardization/rounds/${round.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/standardization/rounds/${round.id}/review`, { checks: [], gradeLevel: 1 })).statusCode).toBe(404);

    const unanswered = await branchAdmin.post(`/api/standardization/rounds/${round.id}/submit`);
    expect(unanswered.statusCode).toBe(400);
    expect(Object.keys(unanswered.json().error.fields).sort()).toEqual(['checks.1.met', 'checks.2.met', 'proposedLevel']);
    const badLevel = await branchAdmin.put(`/api/standardization/rounds/${round.id}/self-assessment`, { checks: [], proposedLevel: 7 });
    expect(badLevel.statusCode).toBe(400);
    expect(badLevel.json().error.fields).toHaveProperty('proposedLevel');

    const [c1, c2, c3] = round.checks.map((c) => c.criterionId);
    round = await ok(await branchAdmin.put(`/api/standardization/rounds/${round.id}/self-assessment`, {
      checks: [{ criterionId: c1, met: false, evidence: '见会议记录' }, { criterionId: c2, met: true, evidence: '2024年换届' }, { criterionId: c3, met: true, evidence: '党员积分台账' }],
      proposedLevel: 1, summary: '全年工作扎实',
    }));
    // the branch cannot overrule the indicator
    expect(round.checks.map((c) => c.selfMet)).toEqual([true, true, true]);
    expect(round.suggestedSelfLevel).toBe(1);
    // evidence files: attached by the branch, read by whoever reads the round, locked once submitted
    const photo = multipartFile('换届选举.png', TINY_PNG, 'image/png');
    expect((await otherAdmin.post(`/api/standardization/rounds/${round.id}/criteria/${c2}/files`, photo.body, photo.headers)).statusCode).toBe(404);
    expect((await bureauAdmin.post(`/api/standardization/rounds/${round.id}/criteria/${c2}/files`, photo.body, photo.headers)).statusCode).toBe(201);
    const attached = await ok(await branchAdmin.post(`/api/standardization/rounds/${round.id}/criteria/${c2}/files`, photo.body, photo.headers), 201) as RoundJson & { checks: { files: { id: string; url: string }[] }[] };
    expect(attached.checks[1]!.files).toHaveLength(2);
    const file = attached.checks[1]!.files[1]!;
    expect((await bureauAdmin.get(file.url)).statusCode).toBe(200);
    expect((await otherAdmin.get(file.url)).statusCode).toBe(404);
    await ok(await branchAdmin.delete(`/api/standardization/rounds/${round.id}/files/${attached.checks[1]!.files[0]!.id}`));
    round = await ok(await branchAdmin.post(`/api/standardization/rounds/${round.id}/submit`));
    expect(round.status).toBe('submitted');
    expect(round.checks[0]).toMatchObject({ value: 0.1, numerator: 2, denominator: 20 });
    expect((await branchAdmin.delete(`/api/standardization/rounds/${round.id}/files/${file.id}`)).statusCode).toBe(409);

    // the branch cannot grade itself
    const self = await branchAdmin.post(`/api/standardization/rounds/${round.id}/review`, { checks: [], gradeLevel: 1 });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('standardization.not_reviewer');
    expect((await branchAdmin.get('/api/standardization/rounds?view=review')).json().total).toBe(0);
    expect((await bureauAdmin.get('/api/standardization/rounds?view=review')).json().items.map((r: { id: string }) => r.id)).toContain(round.id);

    const missing = await bureauAdmin.post(`/api/standardization/rounds/${round.id}/review`, { checks: [{ criterionId: c2, met: true }], gradeLevel: 9 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toHaveProperty('gradeLevel');
    const noVerdict = await bureauAdmin.post(`/api/standardization/rounds/${round.id}/review`, { checks: [{ criterionId: c2, met: true }], gradeLevel: 2 });
    expect(noVerdict.statusCode).toBe(400);
    expect(noVerdict.json().error.fields).toHaveProperty('checks.2.met');

    round = await ok(await bureauAdmin.post(`/api/standardization/rounds/${round.id}/review`, {
      checks: [{ criterionId: c2, met: true }, { criterionId: c3, met: false, comment: '特色不够鲜明' }], gradeLevel: 2, comment: '总体达标',
    }));
    expect(round).toMatchObject({ status: 'graded', gradeLevel: 2, gradeName: '达标' });
    expect(round.checks.map((c) => c.reviewMet)).toEqual([true, true, false]);
    expect((await branchAdmin.get(`/api/standardization/rounds/${round.id}`)).json().abilities).toMatchObject({ appeal: true, accept: true });

    round = await ok(await branchAdmin.post(`/api/standardization/rounds/${round.id}/appeal`, { reason: '特色材料已补充' }));
    expect(round.status).toBe('appealed');
    const again = await branchAdmin.post(`/api/standardization/rounds/${round.id}/appeal`, { reason: '再次申诉' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('standardization.appeal_used');
    expect((await bureauAdmin.post(`/api/standardization/rounds/${round.id}/publish`)).statusCode).toBe(409);
    const noResponse = await bureauAdmin.post(`/api/standardization/rounds/${round.id}/rereview`, { gradeLevel: 1, response: '' });
    expect(noResponse.statusCode).toBe(400);
    expect(noResponse.json().error.fields).toHaveProperty('response');

    round = await ok(await bureauAdmin.post(`/api/standardization/rounds/${round.id}/rereview`, { gradeLevel: 1, response: '经复核，补充材料属实' }));
    expect(round).toMatchObject({ status: 'final', gradeLevel: 1, gradeName: '先进', originalGradeLevel: 2 });
    const second = await branchAdmin.post(`/api/standardization/rounds/${round.id}/appeal`, { reason: '第二次申诉' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('standardization.appeal_used');

    round = await ok(await bureauAdmin.post(`/api/standardization/rounds/${round.id}/publish`));
    expect(round.status).toBe('published');
    expect((await bureauAdmin.post(`/api/standardization/rounds/${round.id}/review`, { checks: [], gradeLevel: 1 })).statusCode).toBe(409);
    expect((await branchAdmin.get(`/api/standardization/rounds/${round.id}`)).json()).toMatchObject({ status: 'published', gradeName: '先进' });
    // a 先进 grade gets no rectification tasks
    expect((await bureauAdmin.post(`/api/standardization/rounds/${round.id}/rectifications`, { task: '整改', deadline: '2026-03-01', ownerName: '张三' })).statusCode).toBe(409);

    const audited = await ctx.database.db.execute<{ action: string } & Record<string, unknown>>(sql`
      select action from audit_log where target_type = 'grading_round' and target_id = ${round.id} order by id`);
    expect(audited.rows.map((r) => r.action)).toEqual([
      'standardization.self_assess', 'standardization.attach_evidence', 'standardization.attach_evidence', 'standardization.remove_evidence', 'standardization.submit', 'standardization.review', 'standardization.appeal', 'standardization.rereview', 'standardization.publish',
    ]);
  });

  it('a branch graded low gets rectification tasks, tracked to closure, and is re-graded in a new round', async () => {
    let round = await roundOf(siblingAdmin, sibling);
    // no meetings held: no 三会一课 requirement met
    expect(round.checks[0]).toMatchObject({ numerator: 0, denominator: 20, value: 0, selfMet: false });
    const [, c2, c3] = round.checks.map((c) => c.criterionId);
    await ok(await siblingAdmin.put(`/api/standardization/rounds/${round.id}/self-assessment`, {
      checks: [{ criterionId: c2, met: false }, { criterionId: c3, met: false }], proposedLevel: 3,
    }));
    await ok(await siblingAdmin.post(`/api/standardization/rounds/${round.id}/submit`));
    round = await ok(await bureauAdmin.post(`/api/standardization/rounds/${round.id}/review`, { checks: [{ criterionId: c2, met: false }, { criterionId: c3, met: false }], gradeLevel: 3 }));
    expect(round).toMatchObject({ gradeName: '后进', status: 'graded' });
    expect((await bureauAdmin.post(`/api/standardization/rounds/${round.id}/rectifications`, { task: '整改', deadline: '2026-03-01', ownerName: '张三' })).statusCode).toBe(409);
    await ok(await siblingAdmin.post(`/api/standardization/rounds/${round.id}/accept`));
    round = await ok(await bureauAdmin.post(`/api/standardization/rounds/${round.id}/publish`));
    expect(round.abilities).toMatchObject({ rectify: true, regrade: false });

    const badTask = await bureauAdmin.post(`/api/standardization/rounds/${round.id}/rectifications`, { task: '', deadline: '2026-13-01', ownerName: '李四' });
    expect(badTask.statusCode).toBe(400);
    expect(Object.keys(badTask.json().error.fields).sort()).toEqual(['deadline', 'task']);
    expect((await siblingAdmin.post(`/api/standardization/rounds/${round.id}/rectifications`, { task: '自己下达', deadline: '2026-03-01', ownerName: '李四' })).statusCode).toBe(403);
    const task = await bureauAdmin.post(`/api/standardization/rounds/${round.id}/rectifications`, { task: '按月召开支委会，按季召开党员大会', deadline: '2026-03-31', ownerName: '国库处支部书记' });
    expect(task.statusCode, task.body).toBe(201);
    const taskId = task.json().id as string;
    expect(task.json()).toMatchObject({ status: 'open', canClose: true, canReport: false });

    const listed = await siblingAdmin.get('/api/standardization/rectifications?status=open');
    expect(listed.json().items.map((t: { id: string }) => t.id)).toEqual([taskId]);
    expect((await otherAdmin.get(`/api/standardization/rectifications/${taskId}`)).statusCode).toBe(404);
    expect((await branchAdmin.get('/api/standardization/rectifications')).json().total).toBe(0);

    const progress = await siblingAdmin.post(`/api/standardization/rectifications/${taskId}/progress`, { note: '已制定年度计划', evidence: '计划文件' });
    expect(progress.statusCode, progress.body).toBe(200);
    expect(progress.json().progress).toHaveLength(1);
    expect((await siblingAdmin.post(`/api/standardization/rectifications/${taskId}/close`, {})).statusCode).toBe(403);
    const early = await bureauAdmin.post(`/api/standardization/rounds/${round.id}/regrade`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('standardization.rectifications_open');

    const closed = await bureauAdmin.post(`/api/standardization/rectifications/${taskId}/close`, { comment: '整改到位' });
    expect(closed.json()).toMatchObject({ status: 'closed', canReport: false });
    expect((await siblingAdmin.post(`/api/standardization/rectifications/${taskId}/progress`, { note: '补充' })).statusCode).toBe(409);

    const regraded = await ok(await bureauAdmin.post(`/api/standardization/rounds/${round.id}/regrade`), 201);
    expect(regraded).toMatchObject({ status: 'self_assessing', previousRoundId: round.id, superseded: false });
    const old = await ok(await siblingAdmin.get(`/api/standardization/rounds/${round.id}`));
    expect(old).toMatchObject({ superseded: true, nextRoundId: regraded.id });
    expect((await bureauAdmin.post(`/api/standardization/rounds/${round.id}/regrade`)).statusCode).toBe(409);
    // the current list holds the new round, not the superseded one
    const current = (await bureauAdmin.get(`/api/standardization/rounds?schemeId=${schemeId}&orgId=${sibling.id}`)).json() as { items: { id: string }[] };
    expect(current.items.map((r) => r.id)).toEqual([regraded.id]);
  });

  it('counts the distribution with the filters of the lists it opens', async () => {
    const dist = (await bureauAdmin.get(`/api/standardization/rounds/distribution?schemeId=${schemeId}`)).json() as {
      total: number; byStatus: { status: string; count: number }[]; byGrade: { level: number; count: number }[];
    };
    expect(dist.total).toBe(2);
    expect(dist.byGrade.map((g) => g.count)).toEqual([1, 0, 0]);
    for (const g of dist.byGrade) {
      expect((await bureauAdmin.get(`/api/standardization/rounds?schemeId=${schemeId}&gradeLevel=${g.level}`)).json().total).toBe(g.count);
    }
    for (const s of dist.byStatus) {
      expect((await bureauAdmin.get(`/api/standardization/rounds?schemeId=${schemeId}&status=${s.status}`)).json().total).toBe(s.count);
    }
    expect((await branchAdmin.get(`/api/standardization/rounds/distribution?schemeId=${schemeId}`)).json().total).toBe(1);
    expect((await otherAdmin.get(`/api/standardization/rounds/distribution?schemeId=${schemeId}`)).statusCode).toBe(404);
  });

  it('never lets one person submit and grade the same self-assessment', async () => {
    const { db } = ctx.database;
    const lone = await makeOrg(db, bureau, { name: '无书记支部' });
    await ok(await bureauAdmin.post(`/api/standardization/schemes/${schemeId}/rounds`, { orgIds: [lone.id] }), 201);
    const round = await roundOf(bureauAdmin, lone);
    const [, c2, c3] = round.checks.map((c) => c.criterionId);
    await ok(await bureauAdmin.put(`/api/standardization/rounds/${round.id}/self-assessment`, { checks: [{ criterionId: c2, met: true }, { criterionId: c3, met: true }], proposedLevel: 2 }));
    await ok(await bureauAdmin.post(`/api/standardization/rounds/${round.id}/submit`));
    const own = await bureauAdmin.post(`/api/standardization/rounds/${round.id}/review`, { checks: [{ criterionId: c2, met: true }, { criterionId: c3, met: true }], gradeLevel: 2 });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('standardization.own_assessment');
  });

  it('answers 401 without a session', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/standardization/rounds' })).statusCode).toBe(401);
  });
});

describe('deleting a scheme', () => {
  const tables = ['grading_schemes', 'grading_criteria', 'grading_rounds', 'audit_log'];
  const snapshot = async () => JSON.stringify(await Promise.all(tables.map((t) => countRows(ctx.database.db, t))));
  const body = () => ({ orgId: bureau.id, year: 2026, name: '待删除的方案', grades: GRADES, criteria: CRITERIA });

  it('deletes a draft and an active scheme no branch has been graded on', async () => {
    const draft = await bureauAdmin.post('/api/standardization/schemes', body());
    expect(draft.statusCode, draft.body).toBe(201);
    const removed = await bureauAdmin.delete(`/api/standardization/schemes/${draft.json().id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await bureauAdmin.get(`/api/standardization/schemes/${draft.json().id}`)).statusCode).toBe(404);
    const active = (await bureauAdmin.post('/api/standardization/schemes', body())).json().id as string;
    expect((await bureauAdmin.post(`/api/standardization/schemes/${active}/activate`, {})).statusCode).toBe(200);
    expect((await bureauAdmin.delete(`/api/standardization/schemes/${active}`)).statusCode).toBe(200);
    const audited = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log
      where action = 'standardization.delete_scheme' and target_id in (${draft.json().id}, ${active})`);
    expect(Number(audited.rows[0]!.n)).toBe(2);
    const criteria = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from grading_criteria where scheme_id in (${draft.json().id}, ${active})`);
    expect(Number(criteria.rows[0]!.n)).toBe(0);
  });

  it('refuses a scheme used for grading (409), 404 for one outside the managers, 401 without a session — changing nothing', async () => {
    const unused = (await bureauAdmin.post('/api/standardization/schemes', body())).json().id as string;
    const before = await snapshot();
    const used = await bureauAdmin.delete(`/api/standardization/schemes/${schemeId}`);
    expect(used.statusCode, used.body).toBe(409);
    expect(used.json().error).toMatchObject({ code: 'standardization.scheme_used', message: expect.stringMatching(/评定/) });
    // the branch reads its superior's scheme but does not manage it
    expect((await branchAdmin.delete(`/api/standardization/schemes/${unused}`)).statusCode).toBe(404);
    expect((await otherAdmin.delete(`/api/standardization/schemes/${unused}`)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/standardization/schemes/${unused}` })).statusCode).toBe(401);
    expect(await snapshot()).toBe(before);
  });
});
