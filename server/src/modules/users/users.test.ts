import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';

let ctx: TestContext;
let root: OrgFixture, finance: OrgFixture, budget: OrgFixture, treasury: OrgFixture, eduOffice: OrgFixture;
let admin: Client, financeAdmin: Client, budgetSec: Client, eduSec: Client, plain: Client;
let adminUser: UserFixture, financeAdminUser: UserFixture, budgetSecUser: UserFixture, eduSecUser: UserFixture, plainUser: UserFixture, crossUser: UserFixture, judgeUser: UserFixture;
let plainMemberId: string;

const idsOf = (res: { json(): unknown }) => (res.json() as { items: { id: string }[] }).items.map((u) => u.id).sort();
const sorted = (...ids: string[]) => [...ids].sort();
const loginStatus = async (username: string, password: string) =>
  (await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })).statusCode;

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  finance = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  budget = await makeOrg(db, finance, { name: '预算处党支部' });
  treasury = await makeOrg(db, finance, { name: '国库处党支部' });
  const edu = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  eduOffice = await makeOrg(db, edu, { name: '教育局办公室党支部' });
  plainMemberId = (await makeMember(ctx.database.db, budget, { name: '刘敏', gender: 'female' })).id;
  adminUser = await makeUser(db, [{ role: 'platform_admin' }]);
  financeAdminUser = await makeUser(db, [{ role: 'org_admin', org: finance }]);
  budgetSecUser = await makeUser(db, [{ role: 'org_admin', org: budget }]);
  eduSecUser = await makeUser(db, [{ role: 'org_admin', org: eduOffice }]);
  plainUser = await makeUser(db, [{ role: 'member' }], { memberId: plainMemberId });
  // a secretary of another bureau whose own membership sits in the budget branch
  crossUser = await makeUser(db, [{ role: 'org_admin', org: eduOffice }], { memberId: (await makeMember(ctx.database.db, budget, { name: '跨局书记', gender: 'female' })).id });
  judgeUser = await makeUser(db, [{ role: 'judge', org: treasury }]);
  admin = await login(ctx.app, adminUser);
  financeAdmin = await login(ctx.app, financeAdminUser);
  budgetSec = await login(ctx.app, budgetSecUser);
  eduSec = await login(ctx.app, eduSecUser);
  plain = await login(ctx.app, plainUser);
});
afterAll(async () => ctx?.close());

