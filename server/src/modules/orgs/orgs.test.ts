import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withIdCheckDigit } from '../../platform/personal-data.js';
import { memberSearchText } from '../members/search-text.js';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { PARTY_MEMBER_STAGES } from '../../../../contracts/members.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherBureau: OrgFixture;
let admin: Client, bureauAdmin: Client, secretaryA: Client, plainUser: Client;

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部', termEnd: isoDaysFromNow(30) });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部', termEnd: isoDaysFromNow(-3) });
  otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  plainUser = await login(ctx.app, await makeUser(db, [{ role: 'member' }]));
});
afterAll(async () => ctx?.close());

function isoDaysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('GET /api/orgs', () => {
  it('lists only the subtree each admin manages', async () => {
    const ids = async (c: Client) => ((await c.get('/api/orgs?pageSize=200')).json() as { items: { id: string }[] }).items.map((o) => o.id).sort();
    expect(await ids(admin)).toEqual([root.id, bureau.id, branchA.id, branchB.id, otherBureau.id].sort());
    expect(await ids(bureauAdmin)).toEqual([bureau.id, branchA.id, branchB.id].sort());
    expect(await ids(secretaryA)).toEqual([branchA.id]);
    expect(await ids(plainUser)).toEqual([]);
  });

  it('gives each viewer the top of their own tree as roots', async () => {
    const res = await bureauAdmin.get('/api/orgs?roots=1');
    expect(res.json().items.map((o: { id: string }) => o.id)).toEqual([bureau.id]);
  });

  it('flags re-election due within 90 days and overdue terms', async () => {
    const due = (await admin.get('/api/orgs?electionDue=due')).json().items;
    const overdue = (await admin.get('/api/orgs?electionDue=overdue')).json().items;
    expect(due.map((o: { id: string }) => o.id)).toEqual([branchA.id]);
    expect(due[0].isElectionDue).toBe(true);
    expect(overdue.map((o: { id: string }) => o.id)).toEqual([branchB.id]);
    expect(overdue[0].isElectionOverdue).toBe(true);
  });

  it('finds traditional names with simplified search terms', async () => {
    const created = await admin.post('/api/orgs', { parentId: root.id, name: '市機關事務管理局黨委', type: 'party_committee' });
    expect(created.statusCode).toBe(201);
    const found = (await admin.get(`/api/orgs?q=${encodeURIComponent('机关事务')}`)).json().items;
    expect(found.map((o: { name: string }) => o.name)).toEqual(['市機關事務管理局黨委']);
  });

  it('refuses anonymous callers with 401', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/orgs' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.required');
  });
});

describe('GET /api/orgs/:id and /children', () => {
  it('answers 404 for an org outside the scope, the same as for a missing one', async () => {
    const outside = await secretaryA.get(`/api/orgs/${branchB.id}`);
    const missing = await secretaryA.get('/api/orgs/999999');
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual(missing.json());
    expect((await secretaryA.get(`/api/orgs/${bureau.id}/children`)).statusCode).toBe(404);
  });

  it('lists children with their subtree counts', async () => {
    const res = await bureauAdmin.get(`/api/orgs/${bureau.id}/children`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((o: { name: string }) => o.name)).toEqual(['预算处党支部', '国库处党支部']);
    expect(res.json().items[0]).toMatchObject({ memberCount: 0, childCount: 0, canManage: true });
  });
});

