import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { signedInPerson } from '../../../test/serving-fixtures.js';
import type { Actor } from '../../platform/actor.js';
import { similarIdeas } from './service.js';

/** 金点子: submit with similar titles shown, adopt or decline once, track to implementation, counts = lists. */
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherRoot: OrgFixture, otherBranch: OrgFixture;
let member: Client, memberB: Client, outsider: Client, rootAdmin: Client, bureauAdmin: Client, secretaryA: Client, secretaryB: Client, otherAdmin: Client, stranger: Client;
const ids = {} as Record<'canteen' | 'volunteer' | 'study' | 'other' | 'duplicate', string>;
/** The member records behind the clients of the same names. */
const memberIds = {} as Record<'member' | 'memberB' | 'outsider', string>;

async function submit(client: Client, body: Record<string, unknown>): Promise<string> {
  const res = await client.post('/api/me/ideas', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const ideaCount = () => countRows(ctx.database.db, 'ideas');

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '金点子测试工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherRoot = await makeOrg(db, null, { name: '另一工委' });
  otherBranch = await makeOrg(db, otherRoot, { name: '另一党支部' });
  const zhang = await signedInPerson(ctx, branchA, '张建国');
  const li = await signedInPerson(ctx, branchB, '李红');
  const wang = await signedInPerson(ctx, otherBranch, '王五');
  member = zhang.client;
  memberB = li.client;
  outsider = wang.client;
  Object.assign(memberIds, { member: zhang.id, memberB: li.id, outsider: wang.id });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  secretaryB = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchB }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  stranger = await login(ctx.app, await makeUser(db, []));
  await makeMember(db, branchA);
});
afterAll(async () => ctx?.close());