describe('GET /api/users and /:id: scoping', () => {
  it('shows each admin the accounts of their subtree', async () => {
    const everyone = sorted(adminUser.id, financeAdminUser.id, budgetSecUser.id, eduSecUser.id, plainUser.id, crossUser.id, judgeUser.id);
    expect(idsOf(await admin.get('/api/users?pageSize=200'))).toEqual(everyone);
    expect(idsOf(await financeAdmin.get('/api/users?pageSize=200'))).toEqual(sorted(financeAdminUser.id, budgetSecUser.id, plainUser.id, crossUser.id, judgeUser.id));
    expect(idsOf(await budgetSec.get('/api/users?pageSize=200'))).toEqual(sorted(budgetSecUser.id, plainUser.id, crossUser.id));
    expect(idsOf(await eduSec.get('/api/users?pageSize=200'))).toEqual(sorted(eduSecUser.id, crossUser.id));
  });

  it('refuses the list to a plain member but shows them their own account', async () => {
    expect((await plain.get('/api/users')).statusCode).toBe(403);
    const own = await plain.get(`/api/users/${plainUser.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ username: plainUser.username, memberId: plainMemberId, memberName: '刘敏', memberOrgName: '预算处党支部', canManage: false });
    expect((await plain.get(`/api/users/${budgetSecUser.id}`)).statusCode).toBe(404);
  });

  it('answers 404 outside the scope, the same as for a missing account', async () => {
    const outside = await budgetSec.get(`/api/users/${judgeUser.id}`);
    const missing = await budgetSec.get('/api/users/999999');
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual(missing.json());
    expect((await eduSec.get(`/api/users/${plainUser.id}`)).statusCode).toBe(404);
    expect((await financeAdmin.get(`/api/users/${adminUser.id}`)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(401);
  });

  it('gives roles with org names and says which accounts the viewer may manage', async () => {
    const cross = (await budgetSec.get(`/api/users/${crossUser.id}`)).json();
    expect(cross.roles).toEqual([{ role: 'org_admin', orgId: eduOffice.id, orgName: '教育局办公室党支部' }]);
    expect(cross.canManage).toBe(false);
    expect((await budgetSec.get(`/api/users/${plainUser.id}`)).json().canManage).toBe(true);
    expect((await admin.get(`/api/users/${crossUser.id}`)).json().canManage).toBe(true);
    expect((await financeAdmin.get(`/api/users/${judgeUser.id}`)).json()).toMatchObject({ canManage: true, disabled: false, lastSeenAt: null });
  });

  it('filters by text, role, org and state', async () => {
    expect(idsOf(await admin.get(`/api/users?q=${budgetSecUser.username.toUpperCase()}`))).toEqual([budgetSecUser.id]);
    expect(idsOf(await admin.get('/api/users?role=judge'))).toEqual([judgeUser.id]);
    expect(idsOf(await admin.get(`/api/users?orgId=${budget.id}`))).toEqual(sorted(budgetSecUser.id, plainUser.id, crossUser.id));
    expect((await admin.get('/api/users?disabled=1')).json().total).toBe(0);
    const bad = await admin.get('/api/users?role=king&orgId=x');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['orgId', 'role']);
  });
});

describe('POST /api/users', () => {
  it('creates an account that can sign in, audited in the org of its role', async () => {
    const res = await financeAdmin.post('/api/users', { username: 'Zhang.Wei', displayName: '张伟', password: 'Budget-2026-pass', roles: [{ role: 'org_admin', orgId: treasury.id }] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'Zhang.Wei', displayName: '张伟', roles: [{ role: 'org_admin', orgId: treasury.id, orgName: '国库处党支部' }], canManage: true, disabled: false });
    expect(await loginStatus('zhang.wei', 'Budget-2026-pass')).toBe(200);
    const log = (await financeAdmin.get(`/api/audit?action=user.create&targetId=${res.json().id}`)).json().items;
    expect(log).toHaveLength(1);
    expect(log[0].orgPath).toBe(treasury.path);
    expect(JSON.stringify(log[0].detail)).not.toContain('Budget-2026-pass');
    expect((await ctx.database.db.execute<{ h: string } & Record<string, unknown>>(sql`select password_hash as h from users where id = ${res.json().id}`)).rows[0]!.h).toMatch(/^\$argon2id\$/);
  });

  it('refuses a username taken in any case with 409 naming the field', async () => {
    const before = await countRows(ctx.database.db, 'users');
    const res = await admin.post('/api/users', { username: 'ZHANG.wei', displayName: '另一个张伟', password: 'Another-2026-pass', roles: [{ role: 'member', orgId: budget.id }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields.username).toBe('用户名已被使用（不区分大小写）');
    expect(await countRows(ctx.database.db, 'users')).toBe(before);
  });

  it('links a member of the subtree, once', async () => {
    const memberId = (await makeMember(ctx.database.db, treasury, { name: '黄磊', gender: 'female' })).id;
    const created = await financeAdmin.post('/api/users', { username: 'huanglei', displayName: '黄磊', password: 'Huang-lei-2026', memberId, roles: [{ role: 'member' }] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ memberId, memberName: '黄磊', memberOrgName: '国库处党支部', roles: [{ role: 'member', orgId: null, orgName: null }] });
    const before = await countRows(ctx.database.db, 'users');
    const twice = await admin.post('/api/users', { username: 'huanglei2', displayName: '黄磊', password: 'Huang-lei-2026', memberId, roles: [{ role: 'member' }] });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.fields.memberId).toBe('该党员已有账号');
    const outside = await budgetSec.post('/api/users', { username: 'huanglei3', displayName: '黄磊', password: 'Huang-lei-2026', memberId: (await makeMember(ctx.database.db, treasury, { name: '他处党员', gender: 'female' })).id, roles: [{ role: 'member' }] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields.memberId).toBe('党员不存在或不在您的管理范围内');
    expect(await countRows(ctx.database.db, 'users')).toBe(before);
  });

  it('lets an org admin grant only roles on orgs of their subtree, and never platform admin', async () => {
    const before = [await countRows(ctx.database.db, 'users'), await countRows(ctx.database.db, 'user_roles')];
    const base = { username: 'grant.test', displayName: '授权测试', password: 'Grant-test-2026' };
    const cases: [Client, unknown[], string, string][] = [
      [budgetSec, [{ role: 'platform_admin' }], 'roles.0.role', '您不能授予此角色'],
      [budgetSec, [{ role: 'org_admin', orgId: treasury.id }], 'roles.0.orgId', '党组织不存在或不在您的管理范围内'],
      [budgetSec, [{ role: 'member', orgId: budget.id }, { role: 'judge', orgId: finance.id }], 'roles.1.orgId', '党组织不存在或不在您的管理范围内'],
      [budgetSec, [{ role: 'judge' }], 'roles.0.orgId', '请选择该角色所属的党组织'],
      [budgetSec, [{ role: 'member' }], 'roles.0.orgId', '请选择该角色所属的党组织'],
      [admin, [{ role: 'org_admin' }], 'roles.0.orgId', '请选择该角色所属的党组织'],
      [admin, [{ role: 'platform_admin', orgId: budget.id }], 'roles.0.orgId', '平台管理员角色不属于任何党组织'],
      [admin, [{ role: 'org_admin', orgId: '999999' }], 'roles.0.orgId', '党组织不存在'],
      [admin, [{ role: 'member', orgId: budget.id }, { role: 'member', orgId: budget.id }], 'roles.1', '角色重复'],
    ];
    for (const [client, roles, field, message] of cases) {
      const res = await client.post('/api/users', { ...base, roles });
      expect(res.statusCode, `${field} ${message}`).toBe(400);
      expect(res.json().error.fields[field]).toContain(message);
    }
    expect([await countRows(ctx.database.db, 'users'), await countRows(ctx.database.db, 'user_roles')]).toEqual(before);
    const made = await admin.post('/api/users', { ...base, roles: [{ role: 'platform_admin' }] });
    expect(made.statusCode).toBe(201);
  });

  it.each([
    ['missing username', { username: undefined }, 'username', '必填'],
    ['username of wrong type', { username: 42 }, 'username', '类型不正确，应为文本'],
    ['username too long', { username: 'a'.repeat(51) }, 'username', '不能超过 50 个字符'],
    ['username with spaces', { username: 'zhang wei' }, 'username', '只能包含字母、数字'],
    ['missing display name', { displayName: undefined }, 'displayName', '必填'],
    ['display name too long', { displayName: '名'.repeat(51) }, 'displayName', '不能超过 50 个字符'],
    ['short password', { password: 'abc123' }, 'password', '至少 10 个字符'],
    ['password without digits', { password: 'onlyletters-here' }, 'password', '密码至少 10 位，且须同时包含字母和数字'],
    ['common password', { password: 'password12' }, 'password', '太容易被猜到'],
    ['keyboard pattern', { password: '1qaz2wsx3edc' }, 'password', '太容易被猜到'],
    ['password built from the username', { password: 'new.person1' }, 'password', '太容易被猜到'],
    ['no roles', { roles: [] }, 'roles', '不能为空'],
    ['roles not a list', { roles: 'member' }, 'roles', '类型不正确，应为列表'],
    ['unknown role', { roles: [{ role: 'king' }] }, 'roles.0.role', '必须是以下之一'],
    ['malformed memberId', { memberId: '12a' }, 'memberId', '编号格式不正确'],
    ['unknown field', { isPlatformAdmin: true }, 'isPlatformAdmin', '不支持的字段'],
  ])('answers 400 for %s and creates nothing', async (_case, patch, field, message) => {
    const before = await countRows(ctx.database.db, 'users');
    const body = { username: 'new.person', displayName: '新人', password: 'New-person-2026', roles: [{ role: 'member', orgId: budget.id }], ...patch };
    const res = await admin.post('/api/users', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await countRows(ctx.database.db, 'users')).toBe(before);
  });
});

describe('PATCH /api/users/:id', () => {
  it('renames and replaces roles, audited with what changed', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member', org: budget }]);
    const res = await financeAdmin.patch(`/api/users/${user.id}`, { displayName: '王小明', roles: [{ role: 'org_admin', orgId: treasury.id }, { role: 'judge', orgId: finance.id }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().displayName).toBe('王小明');
    expect(res.json().roles.map((r: { role: string; orgId: string }) => `${r.role}@${r.orgId}`)).toEqual([`org_admin@${treasury.id}`, `judge@${finance.id}`]);
    const [entry] = (await admin.get(`/api/audit?action=user.update&targetId=${user.id}`)).json().items;
    expect(entry.detail.displayName).toEqual({ from: user.username, to: '王小明' });
    expect(entry.detail.roles.to).toHaveLength(2);
    // the new role takes effect on the next request of that account
    const session = await login(ctx.app, user);
    expect((await session.get(`/api/orgs/${treasury.id}`)).statusCode).toBe(200);
  });

  it('disables an account: its sessions end and it cannot sign in until enabled', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'org_admin', org: budget }]);
    const session = await login(ctx.app, user);
    const disabled = await budgetSec.patch(`/api/users/${user.id}`, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect(await loginStatus(user.username, user.password)).toBe(401);
    expect((await budgetSec.get('/api/users?disabled=1')).json().items.map((u: { id: string }) => u.id)).toEqual([user.id]);
    const actions = (await admin.get(`/api/audit?targetType=user&targetId=${user.id}&action=user.`)).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['user.disable']);
    expect((await budgetSec.patch(`/api/users/${user.id}`, { disabled: false })).json().disabled).toBe(false);
    expect(await loginStatus(user.username, user.password)).toBe(200);
  });

  it('links and unlinks a member of the subtree, refusing one outside it', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member', org: budget }]);
    const memberId = (await makeMember(ctx.database.db, budget, { name: '新关联党员', gender: 'female' })).id;
    const linked = await budgetSec.patch(`/api/users/${user.id}`, { memberId });
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toMatchObject({ memberId, memberName: '新关联党员' });
    const outside = await budgetSec.patch(`/api/users/${user.id}`, { memberId: (await makeMember(ctx.database.db, treasury, { name: '国库处党员', gender: 'female' })).id });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields.memberId).toBe('党员不存在或不在您的管理范围内');
    const taken = await budgetSec.patch(`/api/users/${user.id}`, { memberId: plainMemberId });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.fields.memberId).toBe('该党员已有账号');
    expect((await budgetSec.patch(`/api/users/${user.id}`, { memberId: null })).json().memberId).toBeNull();
    expect((await budgetSec.patch('/api/users/abc', { displayName: '某人' })).json().error.fields.id).toBe('编号格式不正确');
  });

  it('refuses accounts the admin sees but does not fully manage, and their own disabling', async () => {
    const cross = await budgetSec.patch(`/api/users/${crossUser.id}`, { disabled: true });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.code).toBe('user.not_manageable');
    expect((await budgetSec.patch(`/api/users/${judgeUser.id}`, { displayName: '越权' })).statusCode).toBe(404);
    const self = await budgetSec.patch(`/api/users/${budgetSecUser.id}`, { disabled: true });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.fields.disabled).toBe('不能停用自己的账号');
    const dropOwn = await admin.patch(`/api/users/${adminUser.id}`, { roles: [{ role: 'member', orgId: budget.id }] });
    expect(dropOwn.statusCode).toBe(400);
    expect(dropOwn.json().error.fields.roles).toBe('不能取消自己的平台管理员角色');
    expect((await plain.patch(`/api/users/${plainUser.id}`, { displayName: '自己改' })).statusCode).toBe(403);
    expect((await ctx.database.db.execute(sql`select disabled_at from users where id = ${crossUser.id}`)).rows[0]).toEqual({ disabled_at: null });
  });

  it.each([
    ['display name empty', { displayName: '' }, 'displayName', '不能为空'],
    ['disabled not a boolean', { disabled: 'yes' }, 'disabled', '类型不正确，应为是/否'],
    ['roles too many', { roles: Array.from({ length: 21 }, () => ({ role: 'member' })) }, 'roles', '最多 20 项'],
    ['role with unknown field', { roles: [{ role: 'member', orgId: null, scope: 'all' }] }, 'roles.0.scope', '不支持的字段'],
    ['display name too long', { displayName: '名'.repeat(51) }, 'displayName', '不能超过 50 个字符'],
    ['display name of wrong type', { displayName: ['王'] }, 'displayName', '类型不正确，应为文本'],
    ['malformed memberId', { memberId: 'abc' }, 'memberId', '编号格式不正确'],
    ['role missing', { roles: [{ orgId: '1' }] }, 'roles.0.role', '必填'],
    ['username change', { username: 'renamed' }, 'username', '不支持的字段'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const before = await ctx.database.db.execute(sql`select display_name, disabled_at, (select count(*)::int from user_roles where user_id = ${plainUser.id}) as roles from users where id = ${plainUser.id}`);
    const res = await budgetSec.patch(`/api/users/${plainUser.id}`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect((await ctx.database.db.execute(sql`select display_name, disabled_at, (select count(*)::int from user_roles where user_id = ${plainUser.id}) as roles from users where id = ${plainUser.id}`)).rows).toEqual(before.rows);
  });
});

describe('POST /api/users/:id/reset-password', () => {
  it('sets the password, ends every session of the account and is audited', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member', org: budget }]);
    const first = await login(ctx.app, user);
    const second = await login(ctx.app, user);
    const res = await budgetSec.post(`/api/users/${user.id}/reset-password`, { newPassword: 'Reset-by-admin-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ endedSessions: 2 });
    expect((await first.get('/api/auth/me')).statusCode).toBe(401);
    expect((await second.get('/api/auth/me')).statusCode).toBe(401);
    expect(await loginStatus(user.username, user.password)).toBe(401);
    const [entry] = (await budgetSec.get(`/api/audit?action=user.reset_password&targetId=${user.id}`)).json().items;
    expect(entry.detail).toEqual({ username: user.username, endedSessions: 2 });
    expect(JSON.stringify(entry.detail)).not.toContain('Reset-by-admin-1');
  });

  it('makes the account choose a new password at its next sign-in before anything else', async () => {
    const member = await makeMember(ctx.database.db, budget);
    const user = await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: member.id });
    expect((await budgetSec.post(`/api/users/${user.id}/reset-password`, { newPassword: 'Reset-by-admin-1' })).statusCode).toBe(200);
    const client = await login(ctx.app, { ...user, password: 'Reset-by-admin-1' });
    expect((await client.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const refused = await client.get(`/api/members/${member.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toEqual({ code: 'auth.password_change_required', message: '管理员已重置您的密码，请先设置新密码' });
    // the new password is held to the same rules
    const weak = await client.post('/api/auth/password', { currentPassword: 'Reset-by-admin-1', newPassword: 'qwertyuiop123' });
    expect(weak.json().error.fields.newPassword).toContain('太容易被猜到');
    expect((await client.post('/api/auth/password', { currentPassword: 'Reset-by-admin-1', newPassword: 'Chosen-by-me-2026' })).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).json().user.mustChangePassword).toBe(false);
    expect((await client.get(`/api/members/${member.id}`)).statusCode).toBe(200);
  });

  it('refuses a guessable password naming the field, changing nothing', async () => {
    const hashBefore = await ctx.database.db.execute(sql`select password_hash from users where id = ${plainUser.id}`);
    for (const newPassword of ['password12', '1qaz2wsx3edc', `${plainUser.username}1`, 'woaizhongguo1']) {
      const res = await budgetSec.post(`/api/users/${plainUser.id}/reset-password`, { newPassword });
      expect(res.statusCode, newPassword).toBe(400);
      expect(res.json().error.fields.newPassword).toContain('太容易被猜到');
    }
    expect((await ctx.database.db.execute(sql`select password_hash from users where id = ${plainUser.id}`)).rows).toEqual(hashBefore.rows);
  });

  it('refuses weak passwords, strangers and one\'s own account, changing nothing', async () => {
    const hashBefore = await ctx.database.db.execute(sql`select password_hash from users where id in (${plainUser.id}, ${budgetSecUser.id}, ${judgeUser.id}) order by id`);
    const weak = await budgetSec.post(`/api/users/${plainUser.id}/reset-password`, { newPassword: 'password-only' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields.newPassword).toBe('密码至少 10 位，且须同时包含字母和数字');
    const missing = await budgetSec.post(`/api/users/${plainUser.id}/reset-password`, {});
    expect(missing.json().error.fields.newPassword).toBe('必填');
    const wrongType = await budgetSec.post(`/api/users/${plainUser.id}/reset-password`, { newPassword: 1234567890 });
    expect(wrongType.json().error.fields.newPassword).toContain('类型不正确');
    const tooLong = await budgetSec.post(`/api/users/${plainUser.id}/reset-password`, { newPassword: 'a1'.repeat(101) });
    expect(tooLong.json().error.fields.newPassword).toBe('不能超过 200 个字符');
    expect((await budgetSec.post(`/api/users/${judgeUser.id}/reset-password`, { newPassword: 'Stranger-pass-1' })).statusCode).toBe(404);
    expect((await budgetSec.post(`/api/users/${crossUser.id}/reset-password`, { newPassword: 'Stranger-pass-1' })).statusCode).toBe(403);
    expect((await budgetSec.post(`/api/users/${budgetSecUser.id}/reset-password`, { newPassword: 'My-own-pass-1' })).json().error.code).toBe('user.reset_own_password');
    expect((await plain.post(`/api/users/${plainUser.id}/reset-password`, { newPassword: 'My-own-pass-1' })).statusCode).toBe(403);
    expect((await ctx.database.db.execute(sql`select password_hash from users where id in (${plainUser.id}, ${budgetSecUser.id}, ${judgeUser.id}) order by id`)).rows).toEqual(hashBefore.rows);
  });
});