describe('POST /api/orgs', () => {
  it('creates a branch under a managed org, with its path and an audit entry', async () => {
    const res = await bureauAdmin.post('/api/orgs', { parentId: bureau.id, name: '综合处党支部', type: 'branch', termStart: '2024-01-01', termEnd: '2027-01-01' });
    expect(res.statusCode).toBe(201);
    const org = res.json();
    expect(org.path).toBe(`${bureau.path}.${org.id}`);
    const log = (await admin.get(`/api/audit?targetType=org&targetId=${org.id}`));
    if (log.statusCode === 200) expect(log.json().items[0].action).toBe('org.create');
  });

  it('refuses a parent outside the scope, naming the field, and creates nothing', async () => {
    const before = await countRows(ctx.database.db, 'orgs');
    const res = await secretaryA.post('/api/orgs', { parentId: otherBureau.id, name: '越权支部', type: 'branch' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('parentId');
    expect(await countRows(ctx.database.db, 'orgs')).toBe(before);
  });

  it.each([
    ['missing name', { type: 'branch' }, 'name', '必填'],
    ['name of wrong type', { name: 12, type: 'branch' }, 'name', '类型不正确，应为文本'],
    ['name too long', { name: '党'.repeat(101), type: 'branch' }, 'name', '不能超过 100 个字符'],
    ['unknown type', { name: '支部', type: 'club' }, 'type', '必须是以下之一'],
    ['bad date', { name: '支部', type: 'branch', foundedOn: '2020-13-01' }, 'foundedOn', '日期格式应为 YYYY-MM-DD'],
    ['term ends before it starts', { name: '支部', type: 'branch', termStart: '2024-01-01', termEnd: '2023-01-01' }, 'termEnd', '届满日期必须晚于届次开始日期'],
    ['unknown field', { name: '支部', type: 'branch', points: 5 }, 'points', '不支持的字段'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const before = await countRows(ctx.database.db, 'orgs');
    const res = await admin.post('/api/orgs', { parentId: bureau.id, ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await countRows(ctx.database.db, 'orgs')).toBe(before);
  });

  it('refuses a group directly under an organ committee', async () => {
    const res = await admin.post('/api/orgs', { parentId: bureau.id, name: '第一党小组', type: 'group' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.type).toBe('“机关党委”下不能设立“党小组”');
  });

  it('answers in English with Accept-Language: en', async () => {
    const res = await admin.post('/api/orgs', { parentId: bureau.id, type: 'branch' }, { 'accept-language': 'en' });
    expect(res.json().error.fields.name).toBe('Required');
  });

  it('refuses a write without the CSRF token', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/orgs', headers: { cookie: admin.cookie }, payload: { parentId: bureau.id, name: '支部', type: 'branch' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.csrf');
  });
});

describe('PATCH, move and dissolve', () => {
  it('edits a managed org and refuses one outside the scope with 404', async () => {
    expect((await secretaryA.patch(`/api/orgs/${branchA.id}`, { secretaryName: '张伟' })).json().secretaryName).toBe('张伟');
    expect((await secretaryA.patch(`/api/orgs/${branchB.id}`, { secretaryName: '李娜' })).statusCode).toBe(404);
  });

  it('moves a subtree and refuses a move into itself', async () => {
    const group = (await admin.post('/api/orgs', { parentId: branchB.id, name: '第一党小组', type: 'group' })).json();
    const intoSelf = await admin.post(`/api/orgs/${bureau.id}/move`, { parentId: branchA.id });
    expect(intoSelf.statusCode).toBe(400);
    expect(intoSelf.json().error.fields.parentId).toBe('不能移动到自身或其下级组织之下');
    const moved = await admin.post(`/api/orgs/${branchB.id}/move`, { parentId: otherBureau.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().path).toBe(`${otherBureau.path}.${branchB.id}`);
    expect((await admin.get(`/api/orgs/${group.id}`)).json().path).toBe(`${otherBureau.path}.${branchB.id}.${group.id}`);
  });

  it('dissolves an empty org softly and keeps it for history', async () => {
    const temp = (await admin.post('/api/orgs', { parentId: root.id, name: '防汛临时党支部', type: 'temporary_branch' })).json();
    const res = await admin.post(`/api/orgs/${temp.id}/dissolve`, { reason: '任务完成' });
    expect(res.statusCode).toBe(200);
    expect(res.json().dissolvedAt).not.toBeNull();
    expect((await admin.get('/api/orgs?includeDissolved=1&pageSize=200')).json().items.some((o: { id: string }) => o.id === temp.id)).toBe(true);
    expect((await admin.get('/api/orgs?pageSize=200')).json().items.some((o: { id: string }) => o.id === temp.id)).toBe(false);
    expect((await admin.post(`/api/orgs/${temp.id}/dissolve`, { reason: '再次' })).statusCode).toBe(409);
  });
});

describe('API conventions', () => {
  it('answers unknown routes with JSON 404', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
  });

  it('answers a body over 10 MB with 413', async () => {
    const res = await admin.post('/api/orgs', { parentId: bureau.id, name: 'x'.repeat(11 * 1024 * 1024), type: 'branch' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await admin.post('/api/orgs', '{"name":', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
  });

  it('serves health and the OpenAPI document', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok', database: 'ok' });
    const spec = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/api/orgs/{id}/children');
  });
});

describe('the tree\'s member count and the roster it opens', () => {
  it('count the same people: party members (正式 + 预备) on the roll, in the org and below', async () => {
    const { db } = ctx.database;
    const committee = await makeOrg(db, root, { name: '市审计局机关党委', type: 'organ_committee' });
    const first = await makeOrg(db, committee, { name: '审计一处党支部' });
    const second = await makeOrg(db, committee, { name: '审计二处党支部' });
    const secretary = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: first }]));
    for (const stage of ['full', 'full', 'probationary', 'applicant', 'activist', 'candidate'] as const) await makeMember(db, first, { stage });
    await makeMember(db, first, { stage: 'full', leftAt: new Date('2025-06-30T00:00:00Z') });
    await makeMember(db, first, { stage: 'probationary', leftAt: new Date('2025-06-30T00:00:00Z') });
    for (const stage of ['full', 'probationary', 'candidate'] as const) await makeMember(db, second, { stage });
    await makeMember(db, committee, { stage: 'full' });

    const partyMembers = PARTY_MEMBER_STAGES.join(',');
    const rosterTotal = async (viewer: Client, org: OrgFixture, stage?: string) =>
      (await viewer.get(`/api/members?orgId=${org.id}${stage ? `&stage=${stage}` : ''}`)).json().total as number;
    const treeCount = async (viewer: Client, org: OrgFixture) => (await viewer.get(`/api/orgs/${org.id}`)).json().memberCount as number;
    for (const [org, expected] of [[first, 3], [second, 2], [committee, 6]] as const) {
      expect(await treeCount(admin, org), org.name).toBe(expected);
      expect(await rosterTotal(admin, org, partyMembers), org.name).toBe(expected);
    }
    // the stage filter is what makes them agree: the unfiltered roll also lists the pipeline
    expect(await rosterTotal(admin, first)).toBe(6);
    // the branch's own secretary sees the same figure on both pages
    expect(await treeCount(secretary, first)).toBe(await rosterTotal(secretary, first, partyMembers));
  });
});

describe('subtree member counts (maintained by triggers on members)', () => {
  let seq = 500;
  const idNumber = () => withIdCheckDigit(`32010219880512${String(seq++).padStart(3, '0')}`.slice(0, 17));
  const member = (org: OrgFixture, fields: Record<string, unknown> = {}) => ({
    orgId: org.id, name: '计数党员', gender: 'male', idNumber: idNumber(), phone: null,
    stage: 'full', appliedOn: '2008-03-01', activistOn: '2008-09-01', candidateOn: '2009-09-10', joinedOn: '2010-07-01', convertedOn: '2011-07-01',
    ...fields,
  });

  type CountRow = { id: string; own: number; kept_own: number; subtree: number; kept_subtree: number } & Record<string, unknown>;
  /** Every org: the maintained counts next to a direct count(*) of its party members. */
  async function countsOfEveryOrg(): Promise<CountRow[]> {
    return (await ctx.database.db.execute<CountRow>(sql`
      select o.id::text,
             (select count(*) from members m where m.org_id = o.id and m.stage in ('probationary', 'full') and m.left_at is null)::int as own,
             coalesce(c.party_members, 0) as kept_own,
             (select count(*) from members m where m.org_path <@ o.path and m.stage in ('probationary', 'full') and m.left_at is null)::int as subtree,
             coalesce(c.subtree_party_members, 0) as kept_subtree
        from orgs o left join org_member_counts c on c.org_id = o.id order by o.id`)).rows;
  }
  async function expectExact(step: string): Promise<void> {
    const rows = await countsOfEveryOrg();
    for (const r of rows) expect({ step, id: r.id, own: r.kept_own, subtree: r.kept_subtree }).toEqual({ step, id: r.id, own: r.own, subtree: r.subtree });
    // and the API shows the subtree count
    const shown = (await admin.get(`/api/orgs/${root.id}/children`)).json().items as { id: string; memberCount: number }[];
    for (const o of shown) expect(o.memberCount, `${step}: org ${o.id}`).toBe(rows.find((r) => r.id === o.id)!.subtree);
  }
  const memberCountOf = async (org: { id: string }) => (await admin.get(`/api/orgs/${org.id}`)).json().memberCount as number;

  it('stay exact through create, bulk insert, pipeline, leaving, transfer, subtree move and delete', async () => {
    const { db } = ctx.database;
    const committee = await makeOrg(db, root, { name: '市统计局机关党委', type: 'organ_committee' });
    const office = await makeOrg(db, committee, { name: '统计局办公室党支部' });
    const survey = await makeOrg(db, committee, { name: '统计局调查处党支部' });
    const receiving = await makeOrg(db, otherBureau, { name: '教育局办公室党支部' });
    const before = await memberCountOf(root);

    const created = await admin.post('/api/members', member(office, { name: '钱进' }));
    expect(created.statusCode).toBe(201);
    expect(await memberCountOf(office)).toBe(1);
    expect(await memberCountOf(committee)).toBe(1);
    expect(await memberCountOf(root)).toBe(before + 1);
    await expectExact('create a full member');

    const applicant = await admin.post('/api/members', member(office, {
      name: '孙晓', stage: 'applicant', appliedOn: '2020-03-01', activistOn: null, candidateOn: null, joinedOn: null, convertedOn: null,
    }));
    expect(applicant.statusCode).toBe(201);
    expect(await memberCountOf(office)).toBe(1);
    await expectExact('create an applicant (not counted)');

    // one multi-row statement, as the importer and the seeders write
    await db.execute(sql`
      insert into members (org_id, org_path, name, gender, stage, joined_on, search_text, left_at)
      select o, p::ltree, '批量党员', 'female', s, '2015-07-01', ${memberSearchText('批量党员')}, null
        from unnest(${`{${office.id},${survey.id},${survey.id},${survey.id},${receiving.id}}`}::bigint[],
                    ${`{${office.path},${survey.path},${survey.path},${survey.path},${receiving.path}}`}::text[],
                    ${'{full,probationary,full,candidate,full}'}::text[]) as t (o, p, s)`);
    expect(await memberCountOf(survey)).toBe(2);
    expect(await memberCountOf(committee)).toBe(4);
    await expectExact('bulk insert');

    const id = applicant.json().id as string;
    for (const [stage, date] of [['activist', '2020-09-01'], ['candidate', '2021-09-01'], ['probationary', '2022-07-01'], ['full', '2023-07-01']]) {
      expect((await admin.post(`/api/members/${id}/stages`, { stage, date })).statusCode).toBe(200);
      expect(await memberCountOf(office)).toBe(stage === 'probationary' || stage === 'full' ? 3 : 2);
      await expectExact(`stage ${stage}`);
    }

    const left = await admin.post(`/api/members/${created.json().id}/leave`, { reason: 'withdrawn', date: '2026-01-05' });
    expect(left.statusCode).toBe(200);
    expect(await memberCountOf(office)).toBe(2);
    await expectExact('leave');

    const issued = await admin.post('/api/transfers', { memberId: id, toOrgId: receiving.id, reason: '工作调动' });
    expect(issued.statusCode).toBe(201);
    expect((await admin.post(`/api/transfers/${issued.json().id}/accept`)).statusCode).toBe(200);
    expect(await memberCountOf(office)).toBe(1);
    expect(await memberCountOf(receiving)).toBe(2);
    await expectExact('transfer accepted');

    const moved = await admin.post(`/api/orgs/${survey.id}/move`, { parentId: otherBureau.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().memberCount).toBe(2);
    expect(await memberCountOf(committee)).toBe(1);
    expect(await memberCountOf(otherBureau)).toBe(2 + 2);
    await expectExact('subtree moved');

    // rows written by the bulk insert only (the others have stage events and transfers)
    await db.execute(sql`delete from members where name = '批量党员' and org_path <@ ${otherBureau.path}::ltree`);
    expect(await memberCountOf(receiving)).toBe(1);
    expect(await memberCountOf(moved.json())).toBe(0);
    await expectExact('delete');
    // 钱进 left; the applicant became a member; of the bulk rows the office's one stays
    expect(await memberCountOf(root)).toBe(before + 2);
  });
});