describe('submitting', () => {
  it('offers the member’s own org and those above it', async () => {
    const res = await member.get('/api/me/ideas/targets');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { id: branchA.id, name: '预算处党支部', isOwn: true }, { id: bureau.id, name: '市财政局机关党委', isOwn: false }, { id: root.id, name: '金点子测试工委', isOwn: false },
    ]);
    expect((await stranger.get('/api/me/ideas/targets')).statusCode).toBe(403);
  });

  it('takes an idea for the own branch or an org above, with an audit row', async () => {
    ids.canteen = await submit(member, { orgId: branchA.id, title: '关于优化机关食堂就餐管理的建议', content: '错峰就餐，减少排队。', category: 'work_style' });
    ids.volunteer = await submit(memberB, { orgId: bureau.id, title: '建立党员志愿服务积分制度', content: '以积分激励党员参加志愿服务。', category: 'party_building' });
    ids.study = await submit(memberB, { orgId: root.id, title: '开展青年理论学习小组研讨', content: '每月一次。', category: 'party_building' });
    ids.other = await submit(outsider, { orgId: otherBranch.id, title: '优化机关食堂就餐管理', content: '另一个组织树的同题建议。', category: 'other' });
    const mine = (await member.get(`/api/me/ideas/${ids.canteen}`)).json();
    expect(mine).toMatchObject({ status: 'submitted', orgName: '预算处党支部', memberName: '张建国', category: 'work_style', reply: null, similarToId: null, progress: [] });
    const audit = await ctx.database.db.execute<{ action: string } & Record<string, unknown>>(sql`select action from audit_log where target_type = 'idea' and target_id = ${ids.canteen}`);
    expect(audit.rows.map((r) => r.action)).toEqual(['idea.submit']);
  });

  it('shows the near-duplicate of the same tree as the title is typed, not unrelated ideas nor another tree’s', async () => {
    const similar = async (client: Client, orgId: string, title: string) => {
      const res = await client.get(`/api/me/ideas/similar?orgId=${orgId}&title=${encodeURIComponent(title)}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as { id: string; title: string; similarity: number; orgName: string }[];
    };
    const found = await similar(memberB, branchB.id, '建议优化机关食堂的就餐管理');
    expect(found.map((i) => i.id)).toEqual([ids.canteen]);
    expect(found[0]).toMatchObject({ title: '关于优化机关食堂就餐管理的建议', orgName: '预算处党支部' });
    expect(found[0]!.similarity).toBeGreaterThanOrEqual(0.4);
    expect(await similar(memberB, branchB.id, '开展廉政警示教育')).toEqual([]);
    // the same subject with another aim (similarity 0.375): under the site's threshold of 0.4, above pg_trgm's
    // default of 0.3, so it is hidden only while every connection holds the site's threshold (platform/db.ts)
    expect(await similar(memberB, branchB.id, '优化机关食堂管理办法')).toEqual([]);
    // the other tree's identical title is not shown here, and this tree's is not shown there
    expect((await similar(outsider, otherBranch.id, '关于优化机关食堂就餐管理的建议')).map((i) => i.id)).toEqual([ids.other]);
  });

  it('answers members who type at the same moment each with their own tree’s ideas, and refuses each on its own', async () => {
    const typing = (memberId: string): Actor => ({ userId: '0', username: 'typist', displayName: '录入人', memberId, isPlatformAdmin: false, isJudge: false, adminPaths: [], ip: '127.0.0.1' });
    const { db } = ctx.database;
    // asked in one turn of the event loop: on PostgreSQL one statement answers them all (platform/turn-batch.ts)
    const answers = await Promise.allSettled([
      similarIdeas(db, typing(memberIds.memberB), { orgId: branchB.id, title: '建议优化机关食堂的就餐管理' }),
      similarIdeas(db, typing(memberIds.outsider), { orgId: otherBranch.id, title: '关于优化机关食堂就餐管理的建议' }),
      similarIdeas(db, typing(memberIds.member), { orgId: otherBranch.id, title: '建议优化机关食堂的就餐管理' }),
      similarIdeas(db, typing(memberIds.memberB), { orgId: root.id, title: '开展廉政警示教育' }),
      similarIdeas(db, typing('999999999'), { orgId: root.id, title: '建议优化机关食堂的就餐管理' }),
      similarIdeas(db, typing(memberIds.memberB), { orgId: bureau.id, title: '建立党员志愿服务积分' }),
    ]);
    const found = answers.map((a) => (a.status === 'fulfilled' ? a.value.items.map((i) => i.id) : a.reason as unknown));
    expect(found[0]).toEqual([ids.canteen]);
    expect(found[1]).toEqual([ids.other]);
    expect(found[2]).toMatchObject({ status: 400, fields: { orgId: { key: 'idea.org_not_allowed' } } });
    expect(found[3]).toEqual([]);
    expect(found[4]).toMatchObject({ status: 403, code: 'idea.not_member' });
    expect(found[5]).toEqual([ids.volunteer]);
  });

  it('accepts a near-duplicate and records the idea it resembles', async () => {
    ids.duplicate = await submit(memberB, { orgId: branchB.id, title: '建立党员志愿服务积分激励制度', content: '同前。', category: 'party_building' });
    const res = (await memberB.get(`/api/me/ideas/${ids.duplicate}`)).json();
    expect(res).toMatchObject({ similarToId: ids.volunteer, similarToTitle: '建立党员志愿服务积分制度' });
    expect(res.similarity).toBeGreaterThan(0.5);
  });

  it('refuses bad input with the field named and nothing written', async () => {
    const before = await ideaCount();
    const ok = { orgId: branchA.id, title: '标题', content: '内容', category: 'business' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...ok, orgId: branchB.id }, 'orgId', '只能向本人所在党组织或其上级党组织提交'],
      [{ ...ok, orgId: otherBranch.id }, 'orgId', '只能向本人所在党组织或其上级党组织提交'],
      [{ ...ok, orgId: '999999' }, 'orgId', '只能向本人所在党组织或其上级党组织提交'],
      [{ ...ok, title: '   ' }, 'title', '不能为空'],
      [{ ...ok, category: 'gossip' }, 'category', '请选择金点子类别'],
    ];
    for (const [body, field, message] of cases) {
      const res = await member.post('/api/me/ideas', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toMatchObject({ [field]: message });
    }
    expect((await member.post('/api/me/ideas', { ...ok, extra: 1 })).statusCode).toBe(400);
    expect((await member.get(`/api/me/ideas/similar?orgId=${otherBranch.id}&title=abc`)).statusCode).toBe(400);
    expect((await member.get(`/api/me/ideas/similar?orgId=${branchA.id}&title=`)).statusCode).toBe(400);
    expect((await stranger.post('/api/me/ideas', ok)).statusCode).toBe(403);
    expect(await ideaCount()).toBe(before);
  });

  it('answers 401 without a session', async () => {
    for (const url of ['/api/me/ideas', '/api/me/ideas/targets', `/api/me/ideas/similar?orgId=${branchA.id}&title=x`, '/api/ideas', `/api/ideas/stats?orgId=${root.id}`, `/api/ideas/${ids.canteen}`]) {
      expect((await ctx.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    expect((await ctx.app.inject({ method: 'POST', url: '/api/me/ideas', payload: {} })).statusCode).toBe(401);
  });
});

describe('reviewing', () => {
  it('lists an idea to the admins of its org and above, not to a branch below it or another tree', async () => {
    const holds = async (client: Client, id: string) => ((await client.get('/api/ideas?pageSize=200')).json().items as { id: string }[]).some((i) => i.id === id);
    expect(await holds(secretaryA, ids.canteen)).toBe(true);
    expect(await holds(bureauAdmin, ids.canteen)).toBe(true);
    expect(await holds(rootAdmin, ids.canteen)).toBe(true);
    expect(await holds(secretaryB, ids.canteen)).toBe(false);
    expect(await holds(otherAdmin, ids.canteen)).toBe(false);
    // an idea for the bureau is not the branch secretary's
    expect(await holds(secretaryB, ids.volunteer)).toBe(false);
    expect(await holds(bureauAdmin, ids.volunteer)).toBe(true);
    expect((await secretaryB.get(`/api/ideas/${ids.volunteer}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/ideas/${ids.canteen}`)).statusCode).toBe(404);
    expect((await memberB.get(`/api/me/ideas/${ids.canteen}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/ideas?orgId=${bureau.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/ideas')).json()).toMatchObject({ total: 0, items: [] });
    // each admin's total counts the ideas of their own subtrees, the same as the rows listed
    for (const client of [secretaryA, secretaryB, bureauAdmin, otherAdmin, rootAdmin]) {
      const page = (await client.get('/api/ideas?pageSize=200')).json() as { total: number; items: unknown[] };
      expect(page.total).toBe(page.items.length);
    }
  });

  it('adopts once with a reply the member reads; a second answer is 409 and changes nothing', async () => {
    const res = await secretaryA.post(`/api/ideas/${ids.canteen}/review`, { decision: 'adopt', reply: '很好的建议，由办公室牵头落实。' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'adopted', reply: '很好的建议，由办公室牵头落实。', canReview: true });
    for (const [client, decision] of [[secretaryA, 'decline'], [bureauAdmin, 'adopt']] as const) {
      const again = await client.post(`/api/ideas/${ids.canteen}/review`, { decision, reply: '再答一次' });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toBe('该金点子已答复，不能再次采纳或不采纳');
    }
    const mine = (await member.get(`/api/me/ideas/${ids.canteen}`)).json();
    expect(mine).toMatchObject({ status: 'adopted', reply: '很好的建议，由办公室牵头落实。' });
    expect(mine.reviewedAt).not.toBeNull();
  });

  it('declines with a reply; only the admins of the org or above may answer', async () => {
    expect((await secretaryB.post(`/api/ideas/${ids.volunteer}/review`, { decision: 'adopt', reply: '越权' })).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/ideas/${ids.volunteer}/review`, { decision: 'adopt', reply: '越权' })).statusCode).toBe(404);
    const res = await rootAdmin.post(`/api/ideas/${ids.study}/review`, { decision: 'decline', reply: '已有同类安排。' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'declined', reply: '已有同类安排。' });
    expect((await memberB.get(`/api/me/ideas/${ids.study}`)).json()).toMatchObject({ status: 'declined', reply: '已有同类安排。' });
    expect((await rootAdmin.post(`/api/ideas/${ids.study}/review`, { decision: 'adopt', reply: '改主意' })).statusCode).toBe(409);
  });

  it('refuses a review without a reply or decision (400), nothing changed', async () => {
    for (const body of [{ decision: 'adopt', reply: ' ' }, { decision: 'maybe', reply: '好' }, { reply: '好' }]) {
      const res = await bureauAdmin.post(`/api/ideas/${ids.volunteer}/review`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await bureauAdmin.post(`/api/ideas/${ids.volunteer}/review`, { decision: 'x', reply: '好' })).json().error.fields).toMatchObject({ decision: '请选择采纳或不采纳' });
    expect((await bureauAdmin.get(`/api/ideas/${ids.volunteer}`)).json()).toMatchObject({ status: 'submitted', reply: null });
  });
});

describe('tracking an adopted idea', () => {
  it('moves adopted → implementing → implemented with notes and dates the member reads', async () => {
    const steps: [Record<string, unknown>, string][] = [
      [{ status: 'implementing', note: '制定错峰就餐方案' }, 'implementing'],
      [{ note: '试运行两周，排队时间减半' }, 'implementing'],
      [{ status: 'implemented', note: '方案正式实施', occurredOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }, 'implemented'],
    ];
    for (const [body, status] of steps) {
      const res = await secretaryA.post(`/api/ideas/${ids.canteen}/progress`, body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe(status);
    }
    const mine = (await member.get(`/api/me/ideas/${ids.canteen}`)).json();
    expect(mine.progress.map((p: { status: string | null; note: string }) => [p.status, p.note])).toEqual([
      ['implementing', '制定错峰就餐方案'], [null, '试运行两周，排队时间减半'], ['implemented', '方案正式实施'],
    ]);
    expect(mine.implementedOn).toBe(steps[2]![0].occurredOn);
    const closed = await secretaryA.post(`/api/ideas/${ids.canteen}/progress`, { note: '再记一笔' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.message).toBe('只有已采纳、尚未办结的金点子可以记录实施进展');
  });

  it('shelves an adopted idea with its reason; refuses progress on ideas not adopted, bad input, out of scope', async () => {
    expect((await bureauAdmin.post(`/api/ideas/${ids.volunteer}/review`, { decision: 'adopt', reply: '采纳' })).statusCode).toBe(200);
    const before = await countRows(ctx.database.db, 'idea_progress');
    const cases: [Client, string, Record<string, unknown>, number][] = [
      [bureauAdmin, ids.volunteer, { status: 'done', note: '好' }, 400],
      [bureauAdmin, ids.volunteer, { status: 'shelved', note: '' }, 400],
      [bureauAdmin, ids.volunteer, { note: '早于采纳', occurredOn: '2020-01-01' }, 400],
      [bureauAdmin, ids.duplicate, { note: '未采纳' }, 409],
      [rootAdmin, ids.study, { note: '已不采纳' }, 409],
      [secretaryB, ids.volunteer, { note: '越权' }, 404],
      [otherAdmin, ids.volunteer, { note: '越权' }, 404],
    ];
    for (const [client, id, body, status] of cases) {
      const res = await client.post(`/api/ideas/${id}/progress`, body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
    }
    expect((await bureauAdmin.post(`/api/ideas/${ids.volunteer}/progress`, { note: '早于采纳', occurredOn: '2020-01-01' })).json().error.fields)
      .toMatchObject({ occurredOn: '日期不能早于采纳日期' });
    expect(await countRows(ctx.database.db, 'idea_progress')).toBe(before);
    const res = await bureauAdmin.post(`/api/ideas/${ids.volunteer}/progress`, { status: 'shelved', note: '经费暂未落实，待明年统筹' });
    expect(res.json()).toMatchObject({ status: 'shelved', shelvedReason: '经费暂未落实，待明年统筹' });
    expect((await memberB.get(`/api/me/ideas/${ids.volunteer}`)).json()).toMatchObject({ status: 'shelved', shelvedReason: '经费暂未落实，待明年统筹' });
  });
});

describe('lists and counts', () => {
  it('pages the member’s own list by keyset, newest first', async () => {
    const mine = (await memberB.get('/api/me/ideas?pageSize=2')).json();
    expect(mine.total).toBe(3);
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([ids.duplicate, ids.study]);
    const next = (await memberB.get(`/api/me/ideas?pageSize=2&page=2&cursor=${mine.nextCursor}`)).json();
    expect(next).toMatchObject({ total: 3, nextCursor: null });
    expect(next.items.map((i: { id: string }) => i.id)).toEqual([ids.volunteer]);
    expect((await member.get('/api/me/ideas')).json().items.map((i: { id: string }) => i.id)).toEqual([ids.canteen]);
    expect((await memberB.get('/api/me/ideas?cursor=abc')).statusCode).toBe(400);
  });

  it('leaves the content to the detail: list items carry the rest, the detail the content too', async () => {
    for (const [client, path] of [[memberB, '/api/me/ideas'], [rootAdmin, '/api/ideas?pageSize=200']] as const) {
      const items = (await client.get(path)).json().items as Record<string, unknown>[];
      const volunteer = items.find((i) => i.id === ids.volunteer);
      expect(volunteer, path).toMatchObject({ title: '建立党员志愿服务积分制度', orgName: '市财政局机关党委', status: 'shelved' });
      expect(items.every((i) => !('content' in i)), path).toBe(true);
    }
    expect((await memberB.get(`/api/me/ideas/${ids.volunteer}`)).json()).toMatchObject({ content: '以积分激励党员参加志愿服务。' });
    expect((await rootAdmin.get(`/api/ideas/${ids.volunteer}`)).json()).toMatchObject({ content: '以积分激励党员参加志愿服务。' });
  });

  it('filters the admin list by status, category, org, period and keyword', async () => {
    const total = async (query: string) => {
      const res = await rootAdmin.get(`/api/ideas?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().total as number;
    };
    expect(await total('')).toBe(4);
    expect(await total('status=adopted_any')).toBe(2);
    expect(await total('status=implemented')).toBe(1);
    expect(await total('status=submitted')).toBe(1);
    expect(await total('category=party_building')).toBe(3);
    expect(await total(`orgId=${bureau.id}`)).toBe(3);
    expect(await total(`orgId=${bureau.id}&scope=org`)).toBe(1);
    expect(await total(`orgId=${branchB.id}`)).toBe(1);
    expect(await total(`q=${encodeURIComponent('食堂')}`)).toBe(1);
    expect(await total(`q=${encodeURIComponent('错峰')}`)).toBe(1);
    expect(await total('from=2020-01-01&to=2020-12-31')).toBe(0);
    // a page past the end: no rows, the total all the same
    expect((await rootAdmin.get('/api/ideas?page=9&pageSize=20')).json()).toMatchObject({ total: 4, items: [], nextCursor: null });
    const res = await rootAdmin.get('/api/ideas?from=2026-05-02&to=2026-05-01');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toMatchObject({ to: '结束日期不能早于开始日期' });
    expect((await rootAdmin.get('/api/ideas?status=unknown')).statusCode).toBe(400);
  });

  it('shows a page read again with whatever was written since, through any connection, names included', async () => {
    type Item = { id: string; title: string; orgName: string; memberName: string; reviewedByName: string | null; status: string };
    const page = async () => {
      const res = await rootAdmin.get('/api/ideas?page=1&pageSize=20');
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; items: Item[] };
    };
    const byId = async (id: string) => (await page()).items.find((i) => i.id === id)!;
    const { db } = ctx.database;
    const before = await byId(ids.canteen);
    expect(before.reviewedByName).not.toBeNull();
    expect(await byId(ids.canteen)).toEqual(before);
    // each written in SQL, as another server process or psql would: the page read next shows it
    await db.execute(sql`update ideas set title = '关于优化机关食堂错峰就餐的建议' where id = ${ids.canteen}`);
    expect((await byId(ids.canteen)).title).toBe('关于优化机关食堂错峰就餐的建议');
    await db.execute(sql`update orgs set name = '预算处第一党支部' where id = ${branchA.id}`);
    expect((await byId(ids.canteen)).orgName).toBe('预算处第一党支部');
    await db.execute(sql`update members set name = '张建华' where id = (select member_id from ideas where id = ${ids.canteen})`);
    expect((await byId(ids.canteen)).memberName).toBe('张建华');
    await db.execute(sql`update users set display_name = '审核人甲' where id = (select reviewed_by from ideas where id = ${ids.canteen})`);
    expect((await byId(ids.canteen)).reviewedByName).toBe('审核人甲');
    const total = (await page()).total;
    await db.execute(sql`insert into ideas (member_id, org_id, org_path, member_org_id, title, title_core, content, category)
      select member_id, org_id, org_path, member_org_id, '推行无纸化会议', '推行无纸化会议', '节约用纸。', 'work_style' from ideas where id = ${ids.canteen}`);
    expect((await page()).total).toBe(total + 1);
    await db.execute(sql`delete from ideas where title = '推行无纸化会议'`);
    expect((await page()).total).toBe(total);
    // put back what the tests after this one read
    await db.execute(sql`update ideas set title = ${before.title} where id = ${ids.canteen}`);
    await db.execute(sql`update orgs set name = '预算处党支部' where id = ${branchA.id}`);
    await db.execute(sql`update members set name = '张建国' where id = (select member_id from ideas where id = ${ids.canteen})`);
    expect(await byId(ids.canteen)).toEqual({ ...before, reviewedByName: '审核人甲' });
  });

  it('answers one kept page to each viewer with what that viewer may do, as the detail does', async () => {
    // the same statement (the bureau's subtree, page 1) for an admin of the bureau, an inspector of it and a branch's
    // secretary who inspects it: one kept answer, its items shared, canReview decided per viewer and per idea
    const { db } = ctx.database;
    const inspector = await login(ctx.app, await makeUser(db, [{ role: 'inspector', org: bureau }]));
    const both = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }, { role: 'inspector', org: bureau }]));
    const pageOf = async (client: Client) => {
      const res = await client.get(`/api/ideas?orgId=${bureau.id}&page=1&pageSize=20`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as { id: string; title: string; canReview: boolean }[];
    };
    const first = await pageOf(bureauAdmin);
    expect(first.map((i) => i.id)).toEqual(expect.arrayContaining([ids.canteen, ids.volunteer]));
    for (const viewer of [inspector, both, bureauAdmin]) {
      const items = await pageOf(viewer);
      expect(items.map((i) => [i.id, i.title])).toEqual(first.map((i) => [i.id, i.title]));
      for (const item of items) expect(item.canReview, item.id).toBe((await viewer.get(`/api/ideas/${item.id}`)).json().canReview);
    }
    expect(first.every((i) => i.canReview)).toBe(true);
  });

  it('counts per org of the next level, each figure the total of the list it opens', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    for (const [client, org] of [[rootAdmin, root], [bureauAdmin, bureau]] as const) {
      const res = await client.get(`/api/ideas/stats?orgId=${org.id}&from=2026-01-01&to=${today}`);
      expect(res.statusCode, res.body).toBe(200);
      const stats = res.json();
      for (const row of [...stats.rows, stats.total]) {
        const base = `/api/ideas?orgId=${row.orgId}&scope=${row.scope}&from=2026-01-01&to=${today}&pageSize=1`;
        expect((await client.get(base)).json().total, `${row.orgName} submitted`).toBe(row.submitted);
        expect((await client.get(`${base}&status=adopted_any`)).json().total, `${row.orgName} adopted`).toBe(row.adopted);
        expect((await client.get(`${base}&status=implemented`)).json().total, `${row.orgName} implemented`).toBe(row.implemented);
      }
      if (org === bureau) {
        expect(stats.rows).toEqual([
          { orgId: bureau.id, orgName: '市财政局机关党委', scope: 'org', submitted: 1, adopted: 1, implemented: 0 },
          { orgId: branchA.id, orgName: '预算处党支部', scope: 'subtree', submitted: 1, adopted: 1, implemented: 1 },
          { orgId: branchB.id, orgName: '国库处党支部', scope: 'subtree', submitted: 1, adopted: 0, implemented: 0 },
        ]);
        expect(stats.total).toMatchObject({ submitted: 3, adopted: 2, implemented: 1 });
      } else {
        expect(stats.total).toMatchObject({ submitted: 4, adopted: 2, implemented: 1 });
      }
    }
    expect((await secretaryA.get(`/api/ideas/stats?orgId=${bureau.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/ideas/stats?orgId=${root.id}`)).statusCode).toBe(404);
    expect((await rootAdmin.get(`/api/ideas/stats?orgId=${root.id}&from=2026-02-01&to=2026-01-01`)).statusCode).toBe(400);
    expect((await rootAdmin.get('/api/ideas/stats')).statusCode).toBe(400);
  });
});
