import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';
import type { Actor } from '../../platform/actor.js';
import type { AppError } from '../../platform/errors.js';
import type { JudgeEntryPage, JudgingTaskPage, PanelResults } from '../../../../contracts/judging.js';
import { addPanelEntries, closePanel, createPanel, panelResults, setPanelJudges, type CreatePanelInput } from './service.js';

/**
 * The judging engine through the real server: a panel made by an owning module (here: the service in
 * the test), judges scoring through the routes, the administrators' results.
 *
 *   工委 root ← rootAdmin
 *   ├── bureauA ── branchA1  (entry E1)
 *   ├── bureauB ── branchB1  (entry E2)      ← outAdmin (bureauB)
 *   └── bureauC ── branchC1  (entry E3), bureauC itself (entry E4)
 */
let ctx: TestContext;
let root: OrgFixture, bureauA: OrgFixture, branchA1: OrgFixture, bureauB: OrgFixture, branchB1: OrgFixture, bureauC: OrgFixture, branchC1: OrgFixture;
let rootAdmin: Client, outAdmin: Client, rootActor: Actor;
let judges: UserFixture[], judgeClients: Client[];
let conflictedByGrant: Client, conflictedByMembership: Client, notOnPanel: Client;
let conflictedByGrantUser: UserFixture, conflictedByMembershipUser: UserFixture;

const db = () => ctx.database.db;
const actorOf = (user: UserFixture, adminPaths: string[]): Actor => ({
  userId: user.id, username: user.username, displayName: user.username, memberId: null, isPlatformAdmin: false, isJudge: false, adminPaths, ip: '127.0.0.1',
});
/** a: weight 60, full 10; b: weight 40, full 100 — so that (T/10, T) totals exactly T */
const criteria = [{ key: 'work', name: '工作实绩', weight: 60, maxScore: 10 }, { key: 'report', name: '述职报告', weight: 40, maxScore: 100 }];

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '评审测试工委' });
  bureauA = await makeOrg(db(), root, { name: '甲局机关党委', type: 'organ_committee' });
  branchA1 = await makeOrg(db(), bureauA, { name: '甲局办公室党支部' });
  bureauB = await makeOrg(db(), root, { name: '乙局机关党委', type: 'organ_committee' });
  branchB1 = await makeOrg(db(), bureauB, { name: '乙局办公室党支部' });
  bureauC = await makeOrg(db(), root, { name: '丙局机关党委', type: 'organ_committee' });
  branchC1 = await makeOrg(db(), bureauC, { name: '丙局办公室党支部' });
  const rootAdminUser = await makeUser(db(), [{ role: 'org_admin', org: root }]);
  rootActor = actorOf(rootAdminUser, [root.path]);
  rootAdmin = await login(ctx.app, rootAdminUser);
  outAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: bureauB }]));
  judges = [];
  for (let i = 0; i < 5; i++) judges.push(await makeUser(db(), [{ role: 'judge' }]));
  judgeClients = await Promise.all(judges.map((j) => login(ctx.app, j)));
  // the grant's org is the home (the member record elsewhere does not count)
  conflictedByGrantUser = await makeUser(db(), [{ role: 'judge', org: bureauA }], { memberId: (await makeMember(db(), branchB1)).id });
  conflictedByGrant = await login(ctx.app, conflictedByGrantUser);
  // a grant without org: the member record's org is the home
  conflictedByMembershipUser = await makeUser(db(), [{ role: 'judge' }], { memberId: (await makeMember(db(), branchC1)).id });
  conflictedByMembership = await login(ctx.app, conflictedByMembershipUser);
  notOnPanel = await login(ctx.app, await makeUser(db(), [{ role: 'judge' }]));
});
afterAll(async () => ctx?.close());

async function panelWith(fields: Partial<CreatePanelInput> = {}, entryOrgs: OrgFixture[] = [branchA1, branchB1, branchC1, bureauC]): Promise<{ panelId: string; entries: string[] }> {
  return db().transaction(async (tx) => {
    const { panelId } = await createPanel(tx, rootActor, {
      ownerModule: 'rankings', ownerRef: '42', title: '2026年度述职评议', orgId: root.id, criteria, blind: false,
      judgeUserIds: [...judges.map((j) => j.id), conflictedByGrantUser.id, conflictedByMembershipUser.id], ...fields,
    });
    const added = await addPanelEntries(tx, rootActor, panelId, entryOrgs.map((o, i) => ({ ref: `r${i + 1}`, orgId: o.id, title: `${o.name}述职` })));
    return { panelId, entries: added.map((e) => e.entryId) };
  });
}

