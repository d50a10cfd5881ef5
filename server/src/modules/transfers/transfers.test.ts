import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';

let ctx: TestContext;
let root: OrgFixture, finance: OrgFixture, budget: OrgFixture, treasury: OrgFixture, edu: OrgFixture, eduOffice: OrgFixture, group: OrgFixture, closed: OrgFixture;
let admin: Client, financeAdmin: Client, budgetSec: Client, treasurySec: Client, eduSec: Client, plainMember: Client;
let ownMemberId: string;
let eduSecUsername: string;

async function placementOf(memberId: string) {
  const r = await ctx.database.db.execute<{ org_id: string; org_path: string } & Record<string, unknown>>(
    sql`select org_id::text, org_path::text from members where id = ${memberId}`);
  return r.rows[0]!;
}

const idsOf = (res: { json(): unknown }) => (res.json() as { items: { id: string }[] }).items.map((t) => t.id).sort();

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  finance = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  budget = await makeOrg(db, finance, { name: '预算处党支部' });
  treasury = await makeOrg(db, finance, { name: '国库处党支部' });
  edu = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  eduOffice = await makeOrg(db, edu, { name: '教育局办公室党支部' });
  group = await makeOrg(db, budget, { name: '预算处第一党小组', type: 'group' });
  closed = await makeOrg(db, edu, { name: '教育局已撤销党支部' });
  await db.execute(sql`update orgs set dissolved_at = now(), dissolved_reason = '机构改革' where id = ${closed.id}`);
  ownMemberId = (await makeMember(ctx.database.db, budget, { name: '党员本人', joinedOn: '2010-07-01' })).id;
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  financeAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: finance }]));
  budgetSec = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: budget }]));
  treasurySec = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: treasury }]));
  const eduSecUser = await makeUser(db, [{ role: 'org_admin', org: eduOffice }]);
  eduSecUsername = eduSecUser.username;
  eduSec = await login(ctx.app, eduSecUser);
  plainMember = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: ownMemberId }));
});
afterAll(async () => ctx?.close());

