import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRADE_THRESHOLDS, gradeOf } from '../../../../contracts/responsibility_lists.js';
import { responsibilityIndicators } from './indicators.js';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { TINY_PNG, multipartFile, signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, group: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, bureauAdmin: Client, branchAAdmin: Client, branchBAdmin: Client, otherAdmin: Client;
let alice: SignedInPerson, bob: SignedInPerson;
const db = () => ctx.database.db;

const PAST = '2020-03-31';
const FUTURE = '2190-12-31';

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '市直机关工委' });
  bureau = await makeOrg(db(), root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db(), bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db(), bureau, { name: '国库处党支部' });
  group = await makeOrg(db(), branchA, { name: '第一党小组', type: 'group' });
  otherRoot = await makeOrg(db(), null, { name: '邻市机关工委' });
  const admin = async (org: OrgFixture) => login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org }]));
  rootAdmin = await admin(root);
  bureauAdmin = await admin(bureau);
  branchAAdmin = await admin(branchA);
  branchBAdmin = await admin(branchB);
  otherAdmin = await admin(otherRoot);
  alice = await signedInPerson(ctx, branchA, '陈静');
  bob = await signedInPerson(ctx, branchA, '刘洋');
});
afterAll(async () => ctx?.close());

const templateBody = (fields: Record<string, unknown> = {}) => ({
  orgId: bureau.id, level: 'branch_secretary', year: 2026, title: '2026年度党支部书记抓党建工作责任清单',
  items: [
    { task: '每季度讲一次党课', deadline: PAST, evidenceRequired: '党课讲稿、签到表' },
    { task: '年底前完成支部换届', deadline: FUTURE, evidenceRequired: '选举结果批复' },
  ],
  ...fields,
});

async function createTemplate(by: Client, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await by.post('/api/responsibility/templates', templateBody(fields));
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

type ListRow = { id: string; orgId: string; overdueCount: number; itemCount: number; status: string; closedCount: number };
async function listsOf(by: Client, templateId: string): Promise<ListRow[]> {
  const res = await by.get(`/api/responsibility/lists?templateId=${templateId}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: ListRow[] }).items;
}

async function itemsOf(by: Client, listId: string): Promise<{ id: string; task: string; status: string; isOverdue: boolean }[]> {
  const res = await by.get(`/api/responsibility/lists/${listId}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { id: string; task: string; status: string; isOverdue: boolean }[] }).items;
}

async function snapshot() {
  const tables = ['responsibility_templates', 'responsibility_template_items', 'responsibility_lists', 'responsibility_items', 'responsibility_progress_reports',
    'responsibility_files', 'responsibility_inspections', 'duty_review_rounds', 'duty_reports', 'audit_log'];
  return JSON.stringify(await Promise.all(tables.map((t) => countRows(db(), t))));
}

