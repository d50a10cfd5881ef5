import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { ID_NUMBER_ANYWHERE, MOBILE_ANYWHERE, PERSONAL_KEYS, TINY_PNG, keysOf, makePerson, multipartFile, signedInPerson, type PersonFixture, type SignedInPerson } from '../../../test/serving-fixtures.js';
import { chinaDate } from '../../../../contracts/china-time.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture;
let admin: Client, bureauAdmin: Client, branchAAdmin: Client, branchBAdmin: Client;
let memberA: SignedInPerson, owner: PersonFixture;

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市民政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '社会救助处党支部' });
  branchB = await makeOrg(db, bureau, { name: '养老服务处党支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  branchAAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  branchBAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchB }]));
  memberA = await signedInPerson(ctx, branchA, '王芳');
  owner = await makePerson(db, branchA, '李强');
});
afterAll(async () => ctx?.close());

const daysFromNow = (days: number) => chinaDate(Date.now() + days * 86_400_000);

const validProject = () => ({
  orgId: branchA.id,
  title: '老旧小区加装电梯协调',
  category: '帮扶解困',
  source: 'mass_feedback',
  need: '幸福里小区老人上下楼难',
  ownerName: owner.name,
  startedOn: daysFromNow(-30),
  plannedCompletion: daysFromNow(60),
  milestones: [{ title: '入户征求意见', dueOn: daysFromNow(-10), doneOn: daysFromNow(-12) }, { title: '完成施工', dueOn: daysFromNow(50) }],
  isMajorProblem: true,
});

const put = (client: Client, url: string, body: unknown) =>
  ctx.app.inject({ method: 'PUT', url, payload: body as never, headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken } });

async function createProject(client: Client = branchAAdmin, overrides: Record<string, unknown> = {}) {
  const res = await client.post('/api/service-projects', { ...validProject(), ...overrides });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; [k: string]: unknown };
}

/** Every table a project write may touch, to prove a refused write changed nothing. */
async function snapshot() {
  const db = ctx.database.db;
  const tables = ['service_projects', 'service_project_milestones', 'service_project_reviews', 'service_project_events', 'service_project_evidence',
    'service_project_feedback', 'service_project_categories', 'audit_log', 'public_submissions'];
  const counts = await Promise.all(tables.map((t) => countRows(db, t)));
  const state = await db.execute(sql`select id, title, progress, status, is_returned, updated_at from service_projects order by id`);
  return JSON.stringify({ counts, state: state.rows });
}