/** The scores that make a judge's total exactly `total` on the test rubric. */
const scoresFor = (total: number) => ({ work: total / 10, report: total });
const submit = (client: Client, entryId: string, scores: Record<string, number | null>) => client.post(`/api/judging/entries/${entryId}/submit`, { scores });

describe('judges score entries', () => {
  it('lists a judge’s panels with the entries left to score, their own subtree left out', async () => {
    const { panelId } = await panelWith();
    const tasks = (await judgeClients[0]!.get('/api/judging/tasks')).json() as JudgingTaskPage;
    expect(tasks.items.find((t) => t.panelId === panelId)).toMatchObject({ title: '2026年度述职评议', ownerModule: 'rankings', ownerRef: '42', state: 'open', entries: 4, submitted: 0, toScore: 4 });
    const byGrant = (await conflictedByGrant.get('/api/judging/tasks')).json() as JudgingTaskPage;
    expect(byGrant.items.find((t) => t.panelId === panelId)).toMatchObject({ entries: 3, toScore: 3 });
    // home branchC1: its own entry and bureauC's (which contains it) are left out
    const byMembership = (await conflictedByMembership.get('/api/judging/tasks')).json() as JudgingTaskPage;
    expect(byMembership.items.find((t) => t.panelId === panelId)).toMatchObject({ entries: 2, toScore: 2 });
    expect(((await notOnPanel.get('/api/judging/tasks')).json() as JudgingTaskPage).items.some((t) => t.panelId === panelId)).toBe(false);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/judging/tasks' })).statusCode).toBe(401);
  });

  it('refuses a conflicted judge and a judge not on the panel with 404', async () => {
    const { panelId, entries } = await panelWith();
    const [e1, e2, e3, e4] = entries as [string, string, string, string];
    const listed = (await conflictedByGrant.get(`/api/judging/panels/${panelId}/entries`)).json() as JudgeEntryPage;
    expect(listed.items.map((e) => e.id).sort()).toEqual([e2, e3, e4].sort());
    expect((await conflictedByGrant.get(`/api/judging/entries/${e1}`)).statusCode).toBe(404);
    expect((await conflictedByGrant.put(`/api/judging/entries/${e1}/draft`, { scores: { work: 5 } })).statusCode).toBe(404);
    expect((await submit(conflictedByGrant, e1, scoresFor(80))).statusCode).toBe(404);
    expect((await submit(conflictedByMembership, e3, scoresFor(80))).statusCode).toBe(404);
    expect((await submit(conflictedByMembership, e4, scoresFor(80))).statusCode).toBe(404);
    expect((await submit(conflictedByMembership, e2, scoresFor(80))).statusCode).toBe(200);
    expect((await notOnPanel.get(`/api/judging/panels/${panelId}/entries`)).statusCode).toBe(404);
    expect((await notOnPanel.get(`/api/judging/entries/${e2}`)).statusCode).toBe(404);
    expect((await submit(notOnPanel, e2, scoresFor(80))).statusCode).toBe(404);
    expect(Number((await db().execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from judging_scores s join judging_entries e on e.id = s.entry_id where e.panel_id = ${panelId}`)).rows[0]!.n)).toBe(1);
  });

  it('hides the entrants’ names and orgs from judges on a blind panel, showing stable labels', async () => {
    const blind = await panelWith({ blind: true });
    const page = (await judgeClients[0]!.get(`/api/judging/panels/${blind.panelId}/entries`)).json() as JudgeEntryPage;
    expect(page.panel.blind).toBe(true);
    expect(page.items.every((e) => e.title === null && e.orgName === null)).toBe(true);
    expect(page.items.map((e) => e.blindLabel)).toEqual([1, 2, 3, 4]);
    expect(JSON.stringify(page)).not.toContain('党支部');
    const again = (await judgeClients[1]!.get(`/api/judging/panels/${blind.panelId}/entries`)).json() as JudgeEntryPage;
    expect(again.items.map((e) => e.id)).toEqual(page.items.map((e) => e.id));
    expect(((await judgeClients[0]!.get(`/api/judging/entries/${blind.entries[0]}`)).json() as { title: string | null }).title).toBeNull();
    const open = await panelWith({ blind: false });
    const shown = (await judgeClients[0]!.get(`/api/judging/panels/${open.panelId}/entries`)).json() as JudgeEntryPage;
    expect(shown.items.find((e) => e.id === open.entries[0])).toMatchObject({ title: `${branchA1.name}述职`, orgName: branchA1.name });
    // the administrators see who is who
    const results = (await rootAdmin.get(`/api/judging/panels/${blind.panelId}/results`)).json() as PanelResults;
    expect(results.results.map((r) => r.title).sort()).toEqual([branchA1, branchB1, branchC1, bureauC].map((o) => `${o.name}述职`).sort());
  });

  it('saves drafts, then locks the scores on submission: a second submission or draft is refused with 409', async () => {
    const { entries } = await panelWith();
    const e1 = entries[0]!;
    const judge = judgeClients[0]!;
    const draft = await judge.put(`/api/judging/entries/${e1}/draft`, { scores: { work: 7.5, report: null }, comment: '材料较完整' });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json().mine).toMatchObject({ scores: { work: 7.5 }, total: null, locked: false, submittedAt: null, comment: '材料较完整' });
    const again = await judge.put(`/api/judging/entries/${e1}/draft`, { scores: { work: 8, report: 75 } });
    expect(again.json().mine).toMatchObject({ scores: { work: 8, report: 75 }, total: 78, locked: false });
    const submitted = await submit(judge, e1, { work: 8.25, report: 77.5 });
    expect(submitted.statusCode, submitted.body).toBe(200);
    // 60 × 8.25/10 + 40 × 77.5/100 = 49.5 + 31 = 80.5
    expect(submitted.json().mine).toMatchObject({ scores: { work: 8.25, report: 77.5 }, total: 80.5, locked: true });
    const second = await submit(judge, e1, scoresFor(90));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('judging.already_submitted');
    expect((await judge.put(`/api/judging/entries/${e1}/draft`, { scores: { work: 1 } })).statusCode).toBe(409);
    expect(((await judge.get(`/api/judging/entries/${e1}`)).json() as { mine: { total: number } }).mine.total).toBe(80.5);
  });

  it('refuses scores outside the rubric with 400 naming the field, changing nothing', async () => {
    const { entries } = await panelWith();
    const e1 = entries[0]!;
    const judge = judgeClients[1]!;
    const before = await countRows(db(), 'judging_scores');
    const tooHigh = await submit(judge, e1, { work: 10.5, report: 80 });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json().error.fields).toEqual({ 'scores.work': '不能超过该项满分 10 分' });
    expect((await submit(judge, e1, { work: 8, bonus: 5, report: 80 })).json().error.fields).toHaveProperty(['scores.bonus']);
    expect((await submit(judge, e1, { work: 8 })).json().error.fields).toEqual({ 'scores.report': '提交前请为每一项打分' });
    const negative = await judge.put(`/api/judging/entries/${e1}/draft`, { scores: { work: -1 } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.fields).toHaveProperty(['scores.work']);
    expect((await judge.put(`/api/judging/entries/${e1}/draft`, { scores: { work: 8.333 } })).json().error.fields).toEqual({ 'scores.work': '分数最多保留两位小数' });
    expect(await countRows(db(), 'judging_scores')).toBe(before);
  });

  it('refuses scores once the panel is closed, and before it opens', async () => {
    const { panelId, entries } = await panelWith();
    await db().transaction((tx) => closePanel(tx, rootActor, panelId));
    const res = await submit(judgeClients[0]!, entries[0]!, scoresFor(80));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('judging.panel_closed');
    expect(((await judgeClients[0]!.get('/api/judging/tasks')).json() as JudgingTaskPage).items.find((t) => t.panelId === panelId)).toMatchObject({ state: 'closed', toScore: 0 });
    const later = await panelWith({ opensAt: '2199-01-01T00:00:00+08:00' });
    expect((await submit(judgeClients[0]!, later.entries[0]!, scoresFor(80))).json().error.code).toBe('judging.not_open');
  });
});

describe('results', () => {
  it('drops the highest and lowest of five totals, averages four plainly, and breaks a tie by the declared rule', async () => {
    const { panelId, entries } = await panelWith();
    const [e1, e2, e3, e4] = entries as [string, string, string, string];
    // E1: five judges 90, 80, 70, 60, 100 → (90 + 80 + 70) / 3 = 80.00
    for (const [i, total] of [90, 80, 70, 60, 100].entries()) expect((await submit(judgeClients[i]!, e1, scoresFor(total))).statusCode).toBe(200);
    // E2: four judges 90, 80, 70, 65 → 76.25
    for (const [i, total] of [90, 80, 70, 65].entries()) expect((await submit(judgeClients[i]!, e2, scoresFor(total))).statusCode).toBe(200);
    // E3: four judges, each 60 × 10/10 + 40 × 50/100 = 80 → 80.00, with the higher mean on 工作实绩 (10 against 8)
    for (let i = 0; i < 4; i++) expect((await submit(judgeClients[i]!, e3, { work: 10, report: 50 })).statusCode).toBe(200);
    // a draft never counts
    await judgeClients[4]!.put(`/api/judging/entries/${e2}/draft`, { scores: scoresFor(10) });

    const res = await rootAdmin.get(`/api/judging/panels/${panelId}/results`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as PanelResults;
    expect(body.panel.tieBreak).toEqual(['top_criterion', 'more_judges', 'earlier_entry']);
    expect(body.results.map((r) => [r.entryId, r.score, r.rank, r.judgeCount, r.trimmed, r.tieBreak])).toEqual([
      [e3, 80, 1, 4, false, null],
      [e1, 80, 2, 5, true, 'top_criterion'],
      [e2, 76.25, 3, 4, false, null],
      [e4, null, null, 0, false, null],
    ]);
    const r1 = body.results.find((r) => r.entryId === e1)!;
    expect(r1.perCriterion).toEqual([
      { key: 'work', name: '工作实绩', weight: 0.6, maxScore: 10, mean: 8, trimmed: true },
      { key: 'report', name: '述职报告', weight: 0.4, maxScore: 100, mean: 80, trimmed: true },
    ]);
    expect(body.results.find((r) => r.entryId === e2)!.perCriterion.map((c) => c.mean)).toEqual([7.63, 76.25]);
    // every judge's total, by name, with the dropped ones marked
    const e1Totals = body.totals.filter((t) => t.entryId === e1);
    expect(e1Totals.map((t) => [t.judgeId, t.total, t.dropped])).toEqual([
      [judges[4]!.id, 100, 'high'], [judges[0]!.id, 90, null], [judges[1]!.id, 80, null], [judges[2]!.id, 70, null], [judges[3]!.id, 60, 'low'],
    ]);
    expect(e1Totals[0]!.judgeName).toBe(judges[4]!.username);
    expect(body.judges.find((j) => j.userId === judges[0]!.id)).toMatchObject({ entries: 4, submitted: 3 });
    expect(body.judges.find((j) => j.userId === conflictedByMembershipUser.id)).toMatchObject({ entries: 2, submitted: 0 });
    // the owner module reads the same through the service
    expect((await panelResults(db(), panelId)).map((r) => r.score)).toEqual([80, 80, 76.25, null]);
  });

  it('tells equal entries apart by more judges, then by the earlier entry', async () => {
    const { panelId, entries } = await panelWith({ tieBreak: ['more_judges'] }, [branchA1, branchB1, branchC1]);
    const [e1, e2, e3] = entries as [string, string, string];
    for (let i = 0; i < 2; i++) await submit(judgeClients[i]!, e1, scoresFor(70));
    for (let i = 0; i < 3; i++) await submit(judgeClients[i]!, e2, scoresFor(70));
    for (let i = 0; i < 2; i++) await submit(judgeClients[i]!, e3, scoresFor(70));
    const results = await panelResults(db(), panelId);
    expect(results.map((r) => [r.entryId, r.rank, r.tieBreak])).toEqual([[e2, 1, null], [e1, 2, 'more_judges'], [e3, 3, 'earlier_entry']]);
  });

  it('shows results to the panel org’s administrators only', async () => {
    const { panelId } = await panelWith();
    expect((await rootAdmin.get(`/api/judging/panels/${panelId}/results`)).statusCode).toBe(200);
    expect((await outAdmin.get(`/api/judging/panels/${panelId}/results`)).statusCode).toBe(404);
    expect((await judgeClients[0]!.get(`/api/judging/panels/${panelId}/results`)).statusCode).toBe(404);
    expect((await rootAdmin.get('/api/judging/panels/999999999/results')).statusCode).toBe(404);
  });
});

describe('the engine for owning modules', () => {
  it('validates the rubric, the judges and the entries', async () => {
    const fail = async (fn: () => Promise<unknown>) => {
      try { await fn(); } catch (e) { return e as AppError; }
      throw new Error('expected a refusal');
    };
    const base: CreatePanelInput = { ownerModule: 'rankings', ownerRef: '1', title: '擂台赛', orgId: root.id, criteria, blind: false, judgeUserIds: [] };
    const make = (input: Partial<CreatePanelInput>) => fail(() => db().transaction((tx) => createPanel(tx, rootActor, { ...base, ...input })));
    expect((await make({ criteria: [] })).fields).toHaveProperty('criteria');
    expect((await make({ criteria: [criteria[0]!, criteria[0]!] })).fields).toHaveProperty(['criteria.1.key']);
    expect((await make({ criteria: [{ key: 'a', name: 'A', weight: 0, maxScore: 10 }] })).fields).toHaveProperty(['criteria.0.weight']);
    expect((await make({ judgeUserIds: ['999999999'] })).fields).toHaveProperty('judgeUserIds');
    expect((await make({ orgId: bureauA.id, title: '' })).fields).toHaveProperty('title');
    const outActor = actorOf(judges[0]!, [bureauB.path]);
    expect((await fail(() => db().transaction((tx) => createPanel(tx, outActor, base)))).fields).toHaveProperty('orgId');
    const { panelId } = await panelWith({ orgId: bureauA.id }, [branchA1]);
    const outside = await fail(() => db().transaction((tx) => addPanelEntries(tx, rootActor, panelId, [{ ref: 'x', orgId: branchB1.id, title: '越界' }])));
    expect(outside.fields).toHaveProperty(['entries.0.orgId']);
    const dup = await fail(() => db().transaction((tx) => addPanelEntries(tx, rootActor, panelId, [{ ref: 'r1', orgId: branchA1.id, title: '重复' }])));
    expect(dup.fields).toHaveProperty(['entries.0.ref']);
    expect((await fail(() => db().transaction((tx) => closePanel(tx, actorOf(judges[0]!, [bureauB.path]), panelId)))).status).toBe(404);
  });

  it('replaces the judges, keeping those who submitted, and audits every write', async () => {
    const { panelId, entries } = await panelWith();
    await submit(judgeClients[0]!, entries[0]!, scoresFor(80));
    await judgeClients[1]!.put(`/api/judging/entries/${entries[0]}/draft`, { scores: { work: 5 } });
    const refused = await db().transaction((tx) => setPanelJudges(tx, rootActor, panelId, [judges[1]!.id])).catch((e: AppError) => e);
    expect((refused as AppError).fields).toHaveProperty('judgeUserIds');
    await db().transaction((tx) => setPanelJudges(tx, rootActor, panelId, [judges[0]!.id, judges[2]!.id]));
    expect((await judgeClients[1]!.get(`/api/judging/panels/${panelId}/entries`)).statusCode).toBe(404);
    expect((await judgeClients[2]!.get(`/api/judging/panels/${panelId}/entries`)).statusCode).toBe(200);
    const actions = await db().execute<{ action: string } & Record<string, unknown>>(sql`select action from audit_log
      where (target_type = 'judging_panel' and target_id = ${panelId}) or (target_type = 'judging_entry' and target_id = ${entries[0]!}) order by id`);
    expect(actions.rows.map((r) => r.action)).toEqual(['judging.create_panel', 'judging.add_entries', 'judging.submit', 'judging.save_draft', 'judging.set_judges']);
  });
});