describe('issuing a responsibility list', () => {
  it('issues a template to every branch of a subtree in one go, and again only to the ones that came since', async () => {
    const id = await createTemplate(bureauAdmin);
    const template = (await bureauAdmin.get(`/api/responsibility/templates/${id}`)).json();
    expect(template).toMatchObject({ orgName: '市财政局机关党委', level: 'branch_secretary', listCount: 0, canIssue: true, items: [{ task: '每季度讲一次党课', deadline: PAST }, { deadline: FUTURE }] });

    const first = await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: bureau.id });
    expect(first.statusCode, first.body).toBe(200);
    // the two branches; not the group, not the bureau itself
    expect(first.json()).toEqual({ issued: 2, alreadyIssued: 0 });
    const branchC = await makeOrg(db(), bureau, { name: '新设党支部' });
    expect((await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: bureau.id })).json()).toEqual({ issued: 1, alreadyIssued: 2 });

    const lists = await listsOf(bureauAdmin, id);
    expect(lists.map((l) => l.orgId).sort()).toEqual([branchA.id, branchB.id, branchC.id].sort());
    expect(lists.every((l) => l.itemCount === 2 && l.status === 'open')).toBe(true);
    expect((await bureauAdmin.get(`/api/responsibility/templates/${id}`)).json().listCount).toBe(3);
    // each branch sees its own list only
    expect((await listsOf(branchAAdmin, id)).map((l) => l.orgId)).toEqual([branchA.id]);
    expect(await listsOf(otherAdmin, id)).toEqual([]);
  });

  it('issues within the chosen subtree only, and to the types asked for', async () => {
    const id = await createTemplate(rootAdmin, { orgId: root.id, level: 'organ_committee', title: '机关党委责任清单' });
    expect((await rootAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: root.id })).json()).toEqual({ issued: 1, alreadyIssued: 0 });
    const groups = await createTemplate(rootAdmin, { orgId: root.id, title: '党小组责任清单' });
    expect((await rootAdmin.post(`/api/responsibility/templates/${groups}/issue`, { subtreeOrgId: branchA.id, orgTypes: ['group'] })).json()).toEqual({ issued: 1, alreadyIssued: 0 });
    expect((await listsOf(rootAdmin, groups)).map((l) => l.orgId)).toEqual([group.id]);
  });
});

describe('correcting a template before it is issued', () => {
  it('changes the title, level, year and items of an unissued template, and deletes one', async () => {
    const id = await createTemplate(bureauAdmin, { title: '待修改的清单' });
    const res = await bureauAdmin.patch(`/api/responsibility/templates/${id}`, {
      title: '修改后的清单', level: 'organ_committee', year: 2027,
      items: [{ task: '每月召开支委会', deadline: FUTURE, evidenceRequired: '会议记录' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '修改后的清单', level: 'organ_committee', year: 2027, listCount: 0,
      items: [{ task: '每月召开支委会', deadline: FUTURE, evidenceRequired: '会议记录' }] });
    // a partial change keeps the rest
    const renamed = await bureauAdmin.patch(`/api/responsibility/templates/${id}`, { title: '再次修改' });
    expect(renamed.json()).toMatchObject({ title: '再次修改', year: 2027, items: [{ task: '每月召开支委会' }] });
    const audited = await db().execute<{ action: string }>(`select action from audit_log where target_type = 'responsibility_template' and target_id = '${id}' order by id`);
    expect(audited.rows.map((r) => r.action)).toEqual(['responsibility.create_template', 'responsibility.update_template', 'responsibility.update_template']);

    const removed = await bureauAdmin.delete(`/api/responsibility/templates/${id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await bureauAdmin.get(`/api/responsibility/templates/${id}`)).statusCode).toBe(404);
    const items = await db().execute<{ n: number }>(`select count(*)::int as n from responsibility_template_items where template_id = ${id}`);
    expect(Number(items.rows[0]!.n)).toBe(0);
  });

  it('refuses to change or delete an issued template (409), and changes nothing', async () => {
    const id = await createTemplate(bureauAdmin, { title: '已下发的清单' });
    await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: branchB.id });
    const before = await snapshot();
    const patched = await bureauAdmin.patch(`/api/responsibility/templates/${id}`, { title: '改不了' });
    expect(patched.statusCode, patched.body).toBe(409);
    expect(patched.json().error).toMatchObject({ code: 'responsibility.template_issued', message: expect.stringMatching(/已下发/) });
    expect((await bureauAdmin.delete(`/api/responsibility/templates/${id}`)).statusCode).toBe(409);
    expect(await snapshot()).toBe(before);
    expect((await bureauAdmin.get(`/api/responsibility/templates/${id}`)).json().title).toBe('已下发的清单');
  });

  it('answers 404 outside the admin scope and 400 for bad fields, changing nothing', async () => {
    const id = await createTemplate(bureauAdmin, { title: '范围测试清单' });
    const before = await snapshot();
    expect((await otherAdmin.patch(`/api/responsibility/templates/${id}`, { title: '越权' })).statusCode).toBe(404);
    expect((await otherAdmin.delete(`/api/responsibility/templates/${id}`)).statusCode).toBe(404);
    // a branch below sees nothing of its superior's template
    expect((await branchAAdmin.delete(`/api/responsibility/templates/${id}`)).statusCode).toBe(404);
    const bad = await bureauAdmin.patch(`/api/responsibility/templates/${id}`, { title: ' ', items: [] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['items', 'title']);
    expect((await bureauAdmin.patch(`/api/responsibility/templates/${id}`, { orgId: root.id })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/responsibility/templates/${id}` })).statusCode).toBe(401);
    expect(await snapshot()).toBe(before);
    expect((await bureauAdmin.get(`/api/responsibility/templates/${id}`)).json().title).toBe('范围测试清单');
  });
});

