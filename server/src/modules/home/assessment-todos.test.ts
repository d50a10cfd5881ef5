import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Todo, Workbench } from '../../../../contracts/home.js';
import { addDays } from './dates.js';

/*
 * The 工作台 to-dos of the 考评 modules (issue #15): each one's count, and each of its orgs' counts, is the
 * total of the list its link opens, for a branch's admin and for admins above it.
 */

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture;
let rootAdmin: Client, bureauAdmin: Client, branchAAdmin: Client, branchBAdmin: Client;
const today = todayInChina();
const db = () => ctx.database.db;

/** The API list a to-do's web link opens, with the same filters (the page reads them from its URL). */
function apiListOf(link: string): string {
  const url = new URL(link, 'http://x');
  const api = url.pathname === '/elections' ? '/api/elections/procedures'
    : url.pathname === '/standardization' ? '/api/standardization/rounds'
      : /^\/assessment\/schemes\/\d+$/.test(url.pathname) ? `/api${url.pathname}/manual-scores`
        : `/api${url.pathname}`;
  return `${api}?${url.searchParams.toString()}`;
}

const itemsOf = (w: Workbench) => w.groups.flatMap((g) => g.items);
const find = (w: Workbench, kind: string) => itemsOf(w).filter((i) => i.kind === kind);

/** Each to-do of the kind, and each of its orgs', counts the list its link opens. */
async function expectCountsOfLists(client: Client, w: Workbench, kind: string): Promise<Todo[]> {
  const todos = find(w, kind).flatMap((i) => [i, ...i.orgs]);
  for (const todo of todos) {
    const list = await client.get(apiListOf(todo.link));
    expect(list.statusCode, `${todo.link}: ${list.body}`).toBe(200);
    expect({ link: todo.link, count: todo.count }).toEqual({ link: todo.link, count: list.json<{ total: number }>().total });
  }
  return todos;
}

const workbenchOf = async (client: Client, orgId?: string) => {
  const res = await client.get(`/api/home/workbench${orgId ? `?orgId=${orgId}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Workbench>();
};

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '市直机关工委' });
  bureau = await makeOrg(db(), root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db(), bureau, { name: '预算处党支部', termEnd: addDays(today, 40) });
  branchB = await makeOrg(db(), bureau, { name: '办公室党支部', termEnd: addDays(today, 60) });
  rootAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: root }]));
  bureauAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: bureau }]));
  branchAAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchA }]));
  branchBAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchB }]));
});
afterAll(async () => ctx?.close());