describe('POST /api/service-projects', () => {
  it('creates a project with milestones, a history entry and an audit entry', async () => {
    const project = await createProject();
    expect(project).toMatchObject({ orgId: branchA.id, orgName: '社会救助处党支部', status: 'planned', progress: 0, isMajorProblem: true, isPublic: true, isReturned: false, canEdit: true, canReview: false });
    expect((project.milestones as { title: string; isOverdue: boolean }[]).map((m) => [m.title, m.isOverdue])).toEqual([['入户征求意见', false], ['完成施工', false]]);
    const events = (await branchAAdmin.get(`/api/service-projects/${project.id}/events`)).json().items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'create', before: null });
    expect(events[0].after.title).toBe('老旧小区加装电梯协调');
    const audits = await ctx.database.db.execute(sql`select action from audit_log where target_type = 'service_project' and target_id = ${project.id}`);
    expect(audits.rows).toEqual([{ action: 'service_project.create' }]);
  });

  it('marks a project created as done complete (100 %, completed today)', async () => {
    const project = await createProject(branchAAdmin, { status: 'done', result: '已加装电梯 2 部' });
    expect(project).toMatchObject({ status: 'done', progress: 100, completedOn: daysFromNow(0) });
  });

  it('refuses an org outside the scope, naming the field', async () => {
    const before = await snapshot();
    const res = await branchAAdmin.post('/api/service-projects', { ...validProject(), orgId: branchB.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('orgId');
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['missing title', { title: undefined }, 'title', '必填'],
    ['empty need', { need: '  ' }, 'need', '不能为空'],
    ['unknown source', { source: 'rumour' }, 'source', '必须是以下之一'],
    ['category not configured', { category: '其他' }, 'category', '不是本系统配置的项目类别'],
    ['bad planned completion', { plannedCompletion: '2026-02-30' }, 'plannedCompletion', '日期格式应为 YYYY-MM-DD'],
    ['completion before start', { startedOn: '2026-05-01', plannedCompletion: '2026-04-01' }, 'plannedCompletion', '计划完成日期不能早于开始日期'],
    ['progress over 100', { progress: 101 }, 'progress', '不能大于 100'],
    ['done below 100 %', { status: 'done', progress: 80 }, 'progress', '已完成的项目进度应为 100%'],
    ['milestone without date', { milestones: [{ title: '调研' }] }, 'milestones.0.dueOn', '必填'],
    ['unknown field', { score: 5 }, 'score', '不支持的字段'],
    ['org id not a number', { orgId: 'abc' }, 'orgId', '编号格式不正确'],
  ])('answers 400 for %s and changes nothing', async (_case, overrides, field, message) => {
    const before = await snapshot();
    const res = await branchAAdmin.post('/api/service-projects', { ...validProject(), ...overrides });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('refuses anonymous callers with 401 and a write without CSRF with 403', async () => {
    expect((await ctx.app.inject({ method: 'POST', url: '/api/service-projects', payload: validProject() })).statusCode).toBe(401);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/service-projects', headers: { cookie: branchAAdmin.cookie }, payload: validProject() });
    expect(res.statusCode).toBe(403);
  });
});

describe('PATCH /api/service-projects/:id', () => {
  it('records what changed, before and after, in the project history', async () => {
    const project = await createProject();
    const res = await branchAAdmin.patch(`/api/service-projects/${project.id}`, { progress: 40, status: 'in_progress', title: '老旧小区加装电梯' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ progress: 40, status: 'in_progress', title: '老旧小区加装电梯' });
    const events = (await branchAAdmin.get(`/api/service-projects/${project.id}/events`)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
    expect(events[1].before).toEqual({ title: '老旧小区加装电梯协调', progress: 0, status: 'planned' });
    expect(events[1].after).toEqual({ title: '老旧小区加装电梯', progress: 40, status: 'in_progress' });
  });

  it('replaces milestones and completes a project marked done', async () => {
    const project = await createProject();
    const res = await branchAAdmin.patch(`/api/service-projects/${project.id}`, { status: 'done', result: '两部电梯投入使用', milestones: [{ title: '竣工验收', dueOn: daysFromNow(-1), doneOn: daysFromNow(-1) }] });
    expect(res.json()).toMatchObject({ status: 'done', progress: 100, completedOn: daysFromNow(0), result: '两部电梯投入使用' });
    expect(res.json().milestones.map((m: { title: string }) => m.title)).toEqual(['竣工验收']);
    const reopened = (await branchAAdmin.patch(`/api/service-projects/${project.id}`, { status: 'in_progress', progress: 90 })).json();
    expect(reopened).toMatchObject({ status: 'in_progress', completedOn: null });
  });

  it('lets no org edit another org’s project: a sibling gets 404, the same as a missing one', async () => {
    const project = await createProject();
    const before = await snapshot();
    const sibling = await branchBAdmin.patch(`/api/service-projects/${project.id}`, { progress: 99 });
    const missing = await branchBAdmin.patch('/api/service-projects/999999', { progress: 99 });
    expect(sibling.statusCode).toBe(404);
    expect(sibling.json()).toEqual(missing.json());
    expect((await branchBAdmin.get(`/api/service-projects/${project.id}`)).statusCode).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it('lets a member see the own org’s projects but not edit them', async () => {
    const project = await createProject();
    expect((await memberA.client.get(`/api/service-projects/${project.id}`)).json()).toMatchObject({ canEdit: false, canReview: false });
    const res = await memberA.client.patch(`/api/service-projects/${project.id}`, { progress: 99 });
    expect(res.statusCode).toBe(403);
    expect((await memberA.client.get(`/api/service-projects/${project.id}`)).json().progress).toBe(0);
  });

  it('lets the upper org edit a project of its subtree', async () => {
    const project = await createProject();
    expect((await bureauAdmin.patch(`/api/service-projects/${project.id}`, { progress: 10 })).json().progress).toBe(10);
  });

  it.each([
    ['progress of wrong type', { progress: '50' }, 'progress', '类型不正确，应为数字'],
    ['unknown status', { status: 'finished' }, 'status', '必须是以下之一'],
    ['empty title', { title: '' }, 'title', '不能为空'],
    ['completion before the stored start', { plannedCompletion: daysFromNow(-300) }, 'plannedCompletion', '计划完成日期不能早于开始日期'],
    ['category not configured', { category: '招商引资' }, 'category', '不是本系统配置的项目类别'],
    ['unknown field', { orgId: '1' }, 'orgId', '不支持的字段'],
    ['too many milestones', { milestones: Array.from({ length: 51 }, () => ({ title: 'x', dueOn: '2026-01-01' })) }, 'milestones', '最多 50 项'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const project = await createProject();
    const before = await snapshot();
    const res = await branchAAdmin.patch(`/api/service-projects/${project.id}`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('refuses lowering a done project below 100 %', async () => {
    const project = await createProject(branchAAdmin, { status: 'done' });
    const res = await branchAAdmin.patch(`/api/service-projects/${project.id}`, { progress: 70 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.progress).toBe('已完成的项目进度应为 100%');
  });
});

describe('staged reviews (阶段性梳理)', () => {
  it('lets the upper org comment, rate and return a project; the org resubmits; all kept in history', async () => {
    const project = await createProject();
    const review = await bureauAdmin.post(`/api/service-projects/${project.id}/reviews`, { stage: '第一阶段梳理', comment: '进度偏慢，请细化节点', rating: 3, returnForRework: true });
    expect(review.statusCode).toBe(201);
    expect(review.json()).toMatchObject({ isReturned: true, reviews: [{ stage: '第一阶段梳理', comment: '进度偏慢，请细化节点', rating: 3, isReturned: true }] });
    expect((await branchAAdmin.get(`/api/service-projects?returned=1&pageSize=200`)).json().items.map((p: { id: string }) => p.id)).toContain(project.id);
    const resubmitted = await branchAAdmin.post(`/api/service-projects/${project.id}/resubmit`, { note: '已细化为 5 个节点' });
    expect(resubmitted.json().isReturned).toBe(false);
    expect((await branchAAdmin.post(`/api/service-projects/${project.id}/resubmit`, { note: '再次' })).statusCode).toBe(409);
    const actions = (await bureauAdmin.get(`/api/service-projects/${project.id}/events`)).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['create', 'return', 'resubmit']);
  });

  it('keeps reviews to the upper org: the project’s own org and a member cannot review', async () => {
    const project = await createProject();
    const before = await snapshot();
    expect((await branchAAdmin.post(`/api/service-projects/${project.id}/reviews`, { comment: '自评' })).statusCode).toBe(403);
    expect((await memberA.client.post(`/api/service-projects/${project.id}/reviews`, { comment: '好' })).statusCode).toBe(403);
    expect((await branchBAdmin.post(`/api/service-projects/${project.id}/reviews`, { comment: '好' })).statusCode).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['missing comment', { rating: 4 }, 'comment', '必填'],
    ['rating out of range', { comment: '好', rating: 6 }, 'rating', '不能大于 5'],
    ['return flag of wrong type', { comment: '好', returnForRework: 'yes' }, 'returnForRework', '类型不正确'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const project = await createProject();
    const before = await snapshot();
    const res = await bureauAdmin.post(`/api/service-projects/${project.id}/reviews`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('answers 400 for a resubmission without a note and changes nothing', async () => {
    const project = await createProject();
    await bureauAdmin.post(`/api/service-projects/${project.id}/reviews`, { comment: '退回', returnForRework: true });
    const before = await snapshot();
    const res = await branchAAdmin.post(`/api/service-projects/${project.id}/resubmit`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.note).toBe('必填');
    expect(await snapshot()).toBe(before);
  });
});

describe('categories per tree', () => {
  it('uses the defaults until the root’s admin configures the tree’s own list', async () => {
    const tree = await makeOrg(ctx.database.db, null, { name: '区直机关工委' });
    const unit = await makeOrg(ctx.database.db, tree, { name: '区卫健委党委', type: 'party_committee' });
    const defaults = (await admin.get(`/api/service-projects/categories?orgId=${unit.id}`)).json();
    expect(defaults).toEqual({ rootOrgId: tree.id, names: ['党员教育成长', '党建惠企利民', '关爱减负', '帮扶解困', '文明创建'], isDefault: true });
    const set = await put(admin, `/api/service-projects/categories`, { rootOrgId: tree.id, names: ['健康服务', '帮扶解困'] });
    expect(set.statusCode, set.body).toBe(200);
    const created = await admin.post('/api/service-projects', { ...validProject(), orgId: unit.id, category: '健康服务' });
    expect(created.statusCode).toBe(201);
    const refused = await admin.post('/api/service-projects', { ...validProject(), orgId: unit.id, category: '文明创建' });
    expect(refused.json().error.fields.category).toBe('不是本系统配置的项目类别');
  });

  it.each([
    ['an empty list', { rootOrgId: '1', names: [] }, 'names', '不能为空'],
    ['duplicate names', { rootOrgId: '1', names: ['甲', '甲'] }, 'names', '类别名称不能重复'],
    ['a name too long', { rootOrgId: '1', names: ['类'.repeat(31)] }, 'names.0', '不能超过 30 个字符'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const before = await snapshot();
    const res = await put(admin, '/api/service-projects/categories', { ...body, rootOrgId: root.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('refuses configuring a non-root org, and a tree the user does not administer', async () => {
    const before = await snapshot();
    expect((await put(admin, '/api/service-projects/categories', { rootOrgId: bureau.id, names: ['甲'] })).json().error.fields.rootOrgId).toBe('只能为顶级组织（机关工委）配置类别');
    expect((await put(bureauAdmin, '/api/service-projects/categories', { rootOrgId: root.id, names: ['甲'] })).statusCode).toBe(404);
    expect(await snapshot()).toBe(before);
  });
});

describe('evidence', () => {
  it('stores an uploaded photo, serves it in scope only, and records it in history', async () => {
    const project = await createProject();
    const { body, headers } = multipartFile('现场照片.png', TINY_PNG, 'image/png');
    const res = await branchAAdmin.post(`/api/service-projects/${project.id}/evidence`, body, headers);
    expect(res.statusCode, res.body).toBe(201);
    const evidence = res.json().evidence;
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ kind: 'photo', fileName: '现场照片.png', mimeType: 'image/png', sizeBytes: TINY_PNG.length });
    const file = await bureauAdmin.get(evidence[0].url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(TINY_PNG)).toBe(true);
    expect((await branchBAdmin.get(evidence[0].url)).statusCode).toBe(404);
    const removed = await branchAAdmin.delete(`/api/service-projects/${project.id}/evidence/${evidence[0].id}`);
    expect(removed.json().evidence).toEqual([]);
    const actions = (await branchAAdmin.get(`/api/service-projects/${project.id}/events`)).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['create', 'add_evidence', 'remove_evidence']);
  });

  it.each([
    ['a file that is not an image or document', multipartFile('run.exe', Buffer.from('MZ\x90\x00 not allowed'), 'image/png'), '仅支持'],
    ['an empty file', multipartFile('empty.png', Buffer.alloc(0), 'image/png'), '请选择要上传的文件'],
    ['a JSON body instead of a file', { body: { url: 'http://example.com/a.png' }, headers: {} }, '请选择要上传的文件'],
  ])('answers 400 for %s and changes nothing', async (_case, upload, message) => {
    const project = await createProject();
    const before = await snapshot();
    const res = await branchAAdmin.post(`/api/service-projects/${project.id}/evidence`, upload.body, upload.headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.file).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('answers 413 for a file over 10 MB and stores nothing', async () => {
    const project = await createProject();
    const before = await snapshot();
    const { body, headers } = multipartFile('big.png', Buffer.concat([TINY_PNG, Buffer.alloc(11 * 1024 * 1024)]), 'image/png');
    const res = await branchAAdmin.post(`/api/service-projects/${project.id}/evidence`, body, headers);
    expect(res.statusCode).toBe(413);
    expect(await snapshot()).toBe(before);
  });

  it('refuses an upload to another org’s project with 404', async () => {
    const project = await createProject();
    const { body, headers } = multipartFile('a.png', TINY_PNG);
    expect((await branchBAdmin.post(`/api/service-projects/${project.id}/evidence`, body, headers)).statusCode).toBe(404);
  });
});

describe('statistics', () => {
  let statRoot: OrgFixture, unitA: OrgFixture, unitA1: OrgFixture, unitB: OrgFixture;
  let statAdmin: Client, unitAAdmin: Client, unitBAdmin: Client;

  beforeAll(async () => {
    const { db } = ctx.database;
    statRoot = await makeOrg(db, null, { name: '县直机关工委' });
    unitA = await makeOrg(db, statRoot, { name: '县人社局党委', type: 'party_committee' });
    unitA1 = await makeOrg(db, unitA, { name: '就业科党支部' });
    unitB = await makeOrg(db, statRoot, { name: '县住建局党委', type: 'party_committee' });
    statAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: statRoot }]));
    unitAAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: unitA }]));
    unitBAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: unitB }]));
    // the known data set: org, category, status, started, planned completion, major problem
    const rows: [OrgFixture, string, string, string, string, boolean][] = [
      [unitA, '帮扶解困', 'done', '2025-01-10', '2025-06-30', true],
      [unitA1, '帮扶解困', 'done', '2025-02-01', '2025-05-01', false],
      [unitA1, '关爱减负', 'in_progress', '2025-03-01', '2025-04-01', false], // overdue
      [unitB, '文明创建', 'stalled', '2025-04-01', '2099-12-31', false],
      [unitB, '帮扶解困', 'planned', '2025-12-31', '2026-01-15', false], // overdue
      [unitB, '关爱减负', 'done', '2024-12-31', '2025-03-01', true], // before the period
      [statRoot, '党员教育成长', 'in_progress', '2025-07-01', '2025-08-01', true], // overdue, major but not done
    ];
    for (const [org, category, status, startedOn, planned, major] of rows) {
      await db.execute(sql`insert into service_projects (org_id, org_path, title, category, source, need, owner_name, started_on, planned_completion,
        completed_on, progress, status, is_major_problem)
        values (${org.id}, ${org.path}::ltree, ${`${org.name}${category}`}, ${category}, 'assigned', '需求', '负责人', ${startedOn}, ${planned},
                ${status === 'done' ? planned : null}, ${status === 'done' ? 100 : 30}, ${status}, ${major})`);
    }
  });

  it('counts the whole subtree by status and category, with problems solved and overdue', async () => {
    const res = await statAdmin.get(`/api/service-projects/statistics?orgId=${statRoot.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      total: 7,
      byStatus: { planned: 1, in_progress: 2, done: 3, stalled: 1 },
      solved: 3,
      majorSolved: 2,
      overdue: 3,
    });
    expect(res.json().byCategory).toEqual([
      { category: '帮扶解困', total: 3, done: 2 },
      { category: '关爱减负', total: 2, done: 1 },
      { category: '党员教育成长', total: 1, done: 0 },
      { category: '文明创建', total: 1, done: 0 },
    ]);
  });

  it('restricts to projects started in the period and breaks them down by child org', async () => {
    const stats = (await statAdmin.get(`/api/service-projects/statistics?orgId=${statRoot.id}&from=2025-01-01&to=2025-12-31`)).json();
    expect(stats).toMatchObject({ total: 6, byStatus: { planned: 1, in_progress: 2, done: 2, stalled: 1 }, solved: 2, majorSolved: 1, overdue: 3 });
    expect(stats.byChildOrg).toEqual([
      { orgId: unitA.id, orgName: '县人社局党委', total: 3, solved: 2, overdue: 1 },
      { orgId: unitB.id, orgName: '县住建局党委', total: 2, solved: 0, overdue: 1 },
    ]);
    const firstHalf = (await statAdmin.get(`/api/service-projects/statistics?orgId=${statRoot.id}&from=2025-01-01&to=2025-06-30`)).json();
    expect(firstHalf).toMatchObject({ total: 4, solved: 2, overdue: 1 });
  });

  it('gives a unit admin the figures of the own subtree only, and 404 above it', async () => {
    const stats = (await unitAAdmin.get(`/api/service-projects/statistics?orgId=${unitA.id}`)).json();
    expect(stats).toMatchObject({ total: 3, solved: 2, majorSolved: 1, overdue: 1, byChildOrg: [{ orgId: unitA1.id, total: 2, solved: 1, overdue: 1 }] });
    expect((await unitBAdmin.get(`/api/service-projects/statistics?orgId=${statRoot.id}`)).statusCode).toBe(404);
    expect((await unitBAdmin.get(`/api/service-projects/statistics?orgId=${unitA.id}`)).statusCode).toBe(404);
  });

  it('answers 400 for a reversed period', async () => {
    const res = await statAdmin.get(`/api/service-projects/statistics?orgId=${statRoot.id}&from=2025-12-01&to=2025-01-01`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.to).toBe('结束日期不能早于开始日期');
  });

  it('exports the same figures and the project list as .xlsx', async () => {
    const res = await statAdmin.get(`/api/service-projects/statistics.xlsx?orgId=${statRoot.id}&from=2025-01-01&to=2025-12-31`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const summary = book.getWorksheet('汇总')!;
    const figure = (label: string) => summary.getRows(1, summary.rowCount)!.find((r) => r.getCell(1).value === label)?.getCell(2).value;
    expect([figure('项目总数'), figure('已完成'), figure('解决问题数'), figure('解决重大问题数'), figure('逾期项目数')]).toEqual([6, 2, 2, 1, 3]);
    const list = book.getWorksheet('项目清单')!;
    expect(list.rowCount).toBe(1 + 6);
    expect(list.getRow(1).getCell(2).value).toBe('项目名称');
    expect(book.getWorksheet('按单位')!.getRow(2).values).toEqual([undefined, '县人社局党委', 3, 2, 1]);
  });
});

describe('public page of a tree', () => {
  let shown: { id: string }, hidden: { id: string };

  beforeAll(async () => {
    shown = await createProject(branchAAdmin, { title: '社区助餐点建设', need: '独居老人吃饭难，联系人电话 13912345678', result: '已开设助餐点 3 个' });
    hidden = await createProject(branchAAdmin, { title: '内部事项', isPublic: false });
    await makePerson(ctx.database.db, branchA, '赵敏');
  });

  const anonymous = (url: string, options: { method?: 'GET' | 'POST'; payload?: unknown; ip?: string } = {}) =>
    ctx.app.inject({ method: options.method ?? 'GET', url, payload: options.payload as never, remoteAddress: options.ip ?? '10.0.0.1' });

  it('lists the tree’s public projects with progress and results, without login, searchable', async () => {
    const res = await anonymous(`/api/public/service-projects/trees/${root.id}/projects?q=${encodeURIComponent('助餐')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().treeName).toBe('市直机关工委');
    expect(res.json().items.map((p: { id: string }) => p.id)).toEqual([shown.id]);
    expect(res.json().items[0]).toMatchObject({ title: '社区助餐点建设', orgName: '社会救助处党支部', result: '已开设助餐点 3 个', progress: 0, satisfaction: { average: null, count: 0 } });
    const all = (await anonymous(`/api/public/service-projects/trees/${root.id}/projects?pageSize=200`)).json().items.map((p: { id: string }) => p.id);
    expect(all).toContain(shown.id);
    expect(all).not.toContain(hidden.id);
    expect((await anonymous(`/api/public/service-projects/trees/${root.id}/projects/${hidden.id}`)).statusCode).toBe(404);
  });

  it('has no page for an org that is not the root of a tree, nor for a project of another tree', async () => {
    expect((await anonymous(`/api/public/service-projects/trees/${bureau.id}/projects`)).statusCode).toBe(404);
    const otherTree = await makeOrg(ctx.database.db, null, { name: '另一工委' });
    expect((await anonymous(`/api/public/service-projects/trees/${otherTree.id}/projects/${shown.id}`)).statusCode).toBe(404);
  });

  it('shows a citizen’s rating and comment only after an admin of the tree approves it', async () => {
    const submitted = await anonymous(`/api/public/service-projects/trees/${root.id}/projects/${shown.id}/feedback`, { method: 'POST', payload: { rating: 5, comment: '饭菜可口，感谢！', nickname: '张大爷' }, ip: '10.0.0.2' });
    expect(submitted.statusCode).toBe(202);
    await anonymous(`/api/public/service-projects/trees/${root.id}/projects/${shown.id}/feedback`, { method: 'POST', payload: { rating: 2 }, ip: '10.0.0.3' });
    expect((await anonymous(`/api/public/service-projects/trees/${root.id}/projects/${shown.id}`)).json().comments).toEqual([]);
    const queue = (await bureauAdmin.get('/api/service-projects/feedback')).json();
    const mine = queue.items.filter((f: { projectId: string }) => f.projectId === shown.id);
    expect(mine.map((f: { rating: number }) => f.rating)).toEqual([5, 2]);
    expect((await branchBAdmin.get('/api/service-projects/feedback')).json().items).toEqual([]);
    expect((await memberA.client.get('/api/service-projects/feedback')).json().items).toEqual([]);
    expect((await branchBAdmin.post(`/api/service-projects/feedback/${mine[0].id}/moderate`, { decision: 'approve' })).statusCode).toBe(404);
    expect((await bureauAdmin.post(`/api/service-projects/feedback/${mine[0].id}/moderate`, { decision: 'approve' })).json().status).toBe('approved');
    expect((await bureauAdmin.post(`/api/service-projects/feedback/${mine[1].id}/moderate`, { decision: 'reject' })).json().status).toBe('rejected');
    const detail = (await anonymous(`/api/public/service-projects/trees/${root.id}/projects/${shown.id}`)).json();
    expect(detail.comments).toEqual([expect.objectContaining({ rating: 5, comment: '饭菜可口，感谢！', nickname: '张大爷' })]);
    expect(detail.satisfaction).toEqual({ average: 5, count: 1 });
  });

  it('limits submissions per address and answers 429 with the wait', async () => {
    const url = `/api/public/service-projects/trees/${root.id}/projects/${shown.id}/feedback`;
    for (let i = 0; i < 5; i++) expect((await anonymous(url, { method: 'POST', payload: { rating: 4 }, ip: '10.9.9.9' })).statusCode).toBe(202);
    const before = await snapshot();
    const refused = await anonymous(url, { method: 'POST', payload: { rating: 4 }, ip: '10.9.9.9' });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
    expect(refused.json().error.message).toMatch(/^提交过于频繁，请 \d+ 秒后再试$/);
    expect(await snapshot()).toBe(before);
    expect((await anonymous(url, { method: 'POST', payload: { rating: 4 }, ip: '10.9.9.10' })).statusCode).toBe(202);
  });

  it.each([
    ['missing rating', { comment: '好' }, 'rating', '必填'],
    ['rating of 0', { rating: 0 }, 'rating', '不能小于 1'],
    ['comment too long', { rating: 3, comment: '好'.repeat(501) }, 'comment', '不能超过 500 个字符'],
    ['unknown field', { rating: 3, phone: '13900000000' }, 'phone', '不支持的字段'],
  ])('answers 400 for %s and changes nothing', async (_case, payload, field, message) => {
    const before = await snapshot();
    const res = await anonymous(`/api/public/service-projects/trees/${root.id}/projects/${shown.id}/feedback`, { method: 'POST', payload, ip: '10.1.1.1' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('answers 400 for moderation without a valid decision and changes nothing', async () => {
    const before = await snapshot();
    const res = await bureauAdmin.post('/api/service-projects/feedback/1/moderate', { decision: 'maybe' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.decision).toContain('必须是以下之一');
    expect(await snapshot()).toBe(before);
  });

  it('never returns members’ phone, ID number or address, by key or by pattern', async () => {
    const comment = await anonymous(`/api/public/service-projects/trees/${root.id}/projects/${shown.id}/feedback`, { method: 'POST', payload: { rating: 3, comment: '我的电话13800138000，身份证110105198001010016' }, ip: '10.7.7.7' });
    expect(comment.statusCode).toBe(202);
    const pending = (await admin.get('/api/service-projects/feedback?pageSize=200')).json().items.find((f: { comment: string | null }) => f.comment?.startsWith('我的电话'));
    await admin.post(`/api/service-projects/feedback/${pending.id}/moderate`, { decision: 'approve' });
    const members = await ctx.database.db.execute<{ name: string; residence_community: string } & Record<string, unknown>>(sql`select name, residence_community from members`);
    const urls = [
      `/api/public/service-projects/trees/${root.id}/projects?pageSize=200`,
      `/api/public/service-projects/trees/${root.id}/projects/${shown.id}`,
      `/api/public/service-projects/trees/${root.id}/projects?q=${encodeURIComponent(owner.name)}`,
    ];
    for (const url of urls) {
      const res = await anonymous(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(MOBILE_ANYWHERE);
      expect(res.body).not.toMatch(ID_NUMBER_ANYWHERE);
      for (const m of members.rows) {
        expect(res.body).not.toContain(m.residence_community);
        expect(res.body).not.toContain(m.name);
      }
      expect(keysOf(res.json()).filter((k) => PERSONAL_KEYS.includes(k))).toEqual([]);
    }
    expect((await anonymous(`/api/public/service-projects/trees/${root.id}/projects/${shown.id}`)).body).toContain('139****5678');
  });
});