describe('an item from report to closing', () => {
  it('the owner reports with evidence, the level above inspects, asks for rectification and closes; the list closes with its last item', async () => {
    const id = await createTemplate(bureauAdmin, { title: '进展测试清单' });
    await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: branchA.id });
    const [list] = await listsOf(branchAAdmin, id);
    const [lesson, election] = await itemsOf(branchAAdmin, list!.id);
    expect(lesson).toMatchObject({ status: 'open', isOverdue: true });
    expect(election).toMatchObject({ status: 'open', isOverdue: false });

    const reported = await branchAAdmin.post(`/api/responsibility/items/${lesson!.id}/reports`, { body: '已讲党课四次，附讲稿。' });
    expect(reported.statusCode, reported.body).toBe(201);
    const reportId = reported.json().id as string;
    expect(reported.json().item).toMatchObject({ status: 'reported', isOverdue: false, canReport: true, canInspect: false });
    const file = multipartFile('党课照片.png', TINY_PNG, 'image/png');
    const uploaded = await ctx.app.inject({ method: 'POST', url: `/api/responsibility/items/${lesson!.id}/reports/${reportId}/files`, payload: file.body,
      headers: { ...file.headers, cookie: branchAAdmin.cookie, 'x-csrf-token': branchAAdmin.csrfToken } });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const evidence = uploaded.json().reports[0].files[0];
    expect(evidence).toMatchObject({ fileName: '党课照片.png', mimeType: 'image/png' });
    expect((await bureauAdmin.get(evidence.url)).statusCode).toBe(200);
    expect((await otherAdmin.get(evidence.url)).statusCode).toBe(404);

    // the owner does not inspect its own duties
    const own = await branchAAdmin.post(`/api/responsibility/items/${lesson!.id}/inspections`, { inspectedOn: '2026-06-01', inspectors: '王强', findings: '自查', rectificationRequired: false });
    expect(own.statusCode, own.body).toBe(403);

    const inspected = await bureauAdmin.post(`/api/responsibility/items/${lesson!.id}/inspections`, {
      inspectedOn: '2026-06-01', inspectors: '王强、李明', findings: '第二季度党课记录不全', rectificationRequired: true, rectifyDeadline: FUTURE,
    });
    expect(inspected.statusCode, inspected.body).toBe(201);
    expect(inspected.json()).toMatchObject({ status: 'rectifying', rectifyDeadline: FUTURE, isOverdue: false, canInspect: true,
      inspections: [{ inspectors: '王强、李明', findings: '第二季度党课记录不全', rectificationRequired: true, rectifyDeadline: FUTURE }] });

    expect((await branchAAdmin.post(`/api/responsibility/items/${lesson!.id}/reports`, { body: '已补齐记录。' })).json().item.status).toBe('reported');
    const closed = await bureauAdmin.post(`/api/responsibility/items/${lesson!.id}/close`, { note: '整改到位，销号' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closeNote: '整改到位，销号', canReport: false, canInspect: false });
    expect((await branchAAdmin.post(`/api/responsibility/items/${lesson!.id}/reports`, { body: '再报' })).statusCode).toBe(409);
    expect((await bureauAdmin.post(`/api/responsibility/items/${lesson!.id}/close`, {})).statusCode).toBe(409);
    expect((await listsOf(bureauAdmin, id))[0]).toMatchObject({ status: 'open', closedCount: 1 });

    await bureauAdmin.post(`/api/responsibility/items/${election!.id}/close`, {});
    expect((await listsOf(bureauAdmin, id))[0]).toMatchObject({ status: 'closed', closedCount: 2, overdueCount: 0 });
  });

  it('flags overdue items, and each list’s overdue figure is the total of the list it opens', async () => {
    const id = await createTemplate(bureauAdmin, { title: '逾期测试清单', items: [
      { task: '上半年专题组织生活会', deadline: PAST, evidenceRequired: '会议记录' },
      { task: '年度述职', deadline: PAST, evidenceRequired: '述职报告' },
      { task: '明年工作计划', deadline: FUTURE, evidenceRequired: '计划' },
    ] });
    await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: bureau.id });
    const lists = await listsOf(bureauAdmin, id);
    const listA = lists.find((l) => l.orgId === branchA.id)!;
    const [first] = await itemsOf(branchAAdmin, listA.id);
    // reported: waiting for the level above, not overdue; rectifying past its deadline: overdue again
    await branchAAdmin.post(`/api/responsibility/items/${first!.id}/reports`, { body: '已召开' });
    let rows = await listsOf(bureauAdmin, id);
    expect(rows.find((l) => l.orgId === branchA.id)!.overdueCount).toBe(1);
    expect(rows.find((l) => l.orgId === branchB.id)!.overdueCount).toBe(2);
    await bureauAdmin.post(`/api/responsibility/items/${first!.id}/inspections`, { inspectedOn: '2021-01-05', inspectors: '王强', findings: '记录缺页', rectificationRequired: true, rectifyDeadline: '2021-01-20' });
    rows = await listsOf(bureauAdmin, id);
    for (const list of rows) {
      const opened = (await bureauAdmin.get(`/api/responsibility/items?listId=${list.id}&overdue=true`)).json();
      expect(opened.total).toBe(list.overdueCount);
      expect(opened.items.every((i: { isOverdue: boolean }) => i.isOverdue)).toBe(true);
    }
    expect(rows.find((l) => l.orgId === branchA.id)!.overdueCount).toBe(2);
    const withOverdue = (await bureauAdmin.get(`/api/responsibility/lists?templateId=${id}&overdue=true`)).json();
    expect(withOverdue.total).toBe(rows.filter((l) => l.overdueCount > 0).length);
    expect(withOverdue.total).toBeGreaterThanOrEqual(2);
  });
});