describe('换届 steps on the 工作台', () => {
  beforeAll(async () => {
    const start = async (client: Client, org: OrgFixture) => {
      const res = await client.post('/api/elections/procedures', { orgId: org.id });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const request = async (client: Client, id: string) => {
      const res = await client.post(`/api/elections/procedures/${id}/request`, { doneOn: today, documentTitle: '关于换届选举的请示' });
      expect(res.statusCode, res.body).toBe(200);
    };
    // branch A asked: 批复 waits for the bureau; branch B started: its 请示 is its own; the bureau asked: 批复 waits for the root
    await request(branchAAdmin, await start(branchAAdmin, branchA));
    await start(branchBAdmin, branchB);
    await request(bureauAdmin, await start(bureauAdmin, bureau));
  });

  it('gives a branch its own 请示, not the 批复 it waits for', async () => {
    const a = await workbenchOf(branchAAdmin);
    expect(find(a, 'election_step')).toEqual([]);
    expect((await branchAAdmin.get(`/api/elections/procedures?orgId=${branchA.id}&waiting=1`)).json<{ total: number }>().total).toBe(0);
    const b = await workbenchOf(branchBAdmin);
    expect(find(b, 'election_step').map((i) => [i.orgId, i.count, i.link])).toEqual([[branchB.id, 1, `/elections?orgId=${branchB.id}&waiting=1`]]);
    await expectCountsOfLists(branchBAdmin, b, 'election_step');
    // without an org, the list waits for the viewer's scope: the same one
    expect((await branchBAdmin.get('/api/elections/procedures?waiting=1')).json<{ total: number }>().total).toBe(1);
  });

  it('gives the level above the 批复 of the orgs below, and the root everything under way in its tree', async () => {
    const w = await workbenchOf(bureauAdmin);
    const [todo] = find(w, 'election_step');
    expect(todo?.count).toBe(2); // branch A's 批复 (the bureau's) and branch B's 请示; the bureau's own 批复 is the root's
    await expectCountsOfLists(bureauAdmin, w, 'election_step');
    expect((await bureauAdmin.get('/api/elections/procedures?waiting=1')).json<{ total: number }>().total).toBe(2);
    const top = await workbenchOf(rootAdmin);
    const [all] = find(top, 'election_step');
    expect(all?.count).toBe(3);
    expect(all?.orgs.map((o) => [o.orgName, o.count]).sort()).toEqual([[branchB.name, 1], [bureau.name, 2], [root.name, 3]].sort());
    await expectCountsOfLists(rootAdmin, top, 'election_step');
    // the root admin looking at the bureau sees the bureau's subtree only
    const atBureau = await workbenchOf(rootAdmin, bureau.id);
    expect(find(atBureau, 'election_step').map((i) => i.count)).toEqual([2]);
    await expectCountsOfLists(rootAdmin, atBureau, 'election_step');
  });
});

describe('达标定级 on the 工作台', () => {
  beforeAll(async () => {
    const created = await bureauAdmin.post('/api/standardization/schemes', {
      orgId: bureau.id, year: 2025, name: '2025年度支部达标定级', grades: [{ name: '达标' }, { name: '后进', isLow: true }],
      criteria: [{ text: '支部班子健全，按期换届', kind: 'evidenced', requiredForLevel: 1, points: 10 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const schemeId = created.json<{ id: string }>().id;
    expect((await bureauAdmin.post(`/api/standardization/schemes/${schemeId}/activate`)).statusCode).toBe(200);
    expect((await bureauAdmin.post(`/api/standardization/schemes/${schemeId}/rounds`, {})).json()).toEqual({ created: 2 });
    // branch A has submitted (the bureau grades it); branch B still assesses itself and has rectification tasks of an earlier grading
    await db().execute(sql`update grading_rounds set status = 'submitted', submitted_at = now() where org_id = ${branchA.id}`);
    const roundB = (await db().execute<{ id: string } & Record<string, unknown>>(sql`select id::text from grading_rounds where org_id = ${branchB.id}`)).rows[0]!.id;
    await db().execute(sql`insert into grading_rectifications (round_id, org_id, org_path, task, deadline, owner_name, status) values
      (${roundB}, ${branchB.id}, ${branchB.path}::ltree, '健全支部委员会', ${addDays(today, -5)}::date, '张伟', 'open'),
      (${roundB}, ${branchB.id}, ${branchB.path}::ltree, '补开组织生活会', ${addDays(today, 5)}::date, '张伟', 'open'),
      (${roundB}, ${branchB.id}, ${branchB.path}::ltree, '完善党员档案', ${addDays(today, -9)}::date, '张伟', 'closed')`);
  });

  const kinds = ['grading_review', 'grading_submit', 'rectification_overdue'] as const;
  const counts = (w: Workbench) => kinds.map((k) => find(w, k).map((i) => i.count));

  it('gives a branch its own self-assessment and overdue tasks, never the grading of itself', async () => {
    const a = await workbenchOf(branchAAdmin);
    expect(counts(a)).toEqual([[], [], []]);
    expect((await branchAAdmin.get(`/api/standardization/rounds?orgId=${branchA.id}&waiting=review`)).json<{ total: number }>().total).toBe(0);
    const b = await workbenchOf(branchBAdmin);
    expect(counts(b)).toEqual([[], [1], [1]]);
    expect(find(b, 'rectification_overdue')[0]).toMatchObject({ severity: 'overdue', dueDate: addDays(today, -5), link: `/standardization/rectifications?orgId=${branchB.id}&status=open&overdue=1` });
    for (const k of kinds) await expectCountsOfLists(branchBAdmin, b, k);
    expect((await branchBAdmin.get('/api/standardization/rounds?waiting=submit')).json<{ total: number }>().total).toBe(1);
  });

  it('gives the level above the rounds to grade below it, and every list of its subtree', async () => {
    for (const [client, w] of [[bureauAdmin, await workbenchOf(bureauAdmin)], [rootAdmin, await workbenchOf(rootAdmin)]] as const) {
      expect(counts(w)).toEqual([[1], [1], [1]]);
      for (const k of kinds) await expectCountsOfLists(client, w, k);
    }
    expect(find(await workbenchOf(rootAdmin), 'grading_review')[0]?.orgs.map((o) => [o.orgName, o.count])).toEqual([[bureau.name, 1]]);
    expect((await bureauAdmin.get('/api/standardization/rounds?waiting=review')).json<{ total: number }>().total).toBe(1);
    // a round of the bureau itself would be the root's to grade, not the bureau's: strictly below
    const atA = await workbenchOf(rootAdmin, branchA.id);
    expect(counts(atA)).toEqual([[], [], []]);
  });
});

describe('责任清单 on the 工作台', () => {
  beforeAll(async () => {
    const created = await bureauAdmin.post('/api/responsibility/templates', {
      orgId: bureau.id, level: 'branch_secretary', year: 2026, title: '2026年度党支部书记抓党建工作责任清单',
      items: [
        { task: '每季度讲一次党课', deadline: '2020-03-31', evidenceRequired: '党课讲稿、签到表' },
        { task: '年底前完成支部换届', deadline: '2190-12-31', evidenceRequired: '选举结果批复' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await bureauAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: bureau.id })).json()).toEqual({ issued: 2, alreadyIssued: 0 });
    // branch A reported its second duty: the bureau inspects it; both branches let the first one pass its deadline
    await db().execute(sql`update responsibility_items i set status = 'reported' from responsibility_lists l
      where l.id = i.list_id and l.org_id = ${branchA.id} and i.deadline > current_date`);
  });

  const kinds = ['responsibility_inspection', 'responsibility_overdue'] as const;
  const counts = (w: Workbench) => kinds.map((k) => find(w, k).map((i) => i.count));

  it('gives a branch its own overdue duties, not the inspection of what it reported', async () => {
    for (const client of [branchAAdmin, branchBAdmin]) {
      const w = await workbenchOf(client);
      expect(counts(w)).toEqual([[], [1]]);
      for (const k of kinds) await expectCountsOfLists(client, w, k);
    }
    expect((await branchAAdmin.get('/api/responsibility/items?waiting=inspection')).json<{ total: number }>().total).toBe(0);
  });

  it('gives the level above the reported items to inspect and the overdue items of its subtree', async () => {
    for (const client of [bureauAdmin, rootAdmin]) {
      const w = await workbenchOf(client);
      expect(counts(w)).toEqual([[1], [2]]);
      for (const k of kinds) await expectCountsOfLists(client, w, k);
    }
    expect((await bureauAdmin.get('/api/responsibility/items?waiting=inspection')).json<{ total: number }>().total).toBe(1);
    expect(find(await workbenchOf(rootAdmin), 'responsibility_inspection')[0]?.orgs.map((o) => [o.orgName, o.count])).toEqual([[bureau.name, 1]]);
  });
});

describe('考评 manual scores on the 工作台', () => {
  let schemeId = '';
  beforeAll(async () => {
    const indicator = await bureauAdmin.post('/api/assessment/indicators', {
      orgId: bureau.id, periodKind: 'quarterly', code: 'special', kind: 'manual', name: '特色工作', formula: '按特色工作成效评 0–100 分', defaultWeight: 20,
    });
    expect(indicator.statusCode, indicator.body).toBe(201);
    const indicatorId = indicator.json<{ id: string }>().id;
    const scheme = await bureauAdmin.post('/api/assessment/schemes', {
      orgId: bureau.id, name: '2025年一季度综合考核', periodStart: '2025-01-01', periodEnd: '2025-03-31', orgIds: [branchA.id, branchB.id],
      indicators: [{ indicatorId, weight: 100 }],
    });
    expect(scheme.statusCode, scheme.body).toBe(201);
    schemeId = scheme.json<{ id: string }>().id;
    const enter = async (client: Client, org: OrgFixture) => {
      const res = await client.post(`/api/assessment/schemes/${schemeId}/manual-scores`, { indicatorId, orgId: org.id, value: 80, evidenceText: '特色工作材料' });
      expect(res.statusCode, res.body).toBe(200);
    };
    await enter(branchAAdmin, branchA);
    await enter(bureauAdmin, branchB);
  });

  it('waits for the scheme’s org (or above), one to-do per scheme, its count the scheme’s pending list', async () => {
    expect(find(await workbenchOf(branchAAdmin), 'manual_score_review')).toEqual([]);
    for (const [client, org] of [[bureauAdmin, bureau], [rootAdmin, root]] as const) {
      const w = await workbenchOf(client);
      const todos = find(w, 'manual_score_review');
      expect(todos.map((i) => [i.orgId, i.subject, i.count, i.link])).toEqual([[bureau.id, '2025年一季度综合考核', 2, `/assessment/schemes/${schemeId}?orgId=${org.id}&reviewStatus=pending`]]);
      await expectCountsOfLists(client, w, 'manual_score_review');
    }
    // looking at branch A: the scheme is the bureau's to review, not the branch's
    expect(find(await workbenchOf(rootAdmin, branchA.id), 'manual_score_review')).toEqual([]);
    expect((await bureauAdmin.get(`/api/assessment/schemes/${schemeId}/manual-scores?reviewStatus=pending&orgId=${branchA.id}`)).json<{ total: number }>().total).toBe(1);
  });
});