describe('GET /api/transfers/targets', () => {
  it('offers active orgs of the whole tree that hold members, with the path of names and nothing else', async () => {
    const res = await budgetSec.get('/api/transfers/targets?pageSize=200');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; name: string; pathNames: string }[];
    expect(items.map((o) => o.id).sort()).toEqual([finance.id, budget.id, treasury.id, edu.id, eduOffice.id].sort());
    expect(items.find((o) => o.id === eduOffice.id)).toEqual({ id: eduOffice.id, name: '教育局办公室党支部', type: 'branch', pathNames: '市直机关工委 / 市教育局机关党委 / 教育局办公室党支部' });
    expect(Object.keys(items[0]!).sort()).toEqual(['id', 'name', 'pathNames', 'type']);
  });

  it('finds orgs by simplified or traditional name and paginates', async () => {
    const traditional = await budgetSec.get(`/api/transfers/targets?q=${encodeURIComponent('教育局辦公室')}`);
    expect(traditional.json().items.map((o: { id: string }) => o.id)).toEqual([eduOffice.id]);
    const page = await budgetSec.get('/api/transfers/targets?pageSize=2&page=2');
    expect(page.json()).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.json().items).toHaveLength(2);
  });

  it('offers every admin the same tree, whatever their own scope', async () => {
    const ids = async (c: Client) => idsOf(await c.get('/api/transfers/targets?pageSize=200'));
    const expected = await ids(admin);
    expect(await ids(financeAdmin)).toEqual(expected);
    expect(await ids(eduSec)).toEqual(expected);
  });

  it('refuses plain members with 403 and anonymous callers with 401', async () => {
    expect((await plainMember.get('/api/transfers/targets')).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/transfers/targets' })).statusCode).toBe(401);
  });

  it('answers 400 for a search term that is too long', async () => {
    const res = await budgetSec.get(`/api/transfers/targets?q=${'党'.repeat(51)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.q).toBe('不能超过 50 个字符');
  });
});

describe('POST /api/transfers: issuing', () => {
  it('sends a member to a branch of another bureau and records the audit entry', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '张伟', joinedOn: '2010-07-01' })).id;
    const res = await budgetSec.post('/api/transfers', { memberId, toOrgId: eduOffice.id, reason: '工作调动', note: '党费已交至 2026 年 10 月' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      memberId, memberName: '张伟', fromOrgId: budget.id, fromOrgName: '预算处党支部', toOrgId: eduOffice.id, toOrgName: '教育局办公室党支部',
      status: 'issued', reason: '工作调动', note: '党费已交至 2026 年 10 月', decidedAt: null, decidedBy: null, canCancel: true, canAccept: false,
    });
    const log = await admin.get(`/api/audit?targetType=transfer&targetId=${res.json().id}`);
    expect(log.json().items.map((e: { action: string }) => e.action)).toEqual(['transfer.issue']);
    expect(log.json().items[0].orgPath).toBe(budget.path);
  });

  it.each([
    ['missing memberId', { toOrgId: '1', reason: '调动' }, 'memberId', '必填'],
    ['memberId of wrong type', { memberId: 5, toOrgId: '1', reason: '调动' }, 'memberId', '类型不正确，应为文本'],
    ['malformed toOrgId', { memberId: '1', toOrgId: 'abc', reason: '调动' }, 'toOrgId', '编号格式不正确'],
    ['missing reason', { memberId: '1', toOrgId: '1' }, 'reason', '必填'],
    ['blank reason', { memberId: '1', toOrgId: '1', reason: '   ' }, 'reason', '不能为空'],
    ['reason too long', { memberId: '1', toOrgId: '1', reason: '调'.repeat(201) }, 'reason', '不能超过 200 个字符'],
    ['note too long', { memberId: '1', toOrgId: '1', reason: '调动', note: '注'.repeat(501) }, 'note', '不能超过 500 个字符'],
    ['unknown field', { memberId: '1', toOrgId: '1', reason: '调动', status: 'accepted' }, 'status', '不支持的字段'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const before = await countRows(ctx.database.db, 'transfers');
    const res = await budgetSec.post('/api/transfers', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await countRows(ctx.database.db, 'transfers')).toBe(before);
  });

  it('refuses a transfer that cannot be, naming the field, and changes nothing', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '李娜', joinedOn: '2010-07-01' })).id;
    const leftId = (await makeMember(ctx.database.db, budget, { name: '已出党人员', joinedOn: '2010-07-01', leftAt: new Date() })).id;
    const before = await countRows(ctx.database.db, 'transfers');
    const cases: [Client, Record<string, string>, string, string][] = [
      [budgetSec, { memberId, toOrgId: budget.id }, 'toOrgId', '接收党组织与所在党组织相同'],
      [budgetSec, { memberId, toOrgId: closed.id }, 'toOrgId', '接收党组织已撤销'],
      [budgetSec, { memberId, toOrgId: group.id }, 'toOrgId', '“党小组”不直接管理党员组织关系'],
      [budgetSec, { memberId, toOrgId: root.id }, 'toOrgId', '“机关工委”不直接管理党员组织关系'],
      [budgetSec, { memberId, toOrgId: '999999' }, 'toOrgId', '接收党组织不存在'],
      [treasurySec, { memberId, toOrgId: eduOffice.id }, 'memberId', '党员不存在或不在您的管理范围内'],
      [plainMember, { memberId: ownMemberId, toOrgId: eduOffice.id }, 'memberId', '党员不存在或不在您的管理范围内'],
      [budgetSec, { memberId: '999999', toOrgId: eduOffice.id }, 'memberId', '党员不存在或不在您的管理范围内'],
      [budgetSec, { memberId: leftId, toOrgId: eduOffice.id }, 'memberId', '该党员已减少'],
    ];
    for (const [client, body, field, message] of cases) {
      const res = await client.post('/api/transfers', { reason: '工作调动', ...body });
      expect(res.statusCode, `${field}: ${message}`).toBe(400);
      expect(res.json().error.fields[field]).toContain(message);
    }
    expect(await countRows(ctx.database.db, 'transfers')).toBe(before);
  });

  it('refuses a second open transfer of the same member with 409', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '王芳', joinedOn: '2010-07-01' })).id;
    expect((await budgetSec.post('/api/transfers', { memberId, toOrgId: eduOffice.id, reason: '调动' })).statusCode).toBe(201);
    const before = await countRows(ctx.database.db, 'transfers');
    const second = await financeAdmin.post('/api/transfers', { memberId, toOrgId: treasury.id, reason: '调动' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('transfer.already_open');
    expect(await countRows(ctx.database.db, 'transfers')).toBe(before);
  });

  it('refuses a write without the CSRF token', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '赵磊', joinedOn: '2010-07-01' })).id;
    const res = await ctx.app.inject({ method: 'POST', url: '/api/transfers', headers: { cookie: budgetSec.cookie }, payload: { memberId, toOrgId: eduOffice.id, reason: '调动' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.csrf');
  });
});

describe('a transfer from issue to its end', () => {
  it('issue → accept: the member moves in one step, visible to the receiver and gone from the sender', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '陈静', joinedOn: '2010-07-01' })).id;
    const issued = (await budgetSec.post('/api/transfers', { memberId, toOrgId: eduOffice.id, reason: '工作调动' })).json();
    expect(idsOf(await eduSec.get('/api/transfers?box=incoming&status=issued'))).toContain(issued.id);
    expect(idsOf(await budgetSec.get('/api/transfers?box=outgoing&status=issued'))).toContain(issued.id);
    expect(idsOf(await budgetSec.get('/api/transfers?box=incoming'))).not.toContain(issued.id);
    expect((await eduSec.get(`/api/transfers/${issued.id}`)).json()).toMatchObject({ canAccept: true, canReturn: true, canCancel: false });

    const bySender = await budgetSec.post(`/api/transfers/${issued.id}/accept`, {});
    expect(bySender.statusCode).toBe(403);
    expect(bySender.json().error.code).toBe('transfer.not_receiver');
    const eduCountBefore = (await eduSec.get(`/api/orgs/${eduOffice.id}`)).json().memberCount;
    const budgetCountBefore = (await budgetSec.get(`/api/orgs/${budget.id}`)).json().memberCount;

    const accepted = await eduSec.post(`/api/transfers/${issued.id}/accept`, { note: '已报到' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', decidedByName: eduSecUsername, decisionNote: '已报到', canAccept: false, canCancel: false });
    expect(accepted.json().decidedAt).not.toBeNull();
    expect(await placementOf(memberId)).toEqual({ org_id: eduOffice.id, org_path: eduOffice.path });
    expect((await eduSec.get(`/api/orgs/${eduOffice.id}`)).json().memberCount).toBe(eduCountBefore + 1);
    expect((await budgetSec.get(`/api/orgs/${budget.id}`)).json().memberCount).toBe(budgetCountBefore - 1);
    // the history stays with both sides
    expect((await budgetSec.get(`/api/transfers/${issued.id}`)).json().status).toBe('accepted');
    expect((await budgetSec.get(`/api/transfers?memberId=${memberId}`)).json().items).toHaveLength(1);
    // and the member now belongs to the receiver: the sender can no longer send them anywhere
    const resend = await budgetSec.post('/api/transfers', { memberId, toOrgId: treasury.id, reason: '再次调动' });
    expect(resend.statusCode).toBe(400);
    expect(resend.json().error.fields.memberId).toBeDefined();

    const again = await eduSec.post(`/api/transfers/${issued.id}/accept`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('transfer.not_open');

    const admins = await admin.get(`/api/audit?targetType=transfer&targetId=${issued.id}`);
    expect(admins.json().items.map((e: { action: string }) => e.action)).toEqual(['transfer.accept', 'transfer.issue']);
    expect(admins.json().items[0].detail).toMatchObject({ memberId, fromPath: budget.path, toPath: eduOffice.path });
    // each side browses the entries of its own subtree
    expect((await eduSec.get(`/api/audit?targetType=transfer&targetId=${issued.id}`)).json().items.map((e: { action: string }) => e.action)).toEqual(['transfer.accept']);
    expect((await budgetSec.get(`/api/audit?targetType=transfer&targetId=${issued.id}`)).json().items.map((e: { action: string }) => e.action)).toEqual(['transfer.issue']);
  });

  it('issue → return: the receiver sends it back with a reason and the member stays', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '刘洋', joinedOn: '2010-07-01' })).id;
    const issued = (await budgetSec.post('/api/transfers', { memberId, toOrgId: eduOffice.id, reason: '工作调动' })).json();
    const noReason = await eduSec.post(`/api/transfers/${issued.id}/return`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBe('必填');
    expect((await budgetSec.post(`/api/transfers/${issued.id}/return`, { reason: '自己退回' })).statusCode).toBe(403);
    const returned = await eduSec.post(`/api/transfers/${issued.id}/return`, { reason: '介绍信信息不全' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', decisionNote: '介绍信信息不全', decidedByName: eduSecUsername });
    expect(await placementOf(memberId)).toEqual({ org_id: budget.id, org_path: budget.path });
    expect((await eduSec.post(`/api/transfers/${issued.id}/accept`, {})).statusCode).toBe(409);
    const log = (await admin.get(`/api/audit?action=transfer.return&targetId=${issued.id}`)).json().items;
    expect(log).toHaveLength(1);
    expect(log[0].detail.reason).toBe('介绍信信息不全');
    // a returned transfer no longer blocks a new one
    expect((await budgetSec.post('/api/transfers', { memberId, toOrgId: eduOffice.id, reason: '补齐材料后重新开具' })).statusCode).toBe(201);
  });

  it('issue → cancel: only the sender withdraws, only while open', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '杨帆', joinedOn: '2010-07-01' })).id;
    const issued = (await budgetSec.post('/api/transfers', { memberId, toOrgId: eduOffice.id, reason: '工作调动' })).json();
    expect((await treasurySec.post(`/api/transfers/${issued.id}/cancel`)).statusCode).toBe(404);
    const byReceiver = await eduSec.post(`/api/transfers/${issued.id}/cancel`);
    expect(byReceiver.statusCode).toBe(403);
    expect(byReceiver.json().error.code).toBe('transfer.not_sender');
    const tooLong = await budgetSec.post(`/api/transfers/${issued.id}/cancel`, { reason: '撤'.repeat(201) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.fields.reason).toBe('不能超过 200 个字符');
    const cancelled = await budgetSec.post(`/api/transfers/${issued.id}/cancel`, { reason: '调动取消' });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', decisionNote: '调动取消', canCancel: false });
    expect((await budgetSec.post(`/api/transfers/${issued.id}/cancel`)).statusCode).toBe(409);
    expect((await eduSec.post(`/api/transfers/${issued.id}/accept`)).statusCode).toBe(409);
    expect(await placementOf(memberId)).toEqual({ org_id: budget.id, org_path: budget.path });
    expect((await admin.get(`/api/audit?action=transfer.cancel&targetId=${issued.id}`)).json().total).toBe(1);
    expect(await countRows(ctx.database.db, 'transfers')).toBeGreaterThan(0);
  });

  it('accepts a bare POST without a body for cancel', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '郑浩', joinedOn: '2010-07-01' })).id;
    const issued = (await budgetSec.post('/api/transfers', { memberId, toOrgId: eduOffice.id, reason: '工作调动' })).json();
    const res = await ctx.app.inject({ method: 'POST', url: `/api/transfers/${issued.id}/cancel`, headers: { cookie: budgetSec.cookie, 'x-csrf-token': budgetSec.csrfToken } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', decisionNote: null });
  });

  it('lets a committee admin see both ends of a transfer between its branches, and accept it', async () => {
    const memberId = (await makeMember(ctx.database.db, budget, { name: '周强', joinedOn: '2010-07-01' })).id;
    const issued = (await financeAdmin.post('/api/transfers', { memberId, toOrgId: treasury.id, reason: '处室调整' })).json();
    expect(idsOf(await financeAdmin.get('/api/transfers?box=incoming'))).toContain(issued.id);
    expect(idsOf(await financeAdmin.get('/api/transfers?box=outgoing'))).toContain(issued.id);
    expect((await financeAdmin.get(`/api/transfers/${issued.id}`)).json()).toMatchObject({ canAccept: true, canCancel: true });
    const accepted = await financeAdmin.post(`/api/transfers/${issued.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(await placementOf(memberId)).toEqual({ org_id: treasury.id, org_path: treasury.path });
    expect(idsOf(await treasurySec.get('/api/transfers?box=incoming'))).toContain(issued.id);
    expect(idsOf(await eduSec.get('/api/transfers'))).not.toContain(issued.id);
  });
});

describe('GET /api/transfers and /:id: scoping', () => {
  let toEdu: string, withinFinance: string, own: string;
  beforeAll(async () => {
    const a = (await makeMember(ctx.database.db, budget, { name: '孙丽', joinedOn: '2010-07-01' })).id;
    toEdu = (await budgetSec.post('/api/transfers', { memberId: a, toOrgId: eduOffice.id, reason: '调动' })).json().id;
    const b = (await makeMember(ctx.database.db, treasury, { name: '吴军', joinedOn: '2010-07-01' })).id;
    withinFinance = (await treasurySec.post('/api/transfers', { memberId: b, toOrgId: budget.id, reason: '调动' })).json().id;
    own = (await budgetSec.post('/api/transfers', { memberId: ownMemberId, toOrgId: treasury.id, reason: '调动' })).json().id;
  });

  it('shows each role only the transfers of its subtree', async () => {
    const all = idsOf(await admin.get('/api/transfers?pageSize=200'));
    expect(all).toEqual(expect.arrayContaining([toEdu, withinFinance, own]));
    expect(all).toHaveLength(await countRows(ctx.database.db, 'transfers'));
    expect(idsOf(await financeAdmin.get('/api/transfers?pageSize=200'))).toEqual(expect.arrayContaining([toEdu, withinFinance, own]));
    const budgetIds = idsOf(await budgetSec.get('/api/transfers?pageSize=200'));
    expect(budgetIds).toEqual(expect.arrayContaining([toEdu, withinFinance, own]));
    expect(idsOf(await budgetSec.get('/api/transfers?box=incoming&pageSize=200'))).toContain(withinFinance);
    expect(idsOf(await budgetSec.get('/api/transfers?box=incoming&pageSize=200'))).not.toContain(toEdu);
    const eduIds = idsOf(await eduSec.get('/api/transfers?pageSize=200'));
    expect(eduIds).toContain(toEdu);
    expect(eduIds).not.toContain(withinFinance);
    expect(eduIds).not.toContain(own);
    const treasuryOutgoing = idsOf(await treasurySec.get('/api/transfers?box=outgoing&pageSize=200'));
    expect(treasuryOutgoing).toContain(withinFinance);
    expect(treasuryOutgoing).not.toContain(toEdu);
  });

  it('shows a plain member only their own transfer, read only', async () => {
    expect(idsOf(await plainMember.get('/api/transfers?pageSize=200'))).toEqual([own]);
    expect(idsOf(await plainMember.get('/api/transfers?box=incoming'))).toEqual([]);
    const detail = await plainMember.get(`/api/transfers/${own}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ memberName: '党员本人', canAccept: false, canReturn: false, canCancel: false });
    expect((await plainMember.post(`/api/transfers/${own}/cancel`)).statusCode).toBe(403);
  });

  it('answers 404 outside the scope, the same as for a missing transfer', async () => {
    const outside = await eduSec.get(`/api/transfers/${withinFinance}`);
    const missing = await eduSec.get('/api/transfers/999999');
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual(missing.json());
    expect((await plainMember.get(`/api/transfers/${toEdu}`)).statusCode).toBe(404);
    expect((await eduSec.post(`/api/transfers/${withinFinance}/accept`)).statusCode).toBe(404);
    expect((await eduSec.post(`/api/transfers/${withinFinance}/return`, { reason: '无权' })).statusCode).toBe(404);
  });

  it('filters by status and member, newest first, with totals', async () => {
    const res = (await admin.get('/api/transfers?status=issued&pageSize=2')).json();
    expect(res.items.every((t: { status: string }) => t.status === 'issued')).toBe(true);
    expect(res.total).toBeGreaterThanOrEqual(3);
    const times = res.items.map((t: { issuedAt: string }) => t.issuedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(idsOf(await admin.get(`/api/transfers?memberId=${ownMemberId}`))).toEqual([own]);
  });

  it.each([
    ['box', 'box=sideways', '必须是以下之一'],
    ['status', 'status=done', '必须是以下之一'],
    ['memberId', 'memberId=abc', '编号格式不正确'],
    ['pageSize', 'pageSize=1000', '不能大于 200'],
  ])('answers 400 naming %s for a bad query', async (field, query, message) => {
    const res = await admin.get(`/api/transfers?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
  });

  it('answers 400 for a malformed id and for bad decision bodies, changing nothing', async () => {
    expect((await admin.get('/api/transfers/abc')).json().error.fields.id).toBe('编号格式不正确');
    const before = await ctx.database.db.execute(sql`select status from transfers where id = ${toEdu}`);
    const cases: [string, unknown, string, string][] = [
      ['accept', { note: '注'.repeat(501) }, 'note', '不能超过 500 个字符'],
      ['accept', { note: 5 }, 'note', '类型不正确'],
      ['return', { reason: '退'.repeat(201) }, 'reason', '不能超过 200 个字符'],
      ['return', { reason: ['x'] }, 'reason', '类型不正确'],
      ['cancel', { reason: '撤回', force: true }, 'force', '不支持的字段'],
    ];
    for (const [verb, body, field, message] of cases) {
      const res = await admin.post(`/api/transfers/${toEdu}/${verb}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields[field]).toContain(message);
    }
    expect((await ctx.database.db.execute(sql`select status from transfers where id = ${toEdu}`)).rows).toEqual(before.rows);
  });

  it('is described in the API document', async () => {
    const paths = Object.keys((await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/transfers', '/api/transfers/targets', '/api/transfers/{id}/accept', '/api/audit', '/api/users/{id}/reset-password']));
  });

  it('refuses anonymous callers with 401', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/transfers' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/transfers/${toEdu}` })).statusCode).toBe(401);
  });
});