describe('a member’s own list', () => {
  it('a branch issues the 党员 list to its members; each member reads and reports on their own through /me only', async () => {
    const id = await createTemplate(branchAAdmin, { orgId: branchA.id, level: 'member', title: '党员责任清单', items: [{ task: '按时交纳党费', deadline: FUTURE, evidenceRequired: '缴费记录' }] });
    const issued = await branchAAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: branchA.id });
    expect(issued.json()).toEqual({ issued: 2, alreadyIssued: 0 });

    const mine = (await alice.client.get('/api/me/responsibility')).json();
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ title: '党员责任清单', memberName: '陈静', items: [{ task: '按时交纳党费', status: 'open' }] });
    const itemId = mine.items[0].items[0].id as string;
    const bobs = (await bob.client.get('/api/me/responsibility')).json().items[0].items[0].id as string;

    expect((await alice.client.get(`/api/me/responsibility/items/${itemId}`)).json()).toMatchObject({ canReport: true, canInspect: false });
    expect((await alice.client.get(`/api/me/responsibility/items/${bobs}`)).statusCode).toBe(404);
    expect((await alice.client.post(`/api/me/responsibility/items/${bobs}/reports`, { body: 'x' })).statusCode).toBe(404);
    // a member has no console scope
    expect((await alice.client.get(`/api/responsibility/items/${itemId}`)).statusCode).toBe(404);

    const reported = await alice.client.post(`/api/me/responsibility/items/${itemId}/reports`, { body: '1—6月党费已按时交纳' });
    expect(reported.statusCode, reported.body).toBe(201);
    expect(reported.json().item.status).toBe('reported');
    // the branch does not report for the member; it inspects and closes (it is the level above)
    expect((await branchAAdmin.post(`/api/responsibility/items/${itemId}/reports`, { body: '代报' })).statusCode).toBe(403);
    expect((await branchAAdmin.get(`/api/responsibility/items/${itemId}`)).json()).toMatchObject({ canReport: false, canInspect: true });
    expect((await branchAAdmin.post(`/api/responsibility/items/${itemId}/close`, {})).json().status).toBe('closed');
    expect((await alice.client.get('/api/me/responsibility')).json().items[0]).toMatchObject({ status: 'closed', closedCount: 1 });
  });
});

describe('scope and bad input', () => {
  it('answers 404 outside the viewer’s subtree', async () => {
    const id = await createTemplate(bureauAdmin, { title: '范围测试清单' });
    await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: bureau.id });
    const list = (await listsOf(bureauAdmin, id)).find((l) => l.orgId === branchB.id)!;
    const [item] = await itemsOf(bureauAdmin, list.id);
    expect((await otherAdmin.get(`/api/responsibility/templates/${id}`)).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: bureau.id })).statusCode).toBe(404);
    expect((await branchAAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: branchA.id })).statusCode).toBe(404);
    for (const url of [`/api/responsibility/lists/${list.id}`, `/api/responsibility/items/${item!.id}`]) {
      expect((await otherAdmin.get(url)).statusCode).toBe(404);
      expect((await branchAAdmin.get(url)).statusCode).toBe(404);
    }
    expect((await branchAAdmin.post(`/api/responsibility/items/${item!.id}/reports`, { body: '越权' })).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/responsibility/items/${item!.id}/close`, {})).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/responsibility/lists' })).statusCode).toBe(401);
  });

  it('refuses bad input with the offending field and changes nothing', async () => {
    const id = await createTemplate(bureauAdmin, { title: '输入测试清单' });
    const memberTemplate = await createTemplate(branchAAdmin, { orgId: branchA.id, level: 'member', title: '党员清单2' });
    await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: branchA.id });
    const [list] = await listsOf(bureauAdmin, id);
    const [item] = await itemsOf(bureauAdmin, list!.id);
    const before = await snapshot();
    const refused = async (res: { statusCode: number; body: string; json(): unknown }, field: string) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys((res.json() as { error: { fields?: Record<string, string> } }).error.fields ?? {})).toContain(field);
    };
    await refused(await bureauAdmin.post('/api/responsibility/templates', templateBody({ items: [] })), 'items');
    await refused(await bureauAdmin.post('/api/responsibility/templates', templateBody({ items: [{ task: '学习', deadline: '2026-13-01', evidenceRequired: '记录' }] })), 'items.0.deadline');
    await refused(await bureauAdmin.post('/api/responsibility/templates', templateBody({ level: 'secretary' })), 'level');
    await refused(await bureauAdmin.post('/api/responsibility/templates', templateBody({ orgId: otherRoot.id })), 'orgId');
    await refused(await bureauAdmin.post('/api/responsibility/templates', templateBody({ title: ' ' })), 'title');
    await refused(await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: root.id }), 'subtreeOrgId');
    await refused(await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: bureau.id, orgTypes: ['club'] }), 'orgTypes.0');
    await refused(await branchAAdmin.post(`/api/responsibility/templates/${memberTemplate}/issue`, { subtreeOrgId: branchA.id, orgTypes: ['branch'] }), 'orgTypes');
    const inspection = { inspectedOn: '2026-06-01', inspectors: '王强', findings: '缺记录', rectificationRequired: true };
    await refused(await bureauAdmin.post(`/api/responsibility/items/${item!.id}/inspections`, inspection), 'rectifyDeadline');
    await refused(await bureauAdmin.post(`/api/responsibility/items/${item!.id}/inspections`, { ...inspection, rectifyDeadline: '2026-05-01' }), 'rectifyDeadline');
    await refused(await bureauAdmin.post(`/api/responsibility/items/${item!.id}/inspections`, { ...inspection, rectificationRequired: false, rectifyDeadline: FUTURE }), 'rectifyDeadline');
    await refused(await bureauAdmin.post(`/api/responsibility/items/${item!.id}/inspections`, { ...inspection, inspectors: '' }), 'inspectors');
    await refused(await branchAAdmin.post(`/api/responsibility/items/${item!.id}/reports`, { body: '' }), 'body');
    await refused(await bureauAdmin.get('/api/responsibility/items?overdue=maybe'), 'overdue');
    await refused(await bureauAdmin.post('/api/duty-reviews', { orgId: bureau.id, year: 2026, title: '述职', thresholds: { good: 80, fairlyGood: 85, average: 60 } }), 'thresholds.fairlyGood');
    await refused(await bureauAdmin.post('/api/duty-reviews', { orgId: bureau.id, year: 2026, title: '述职', orgTypes: ['work_committee'] }), 'orgTypes');
    expect(await snapshot()).toBe(before);
  });
});

describe('述职评议考核', () => {
  it('grades a score by the declared thresholds', () => {
    const g = (s: number | null) => gradeOf(s, DEFAULT_GRADE_THRESHOLDS);
    expect([g(100), g(90), g(89.99), g(80), g(79.99), g(60), g(59.99), g(0), g(null)])
      .toEqual(['good', 'good', 'fairly_good', 'fairly_good', 'average', 'average', 'poor', 'poor', null]);
  });

  it('the secretaries report, the body’s judges score them through the judging engine, and each org gets its score, rank and grade', async () => {
    const created = await bureauAdmin.post('/api/duty-reviews', { orgId: bureau.id, year: 2026, title: '2026年度党支部书记抓党建述职评议' });
    expect(created.statusCode, created.body).toBe(201);
    const round = created.json();
    // the bureau's three branches (one was set up by an earlier test)
    expect(round).toMatchObject({ status: 'collecting', reportCount: 3, submittedCount: 0, thresholds: DEFAULT_GRADE_THRESHOLDS, canManage: true });
    expect((await otherAdmin.get(`/api/duty-reviews/${round.id}`)).statusCode).toBe(404);

    const reportOf = async (c: Client) => ((await c.get(`/api/duty-reports?roundId=${round.id}`)).json() as { items: { id: string; orgId: string; canSubmit: boolean }[] }).items;
    const [mineA] = await reportOf(branchAAdmin);
    const [mineB] = await reportOf(branchBAdmin);
    expect(mineA).toMatchObject({ orgId: branchA.id, canSubmit: true });
    expect((await branchAAdmin.put(`/api/duty-reports/${mineB!.id}`, { secretaryName: '张伟', body: '越权' })).statusCode).toBe(404);
    expect((await bureauAdmin.post(`/api/duty-reviews/${round.id}/review`, { judgeUserIds: ['1'] })).statusCode).toBe(409);
    const submitted = await branchAAdmin.put(`/api/duty-reports/${mineA!.id}`, { secretaryName: '张伟', body: '一年来，支部书记认真履行第一责任人职责……' });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ secretaryName: '张伟', grade: null });
    await branchBAdmin.put(`/api/duty-reports/${mineB!.id}`, { secretaryName: '李娜', body: '本年度支部工作……' });

    const judges = await Promise.all([0, 1].map(async () => {
      const u = await makeUser(db(), [{ role: 'judge' }]);
      return { id: u.id, client: await login(ctx.app, u) };
    }));
    const started = await bureauAdmin.post(`/api/duty-reviews/${round.id}/review`, { judgeUserIds: judges.map((j) => j.id) });
    expect(started.statusCode, started.body).toBe(200);
    const panelId = started.json().panelId as string;
    expect(started.json().status).toBe('reviewing');
    expect((await branchAAdmin.put(`/api/duty-reports/${mineA!.id}`, { secretaryName: '张伟', body: '改' })).statusCode).toBe(409);

    // weights 40/30/30 of 100: judge 1 → A 90.50, B 65.50; judge 2 → A 89.00, B 54.50
    const scores: Record<string, [number, number, number][]> = { [branchA.id]: [[95, 90, 85], [92, 88, 86]], [branchB.id]: [[70, 60, 65], [50, 55, 60]] };
    for (const [j, judge] of judges.entries()) {
      const entries = (await judge.client.get(`/api/judging/panels/${panelId}/entries`)).json() as { items: { id: string; title: string }[] };
      expect(entries.items).toHaveLength(2);
      for (const entry of entries.items) {
        const orgId = entry.title.startsWith('预算处') ? branchA.id : branchB.id;
        const [duties, problems, effect] = scores[orgId]![j]!;
        const res = await judge.client.post(`/api/judging/entries/${entry.id}/submit`, { scores: { duties, problems, effect } });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    const live = (await bureauAdmin.get(`/api/duty-reviews/${round.id}/results`)).json();
    expect(live).toMatchObject({ status: 'reviewing', isFinal: false });
    const closed = await bureauAdmin.post(`/api/duty-reviews/${round.id}/close`, {});
    expect(closed.statusCode, closed.body).toBe(200);
    const results = (await bureauAdmin.get(`/api/duty-reviews/${round.id}/results`)).json();
    expect(results).toMatchObject({
      status: 'closed', isFinal: true,
      items: [
        { orgId: branchA.id, secretaryName: '张伟', score: 89.75, rank: 1, grade: 'fairly_good' },
        { orgId: branchB.id, secretaryName: '李娜', score: 60, rank: 2, grade: 'average' },
        // no report submitted: no score, no grade
        { secretaryName: null, score: null, rank: null, grade: null },
      ],
    });
    expect(live.items).toMatchObject(results.items.map((r: { orgId: string; score: number; rank: number; grade: string }) => ({ orgId: r.orgId, score: r.score, rank: r.rank, grade: r.grade })));
    // the secretary reads their org's result
    expect((await branchAAdmin.get(`/api/duty-reports/${mineA!.id}`)).json()).toMatchObject({ score: 89.75, rank: 1, grade: 'fairly_good', canSubmit: false });
  });
});

describe('the 考评 indicator', () => {
  it('rates the items due in a period closed on time, and its records are the items it counts', async () => {
    const [source] = responsibilityIndicators;
    const period = { from: '2020-01-01', to: '2020-12-31' };
    const [value] = await source!.values(db(), [{ id: bureau.id, path: bureau.path }], period);
    // every item due in 2020 was closed (if at all) by these tests, long after its deadline
    expect(value).toMatchObject({ orgId: bureau.id, numerator: 0 });
    expect(value!.denominator).toBeGreaterThan(5);
    const records = await source!.records(db(), { id: bureau.id, path: bureau.path }, period, { offset: 0, limit: 5 });
    expect(records.total).toBe(value!.denominator);
    expect(records.items[0]).toMatchObject({ kind: 'responsibility_item', counts: false, link: expect.stringMatching(/^\/responsibility\/items\/\d+$/) });
    const [other] = await source!.values(db(), [{ id: otherRoot.id, path: otherRoot.path }], period);
    expect(other).toMatchObject({ numerator: 0, denominator: 0 });
  });
});
