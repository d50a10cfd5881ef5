import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { CreateMemberSchema, addYears, idNumberProblem, type CreateMember } from '../../../../contracts/members.js';
import type { Actor } from '../../platform/actor.js';
import { isValidIdNumber, withIdCheckDigit } from '../../platform/personal-data.js';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { insertMembers } from './service.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherBureau: OrgFixture, branchC: OrgFixture, group: OrgFixture;
let admin: Client, bureauAdmin: Client, secretaryA: Client, self: Client, noProfile: Client;
/** 王建國 (branch A), 李娜 (branch A, has an account), 张伟 (branch B), 赵敏 (branch C, another bureau) */
let wang: Member, li: Member, zhang: Member, zhao: Member;

interface Member { id: string; name: string; idNumber: string; phone: string | null; orgPath: string }

let seq = 100;
const liJoinedOn = new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10);
/** A valid ID number born on `birth` (YYYYMMDD); with `last4`, one that ends in those characters. */
function idNumber(birth: string, last4?: string): string {
  if (!last4) return withIdCheckDigit(`320102${birth}${String(seq++).padStart(3, '0')}`);
  for (let day = 1; day <= 28; day++) {
    const candidate = withIdCheckDigit(`320102${birth.slice(0, 6)}${String(day).padStart(2, '0')}${last4.slice(0, 3)}`);
    if (candidate.endsWith(last4)) return candidate;
  }
  throw new Error(`no ID ending in ${last4}`);
}

/** A full member's body, overridable field by field. */
function fullMember(org: OrgFixture, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orgId: org.id, name: '测试党员', gender: 'male', idNumber: idNumber('19880512'), phone: null,
    stage: 'full', appliedOn: '2008-03-01', activistOn: '2008-09-01', candidateOn: '2009-09-10', joinedOn: '2010-07-01', convertedOn: '2011-07-01',
    ...fields,
  };
}

async function create(client: Client, body: Record<string, unknown>): Promise<Member> {
  const res = await client.post('/api/members', body);
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  const m = res.json();
  return { id: m.id, name: m.name, idNumber: String(body.idNumber), phone: (body.phone as string | null) ?? null, orgPath: m.orgPath };
}

const ids = (res: { json(): unknown }) => (res.json() as { items: { id: string }[] }).items.map((m) => m.id);
const names = (res: { json(): unknown }) => (res.json() as { items: { name: string }[] }).items.map((m) => m.name);
const sorted = (a: string[]) => [...a].sort();

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  group = await makeOrg(db, branchA, { name: '第一党小组', type: 'group' });
  otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  branchC = await makeOrg(db, otherBureau, { name: '教育局机关第一党支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  noProfile = await login(ctx.app, await makeUser(db, [{ role: 'member' }]));

  wang = await create(admin, fullMember(branchA, {
    name: '王建國', idNumber: idNumber('19850301', '1234'), phone: '13812345678', education: '大学本科', workUnit: '市财政局', post: '预算处副处长',
    birthDate: undefined, appliedOn: '2006-03-01', activistOn: '2006-09-01', candidateOn: '2007-09-10', joinedOn: '2008-07-01', convertedOn: '2009-07-01',
  }));
  li = await create(admin, {
    orgId: branchA.id, name: '李娜', gender: 'female', idNumber: idNumber('19950620'), phone: '13900001111', education: '研究生（硕士）',
    stage: 'probationary', appliedOn: '2020-03-01', activistOn: '2020-09-01', candidateOn: '2021-10-01', joinedOn: liJoinedOn,
  });
  zhang = await create(admin, {
    orgId: branchB.id, name: '张伟', gender: 'male', idNumber: idNumber('19980115'), stage: 'activist', appliedOn: '2022-03-01', activistOn: '2022-09-01',
  });
  zhao = await create(admin, fullMember(branchC, { name: '赵敏', gender: 'female', idNumber: idNumber('19700808'), education: '大学本科' }));
  self = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: li.id }));
});
afterAll(async () => ctx?.close());


describe('GET /api/members — scope', () => {
  it('shows each viewer only the rolls of the orgs they administer, and a plain member only themself', async () => {
    expect(sorted(ids(await admin.get('/api/members?pageSize=200')))).toEqual(sorted([wang.id, li.id, zhang.id, zhao.id]));
    expect(sorted(ids(await bureauAdmin.get('/api/members?pageSize=200')))).toEqual(sorted([wang.id, li.id, zhang.id]));
    expect(sorted(ids(await secretaryA.get('/api/members?pageSize=200')))).toEqual(sorted([wang.id, li.id]));
    expect(ids(await self.get('/api/members'))).toEqual([li.id]);
    expect(ids(await noProfile.get('/api/members'))).toEqual([]);
  });

  it('answers 404 by URL for a member outside the scope, the same as for a missing one', async () => {
    const outside = await secretaryA.get(`/api/members/${zhang.id}`);
    const missing = await secretaryA.get('/api/members/999999');
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual(missing.json());
    expect(outside.json().error.code).toBe('member.not_found');
    expect((await self.get(`/api/members/${wang.id}`)).statusCode).toBe(404);
    expect((await bureauAdmin.get(`/api/members/${zhao.id}`)).statusCode).toBe(404);
    expect((await bureauAdmin.get(`/api/members/${zhang.id}`)).statusCode).toBe(200);
  });

  it('refuses anonymous callers with 401', async () => {
    for (const url of ['/api/members', `/api/members/${wang.id}`, '/api/members/me']) {
      expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
  });

  it('lists masked personal data only', async () => {
    const res = await admin.get(`/api/members?q=${encodeURIComponent('王建国')}`);
    const row = res.json().items[0];
    expect(row.idNumberMasked).toBe('3201**********1234');
    expect(row.phoneMasked).toBe('138****5678');
    expect(res.body).not.toContain(wang.idNumber);
    expect(res.body).not.toContain('13812345678');
  });
});

describe('GET /api/members — search', () => {
  const search = async (q: string, client = admin) => names(await client.get(`/api/members?q=${encodeURIComponent(q)}`));

  it('finds a name in simplified or traditional characters, by pinyin initials or full pinyin', async () => {
    expect(await search('王建国')).toEqual(['王建國']);
    expect(await search('王建國')).toEqual(['王建國']);
    expect(await search('張偉')).toEqual(['张伟']);
    expect(await search('wjg')).toEqual(['王建國']);
    expect(await search('wj')).toEqual(['王建國']);
    expect(await search('jg')).toEqual([]);
    expect(await search('WJG')).toEqual(['王建國']);
    expect(await search('wangjianguo')).toEqual(['王建國']);
    expect(await search('李')).toEqual(['李娜']);
  });

  it('finds by the last four digits of the ID or phone number, or the whole number', async () => {
    expect(await search('1234')).toEqual(['王建國']);
    expect(await search(li.idNumber.slice(-4))).toContain('李娜');
    expect(await search('1111')).toEqual(['李娜']);
    expect(await search('13812345678')).toEqual(['王建國']);
    expect(await search(wang.idNumber)).toEqual(['王建國']);
    expect(await search('13800000000')).toEqual([]);
  });

  it('searches only within the scope', async () => {
    expect(await search('赵敏', bureauAdmin)).toEqual([]);
    expect(await search('zm', admin)).toEqual(['赵敏']);
  });

  it('treats LIKE wildcards in the term literally', async () => {
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
  });
});

describe('GET /api/members — filters, sorting, paging', () => {
  it('filters by org subtree, stage, gender, education, join dates and age', async () => {
    expect(sorted(ids(await admin.get(`/api/members?orgId=${bureau.id}`)))).toEqual(sorted([wang.id, li.id, zhang.id]));
    expect(sorted(ids(await admin.get(`/api/members?orgId=${branchB.id}`)))).toEqual([zhang.id]);
    expect(ids(await secretaryA.get(`/api/members?orgId=${branchB.id}`))).toEqual([]);
    expect(sorted(ids(await admin.get('/api/members?stage=probationary,full')))).toEqual(sorted([wang.id, li.id, zhao.id]));
    expect(ids(await admin.get('/api/members?stage=activist'))).toEqual([zhang.id]);
    expect(sorted(ids(await admin.get('/api/members?gender=female')))).toEqual(sorted([li.id, zhao.id]));
    expect(sorted(ids(await admin.get(`/api/members?education=${encodeURIComponent('大学本科')}`)))).toEqual(sorted([wang.id, zhao.id]));
    expect(ids(await admin.get('/api/members?joinedFrom=2008-01-01&joinedTo=2008-12-31'))).toEqual([wang.id]);
    const ageOfWang = new Date().getUTCFullYear() - 1985 - 1; // born 1985-03-xx: at least this old
    expect(ids(await admin.get(`/api/members?ageMin=${ageOfWang - 1}&ageMax=${ageOfWang + 1}`))).toEqual([wang.id]);
    expect(ids(await admin.get('/api/members?ageMin=50'))).toEqual([zhao.id]);
  });

  it('sorts by pinyin of the name, by join date, by birth date, with totals and pages', async () => {
    expect(names(await admin.get('/api/members'))).toEqual(['李娜', '王建國', '张伟', '赵敏']);
    expect(names(await admin.get('/api/members?order=desc'))).toEqual(['赵敏', '张伟', '王建國', '李娜']);
    expect(names(await admin.get('/api/members?sort=joinedOn'))).toEqual(['王建國', '赵敏', '李娜', '张伟']);
    expect(names(await admin.get('/api/members?sort=birthDate&order=desc'))).toEqual(['张伟', '李娜', '王建國', '赵敏']);
    const page2 = (await admin.get('/api/members?pageSize=3&page=2')).json();
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.items.map((m: { name: string }) => m.name)).toEqual(['赵敏']);
    expect((await bureauAdmin.get('/api/members?pageSize=1')).json().total).toBe(3);
  });

  it.each([
    ['page beyond the first 10,000 rows', 'page=501&pageSize=20', 'page', '最多可翻阅前 10000 条'],
    ['unknown stage', 'stage=full,boss', 'stage', '发展阶段应为'],
    ['bad join date', 'joinedFrom=2020-02-30', 'joinedFrom', '日期格式应为 YYYY-MM-DD'],
    ['reversed join dates', 'joinedFrom=2021-01-01&joinedTo=2020-01-01', 'joinedTo', '范围的结束值不能小于开始值'],
    ['reversed ages', 'ageMin=50&ageMax=40', 'ageMax', '范围的结束值不能小于开始值'],
    ['non-numeric age', 'ageMin=old', 'ageMin', '类型不正确'],
    ['unknown sort', 'sort=salary', 'sort', '必须是以下之一'],
    ['bad org id', 'orgId=abc', 'orgId', '编号格式不正确'],
    ['overlong search', `q=${'a'.repeat(51)}`, 'q', '不能超过 50 个字符'],
  ])('answers 400 for %s', async (_case, query, field, message) => {
    const res = await admin.get(`/api/members?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
  });
});

describe('GET /api/members/:id', () => {
  it('shows the record masked, with its pipeline history and what the viewer may do', async () => {
    const res = await secretaryA.get(`/api/members/${wang.id}`);
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m).toMatchObject({
      name: '王建國', orgName: '预算处党支部', orgPath: branchA.path, stage: 'full', birthDate: wang.idNumber.slice(6, 10) + '-' + wang.idNumber.slice(10, 12) + '-' + wang.idNumber.slice(12, 14),
      idNumberMasked: '3201**********1234', phoneMasked: '138****5678', canManage: true, canReveal: true, nextStage: null, ethnicity: '汉族',
    });
    expect(m.stageHistory.map((e: { stage: string; occurredOn: string }) => [e.stage, e.occurredOn])).toEqual([
      ['applicant', '2006-03-01'], ['activist', '2006-09-01'], ['candidate', '2007-09-10'], ['probationary', '2008-07-01'], ['full', '2009-07-01'],
    ]);
    expect(res.body).not.toContain(wang.idNumber);
  });

  it('lets a member see their own record, revealable but not manageable', async () => {
    const res = await self.get(`/api/members/${li.id}`);
    expect(res.json()).toMatchObject({ name: '李娜', canManage: false, canReveal: true, nextStage: 'full', nextStageEarliest: addYears(liJoinedOn, 1) });
  });
});

describe('POST /api/members', () => {
  it('creates a member with encrypted personal data, a blind index, masks and an audit entry', async () => {
    const id = idNumber('19860101');
    const res = await secretaryA.post('/api/members', fullMember(branchA, { name: '孙丽', gender: 'female', idNumber: id.toLowerCase(), phone: '+86 139-1234-5678' }));
    expect(res.statusCode).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({ name: '孙丽', orgId: branchA.id, phoneMasked: '139****5678', birthDate: `1986-01-${id.slice(12, 14)}` });
    const raw = (await ctx.database.db.execute<{ row: string } & Record<string, unknown>>(sql`select row_to_json(m)::text as row from members m where id = ${m.id}`)).rows[0]!.row;
    expect(raw).not.toContain(id);
    expect(raw).not.toContain('13912345678');
    expect(raw).not.toContain('12345678');
    const stored = (await ctx.database.db.execute<{ id_number_enc: string; id_number_hash: string; id_number_last4: string } & Record<string, unknown>>(
      sql`select id_number_enc, id_number_hash, id_number_last4 from members where id = ${m.id}`)).rows[0]!;
    expect(stored.id_number_enc).toMatch(/^v1\./);
    expect(stored.id_number_hash).toHaveLength(43);
    expect(stored.id_number_last4).toBe(id.slice(-4));
    const log = (await ctx.database.db.execute<{ action: string; org_path: string; detail: unknown } & Record<string, unknown>>(
      sql`select action, org_path::text, detail::text as detail from audit_log where target_type = 'member' and target_id = ${m.id}`)).rows;
    expect(log.map((l) => [l.action, l.org_path])).toEqual([['member.create', branchA.path]]);
    expect(String(log[0]!.detail)).not.toContain(id);
  });

  it('reads the birth date from the ID number when none is given', async () => {
    const res = await admin.post('/api/members', fullMember(branchB, { name: '周杰', idNumber: idNumber('19870304') }));
    expect(res.json().birthDate).toBe('1987-03-04');
  });

  it('refuses an ID number already on a roll, naming the field, and creates nothing', async () => {
    const before = await countRows(ctx.database.db, 'members');
    const inScope = await secretaryA.post('/api/members', fullMember(branchA, { idNumber: wang.idNumber }));
    expect(inScope.statusCode).toBe(409);
    expect(inScope.json().error.fields.idNumber).toBe('该身份证号已登记为“王建國”（预算处党支部）');
    const elsewhere = await secretaryA.post('/api/members', fullMember(branchA, { idNumber: zhao.idNumber }));
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().error.fields.idNumber).toContain('已登记在其他党组织');
    expect(elsewhere.body).not.toContain('赵敏');
    expect(await countRows(ctx.database.db, 'members')).toBe(before);
  });

  it.each([
    ['an org outside the scope', () => ({ orgId: branchB.id }), 'orgId', '党组织不存在或不在您的管理范围内'],
    ['a party group as the org', () => ({ orgId: group.id }), 'orgId', '“党小组”不直接管理党员'],
    ['a missing org', () => ({ orgId: '999999' }), 'orgId', '党组织不存在'],
  ])('refuses %s on the field orgId', async (_case, body, field, message) => {
    const before = await countRows(ctx.database.db, 'members');
    const res = await secretaryA.post('/api/members', fullMember(branchA, body()));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await countRows(ctx.database.db, 'members')).toBe(before);
  });

  it('refuses the work committee itself as the org', async () => {
    const res = await admin.post('/api/members', fullMember(root));
    expect(res.json().error.fields.orgId).toBe('“机关工委”不直接管理党员，请选择党支部或党委');
  });

  const future = addYears(todayInChina(), 1);
  it.each([
    ['missing name', { name: undefined }, 'name', '必填'],
    ['name of wrong type', { name: 12 }, 'name', '类型不正确，应为文本'],
    ['empty name', { name: '  ' }, 'name', '不能为空'],
    ['name too long', { name: '党'.repeat(51) }, 'name', '不能超过 50 个字符'],
    ['missing gender', { gender: undefined }, 'gender', '必填'],
    ['unknown gender', { gender: 'x' }, 'gender', '必须是以下之一'],
    ['ethnicity too long', { ethnicity: '族'.repeat(21) }, 'ethnicity', '不能超过 20 个字符'],
    ['missing ID number', { idNumber: undefined }, 'idNumber', '必填'],
    ['ID number of wrong type', { idNumber: 32010219880512 }, 'idNumber', '类型不正确，应为文本'],
    ['ID number with a wrong check digit', { idNumber: '320102198805121230' }, 'idNumber', '身份证号校验位不正确'],
    ['ID number too short', { idNumber: '32010219880512' }, 'idNumber', '身份证号应为 18 位'],
    ['ID number too long', { idNumber: '3201021988051212345' }, 'idNumber', '身份证号应为 18 位'],
    ['ID number with an impossible birth date', { idNumber: withIdCheckDigit('32010219880231123') }, 'idNumber', '出生日期无效'],
    ['phone that is not a mobile number', { phone: '02512345678' }, 'phone', '手机号应为 11 位大陆手机号码'],
    ['phone of wrong type', { phone: 13812345678 }, 'phone', '类型不正确'],
    ['unknown education', { education: '博士后' }, 'education', '必须是以下之一'],
    ['work unit too long', { workUnit: '单'.repeat(101) }, 'workUnit', '不能超过 100 个字符'],
    ['post too long', { post: '职'.repeat(51) }, 'post', '不能超过 50 个字符'],
    ['residence community too long', { residenceCommunity: '社'.repeat(101) }, 'residenceCommunity', '不能超过 100 个字符'],
    ['missing stage', { stage: undefined }, 'stage', '必填'],
    ['unknown stage', { stage: 'leader' }, 'stage', '必须是以下之一'],
    ['bad date', { joinedOn: '2010-13-01' }, 'joinedOn', '日期格式应为 YYYY-MM-DD'],
    ['date of wrong type', { joinedOn: 20100701 }, 'joinedOn', '类型不正确'],
    ['birth date not matching the ID number', { birthDate: '1988-05-13' }, 'birthDate', '出生日期与身份证号不一致'],
    ['full member without a conversion date', { convertedOn: null }, 'convertedOn', '当前发展阶段须填写此日期'],
    ['full member without a join date', { joinedOn: null }, 'joinedOn', '当前发展阶段须填写此日期'],
    ['conversion before a year of probation', { convertedOn: '2011-06-30' }, 'convertedOn', '预备期为一年，期满方可转正'],
    ['candidate before a year as activist', { candidateOn: '2009-08-31' }, 'candidateOn', '一年以上培养考察'],
    ['steps out of order', { activistOn: '2008-02-01' }, 'activistOn', '不能早于上一发展阶段的日期'],
    ['a date of a stage not reached', { stage: 'activist', candidateOn: '2009-09-10', joinedOn: null, convertedOn: null }, 'candidateOn', '尚未到达该发展阶段'],
    ['a date in the future', { stage: 'applicant', appliedOn: future, activistOn: null, candidateOn: null, joinedOn: null, convertedOn: null }, 'appliedOn', '不能晚于今天'],
    ['an application before 18', { idNumber: idNumber('19950101'), stage: 'applicant', appliedOn: '2012-12-31', activistOn: null, candidateOn: null, joinedOn: null, convertedOn: null }, 'appliedOn', '年满十八周岁'],
    ['unknown field', { points: 5 }, 'points', '不支持的字段'],
  ])('answers 400 for %s and changes nothing', async (_case, fields, field, message) => {
    const before = await countRows(ctx.database.db, 'members');
    const res = await admin.post('/api/members', fullMember(branchA, fields));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await countRows(ctx.database.db, 'members')).toBe(before);
  });

  it('answers in English with Accept-Language: en', async () => {
    const res = await admin.post('/api/members', fullMember(branchA, { idNumber: '320102198805121230' }), { 'accept-language': 'en' });
    expect(res.json().error.fields.idNumber).toBe('The ID number check digit is wrong; please check the number');
  });

  it('refuses a plain member and a write without the CSRF token', async () => {
    const before = await countRows(ctx.database.db, 'members');
    expect((await self.post('/api/members', fullMember(branchA))).statusCode).toBe(400);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/members', headers: { cookie: admin.cookie }, payload: fullMember(branchA) });
    expect(res.statusCode).toBe(403);
    expect(await countRows(ctx.database.db, 'members')).toBe(before);
  });
});

describe('PATCH /api/members/:id', () => {
  it('edits a member of a managed org and keeps search, masks and history in step', async () => {
    const m = await create(admin, fullMember(branchA, { name: '钱多多', idNumber: idNumber('19800202') }));
    const newId = idNumber('19810303');
    const res = await secretaryA.patch(`/api/members/${m.id}`, { name: '錢多多', idNumber: newId, phone: '13700001234', candidateOn: '2009-09-20', post: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '錢多多', birthDate: '1981-03-03', phoneMasked: '137****1234', candidateOn: '2009-09-20', post: null });
    expect(res.json().stageHistory.find((e: { stage: string }) => e.stage === 'candidate').occurredOn).toBe('2009-09-20');
    expect(names(await admin.get(`/api/members?q=${encodeURIComponent('钱多多')}`))).toEqual(['錢多多']);
    expect(ids(await admin.get(`/api/members?q=${newId}`))).toEqual([m.id]);
    const log = await ctx.database.db.execute<{ detail: string } & Record<string, unknown>>(sql`select detail::text as detail from audit_log where action = 'member.update' and target_id = ${m.id}`);
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]!.detail).not.toContain(newId);
  });

  it('answers 404 outside the scope and 403 to a member editing their own record here', async () => {
    expect((await secretaryA.patch(`/api/members/${zhang.id}`, { post: '科员' })).statusCode).toBe(404);
    const own = await self.patch(`/api/members/${li.id}`, { post: '科员' });
    expect(own.statusCode).toBe(403);
    expect((await admin.get(`/api/members/${li.id}`)).json().post).toBeNull();
  });

  it.each([
    ['name too long', { name: '党'.repeat(51) }, 'name', '不能超过 50 个字符'],
    ['name of wrong type', { name: [] }, 'name', '类型不正确'],
    ['bad ID checksum', { idNumber: '320102198805121230' }, 'idNumber', '身份证号校验位不正确'],
    ['bad phone', { phone: '1381234567' }, 'phone', '手机号应为 11 位大陆手机号码'],
    ['bad gender', { gender: 'm' }, 'gender', '必须是以下之一'],
    ['bad date', { joinedOn: '2008/07/01' }, 'joinedOn', '日期格式应为 YYYY-MM-DD'],
    ['a corrected date out of order', { joinedOn: '2007-01-01' }, 'joinedOn', '不能早于上一发展阶段的日期'],
    ['clearing the date of the current stage', { convertedOn: null }, 'convertedOn', '当前发展阶段须填写此日期'],
    ['a birth date not matching the ID', { birthDate: '1985-01-01' }, 'birthDate', '出生日期与身份证号不一致'],
    ['the org (a transfer)', { orgId: '1' }, 'orgId', '不支持的字段'],
    ['the stage (a pipeline step)', { stage: 'applicant' }, 'stage', '不支持的字段'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const before = (await admin.get(`/api/members/${wang.id}`)).json();
    const res = await admin.patch(`/api/members/${wang.id}`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect((await admin.get(`/api/members/${wang.id}`)).json()).toEqual(before);
  });

  it('refuses another member’s ID number with 409', async () => {
    const res = await admin.patch(`/api/members/${wang.id}`, { idNumber: zhao.idNumber });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields).toHaveProperty('idNumber');
  });
});

describe('POST /api/members/:id/stages — the development pipeline', () => {
  let applicant: Member;
  beforeAll(async () => {
    applicant = await create(admin, { orgId: branchA.id, name: '吴晓', gender: 'male', idNumber: idNumber('19960707'), stage: 'applicant', appliedOn: '2021-03-01' });
  });

  async function refused(body: Record<string, unknown>, field: string, message: string) {
    const before = (await admin.get(`/api/members/${applicant.id}`)).json();
    const events = await countRows(ctx.database.db, 'member_stage_events');
    const res = await secretaryA.post(`/api/members/${applicant.id}/stages`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toBe(message);
    expect((await admin.get(`/api/members/${applicant.id}`)).json()).toEqual(before);
    expect(await countRows(ctx.database.db, 'member_stage_events')).toBe(events);
  }

  it('refuses skipping a stage, with the reason', async () => {
    await refused({ stage: 'candidate', date: '2022-01-01' }, 'stage', '不能跳过“入党积极分子”阶段，请先办理该步骤');
  });

  it('refuses a date before the previous step or in the future', async () => {
    await refused({ stage: 'activist', date: '2021-02-28' }, 'date', '不能早于上一步“入党申请人”的日期 2021-03-01');
    await refused({ stage: 'activist', date: addYears(todayInChina(), 1) }, 'date', '不能晚于今天');
  });

  it('refuses bad input', async () => {
    await refused({ stage: 'activist' }, 'date', '必填');
    await refused({ stage: 'boss', date: '2021-09-01' }, 'stage', '必须是以下之一：applicant / activist / candidate / probationary / full');
    await refused({ stage: 'activist', date: '2021-9-1' }, 'date', '日期格式应为 YYYY-MM-DD');
    await refused({ stage: 'activist', date: '2021-09-01', note: 'x' }, 'note', '不支持的字段');
  });

  it('records each step in order, keeping the history', async () => {
    const activist = await secretaryA.post(`/api/members/${applicant.id}/stages`, { stage: 'activist', date: '2021-09-01' });
    expect(activist.statusCode).toBe(200);
    expect(activist.json()).toMatchObject({ stage: 'activist', activistOn: '2021-09-01', nextStage: 'candidate', nextStageEarliest: '2022-09-01' });
    await refused({ stage: 'candidate', date: '2022-08-31' }, 'date', '入党积极分子须经一年以上培养考察，最早可于 2022-09-01 列为发展对象');
    await refused({ stage: 'applicant', date: '2022-08-31' }, 'stage', '不能从“入党积极分子”退回到“入党申请人”');
    await refused({ stage: 'activist', date: '2022-08-31' }, 'stage', '已处于“入党积极分子”阶段');
    expect((await secretaryA.post(`/api/members/${applicant.id}/stages`, { stage: 'candidate', date: '2022-09-01' })).statusCode).toBe(200);
    const joined = await secretaryA.post(`/api/members/${applicant.id}/stages`, { stage: 'probationary', date: '2023-07-01' });
    expect(joined.json()).toMatchObject({ stage: 'probationary', joinedOn: '2023-07-01', nextStageEarliest: '2024-07-01' });
    await refused({ stage: 'full', date: '2024-06-30' }, 'date', '预备期未满一年，最早可于 2024-07-01 转正');
    const converted = await secretaryA.post(`/api/members/${applicant.id}/stages`, { stage: 'full', date: '2024-07-01' });
    expect(converted.json()).toMatchObject({ stage: 'full', convertedOn: '2024-07-01', nextStage: null });
    expect(converted.json().stageHistory.map((e: { stage: string }) => e.stage)).toEqual(['applicant', 'activist', 'candidate', 'probationary', 'full']);
    const audits = await ctx.database.db.execute(sql`select 1 from audit_log where action = 'member.advance_stage' and target_id = ${applicant.id}`);
    expect(audits.rows).toHaveLength(4);
    await refused({ stage: 'full', date: '2024-08-01' }, 'stage', '已处于“正式党员”阶段');
  });

  it('answers 404 outside the scope and 403 to the member themself', async () => {
    expect((await secretaryA.post(`/api/members/${zhang.id}/stages`, { stage: 'candidate', date: '2023-09-01' })).statusCode).toBe(404);
    expect((await self.post(`/api/members/${li.id}/stages`, { stage: 'full', date: todayInChina() })).statusCode).toBe(403);
  });
});

describe('POST /api/members/:id/reveal', () => {
  const reveals = async (id: string) => (await ctx.database.db.execute<{ action: string; username: string; org_path: string } & Record<string, unknown>>(
    sql`select action, username, org_path::text from audit_log where action like 'member.reveal%' and target_id = ${id} order by id`)).rows;

  it('shows an admin the real numbers, auditing each look with the org path', async () => {
    const idRes = await secretaryA.post(`/api/members/${wang.id}/reveal`, { field: 'idNumber' });
    expect(idRes.statusCode).toBe(200);
    expect(idRes.json()).toEqual({ value: wang.idNumber });
    expect((await bureauAdmin.post(`/api/members/${wang.id}/reveal`, { field: 'phone' })).json()).toEqual({ value: '13812345678' });
    expect((await reveals(wang.id)).map((r) => [r.action, r.org_path])).toEqual([['member.reveal_id_number', branchA.path], ['member.reveal_phone', branchA.path]]);
  });

  it('lets a member reveal their own numbers, audited too', async () => {
    expect((await self.post(`/api/members/${li.id}/reveal`, { field: 'phone' })).json()).toEqual({ value: '13900001111' });
    expect((await reveals(li.id)).map((r) => r.action)).toEqual(['member.reveal_phone']);
  });

  it('answers 404 outside the scope and audits nothing', async () => {
    const before = await countRows(ctx.database.db, 'audit_log');
    expect((await secretaryA.post(`/api/members/${zhang.id}/reveal`, { field: 'idNumber' })).statusCode).toBe(404);
    expect((await self.post(`/api/members/${wang.id}/reveal`, { field: 'idNumber' })).statusCode).toBe(404);
    expect((await noProfile.post(`/api/members/${wang.id}/reveal`, { field: 'phone' })).statusCode).toBe(404);
    expect(await countRows(ctx.database.db, 'audit_log')).toBe(before);
  });

  it('answers 400 for an unknown field', async () => {
    const res = await admin.post(`/api/members/${wang.id}/reveal`, { field: 'password' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.field).toContain('必须是以下之一');
    expect((await admin.post(`/api/members/${wang.id}/reveal`, {})).json().error.fields.field).toBe('必填');
  });
});

describe('POST /api/members/:id/leave', () => {
  it('takes a person off the roll softly: out of the list, kept for history, audited', async () => {
    const m = await create(admin, fullMember(branchB, { name: '郑老', idNumber: idNumber('19400101') }));
    const res = await bureauAdmin.post(`/api/members/${m.id}/leave`, { reason: 'deceased', date: '2024-01-15', note: '病故' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ leftOn: '2024-01-15', leftReason: 'deceased', leftNote: '病故', nextStage: null, canManage: true });
    expect(ids(await bureauAdmin.get('/api/members?pageSize=200'))).not.toContain(m.id);
    expect(ids(await bureauAdmin.get('/api/members?status=left'))).toEqual([m.id]);
    expect(ids(await bureauAdmin.get('/api/members?status=all&pageSize=200'))).toContain(m.id);
    const again = await bureauAdmin.post(`/api/members/${m.id}/leave`, { reason: 'deceased', date: '2024-01-15' });
    expect(again.statusCode).toBe(409);
    expect((await bureauAdmin.patch(`/api/members/${m.id}`, { post: 'x' })).statusCode).toBe(409);
    const audits = await ctx.database.db.execute(sql`select 1 from audit_log where action = 'member.leave' and target_id = ${m.id}`);
    expect(audits.rows).toHaveLength(1);
  });

  it.each([
    ['missing reason', { date: '2024-01-15' }, 'reason', '必填'],
    ['unknown reason', { reason: 'bored', date: '2024-01-15' }, 'reason', '必须是以下之一'],
    ['missing date', { reason: 'withdrawn' }, 'date', '必填'],
    ['a date in the future', { reason: 'withdrawn', date: addYears(todayInChina(), 1) }, 'date', '不能晚于今天'],
    ['a date before the record begins', { reason: 'withdrawn', date: '2000-01-01' }, 'date', '不能早于出生日期或入党（申请）日期'],
    ['note too long', { reason: 'withdrawn', date: '2024-01-15', note: '注'.repeat(501) }, 'note', '不能超过 500 个字符'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const res = await admin.post(`/api/members/${zhao.id}/leave`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect((await admin.get(`/api/members/${zhao.id}`)).json().leftAt).toBeNull();
  });

  it('answers 404 outside the scope', async () => {
    expect((await secretaryA.post(`/api/members/${zhao.id}/leave`, { reason: 'withdrawn', date: '2024-01-15' })).statusCode).toBe(404);
  });

  it('disables the linked account and ends its sessions in the same step, audited', async () => {
    const { db } = ctx.database;
    const m = await create(admin, fullMember(branchB, { name: '钱退', idNumber: idNumber('19760303') }));
    const account = await makeUser(db, [{ role: 'member' }], { memberId: m.id });
    const session = await login(ctx.app, account);
    expect((await session.get('/api/members/me')).statusCode).toBe(200);
    const res = await bureauAdmin.post(`/api/members/${m.id}/leave`, { reason: 'withdrawn', date: '2024-03-01' });
    expect(res.statusCode).toBe(200);
    expect((await session.get('/api/members/me')).statusCode).toBe(401);
    const relogin = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: account.password } });
    expect(relogin.statusCode).not.toBe(200);
    const row = (await db.execute<{ disabled: boolean; member_id: string; sessions: number } & Record<string, unknown>>(sql`
      select disabled_at is not null as disabled, member_id::text, (select count(*)::int from sessions where user_id = users.id) as sessions
        from users where id = ${account.id}`)).rows[0]!;
    // disabled, sessions gone, the link kept for history
    expect(row).toEqual({ disabled: true, member_id: m.id, sessions: 0 });
    const audits = await db.execute<{ detail: unknown; org_path: string } & Record<string, unknown>>(sql`
      select detail, org_path::text from audit_log where action = 'user.disable' and target_id = ${account.id}`);
    expect(audits.rows).toHaveLength(1);
    const detail = audits.rows[0]!.detail;
    expect(typeof detail === 'string' ? JSON.parse(detail) : detail).toMatchObject({ reason: 'member.leave', memberId: m.id, endedSessions: 1 });
    expect(audits.rows[0]!.org_path).toBe(m.orgPath);
  });

  it('leaves the account and its sessions alone when the leave is refused', async () => {
    const { db } = ctx.database;
    const m = await create(admin, fullMember(branchB, { name: '孙留', idNumber: idNumber('19770404') }));
    const account = await makeUser(db, [{ role: 'member' }], { memberId: m.id });
    const session = await login(ctx.app, account);
    const auditsBefore = await countRows(db, 'audit_log');
    const res = await bureauAdmin.post(`/api/members/${m.id}/leave`, { reason: 'withdrawn', date: '2000-01-01' });
    expect(res.statusCode).toBe(400);
    expect((await session.get('/api/members/me')).statusCode).toBe(200);
    expect((await db.execute(sql`select 1 from users where id = ${account.id} and disabled_at is null`)).rows).toHaveLength(1);
    expect(await countRows(db, 'audit_log')).toBe(auditsBefore);
  });

  it('refuses an admin taking themself off the roll (another admin records it)', async () => {
    const { db } = ctx.database;
    const m = await create(admin, fullMember(branchB, { name: '周书记', idNumber: idNumber('19780505') }));
    const secretary = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchB }], { memberId: m.id }));
    const res = await secretary.post(`/api/members/${m.id}/leave`, { reason: 'withdrawn', date: '2024-03-01' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toBe('不能将本人移出党员名册，请由其他管理员办理');
    expect((await secretary.get(`/api/members/${m.id}`)).json().leftAt).toBeNull();
  });
});

describe('/api/members/me — self-service', () => {
  it('shows the own record masked and lets the member update contact and work details', async () => {
    const me = await self.get('/api/members/me');
    expect(me.json()).toMatchObject({ id: li.id, phoneMasked: '139****1111', canManage: false });
    const res = await self.patch('/api/members/me', { phone: '13911112222', residenceCommunity: '和平里社区', workUnit: '市财政局' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ phoneMasked: '139****2222', residenceCommunity: '和平里社区', workUnit: '市财政局' });
    const log = await ctx.database.db.execute(sql`select 1 from audit_log where action = 'member.update_self' and target_id = ${li.id}`);
    expect(log.rows).toHaveLength(1);
  });

  it.each([
    ['the name', { name: '李娜娜' }, 'name'],
    ['the ID number', { idNumber: idNumber('19950620') }, 'idNumber'],
    ['the stage', { stage: 'full' }, 'stage'],
  ])('does not let a member change %s', async (_case, body, field) => {
    const res = await self.patch('/api/members/me', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toBe('不支持的字段');
  });

  it('answers 400 for a bad phone and 404 to a user without a member record', async () => {
    expect((await self.patch('/api/members/me', { phone: '123' })).json().error.fields.phone).toBe('手机号应为 11 位大陆手机号码');
    const none = await noProfile.get('/api/members/me');
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('member.no_profile');
  });
});

describe('insertMembers (the importer’s bulk path)', () => {
  const actorFor = (paths: string[]): Actor => ({ userId: '1', username: 'importer', displayName: 'importer', memberId: null, isPlatformAdmin: false, isJudge: false, adminPaths: paths, ip: '127.0.0.1' });
  const row = (fields: Record<string, unknown>): CreateMember => {
    const parsed = CreateMemberSchema.safeParse(fullMember(branchA, fields));
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    return parsed.data;
  };

  it('reports every problem by index and inserts nothing when any row is bad', async () => {
    const repeated = idNumber('19770707');
    const inputs = [row({ name: '甲' }), row({ name: '乙', idNumber: repeated }), row({ name: '丙', idNumber: repeated }), row({ name: '丁', idNumber: wang.idNumber }), row({ name: '戊', orgId: branchC.id })];
    const before = await countRows(ctx.database.db, 'members');
    const result = await ctx.database.db.transaction((tx) => insertMembers(tx, actorFor([bureau.path]), ctx.app.cipher, inputs));
    expect(result.inserted).toEqual([]);
    expect(result.problems.map((p) => [p.index, p.field, p.key, p.status])).toEqual([
      [2, 'idNumber', 'member.id_number_repeated', 409],
      [3, 'idNumber', 'member.id_number_taken_by', 409],
      [4, 'orgId', 'org.not_found', 400],
    ]);
    expect(result.problems[0]!.duplicateOf).toBe(1);
    expect(await countRows(ctx.database.db, 'members')).toBe(before);
  });

  it('inserts a batch in order with its pipeline history', async () => {
    const inputs = Array.from({ length: 30 }, (_, i) => row({ name: `批量${i}`, idNumber: idNumber('19790101'), orgId: i % 2 ? branchA.id : branchB.id }));
    const events = await countRows(ctx.database.db, 'member_stage_events');
    const result = await ctx.database.db.transaction((tx) => insertMembers(tx, actorFor([bureau.path]), ctx.app.cipher, inputs));
    expect(result.problems).toEqual([]);
    expect(result.inserted).toHaveLength(30);
    expect(result.inserted[1]!.orgPath).toBe(branchA.path);
    const third = (await admin.get(`/api/members/${result.inserted[3]!.id}`)).json();
    expect(third).toMatchObject({ name: '批量3', orgId: branchA.id });
    expect(await countRows(ctx.database.db, 'member_stage_events')).toBe(events + 30 * 5);
  });
});

describe('API document', () => {
  it('describes every member endpoint', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/members', '/api/members/me', '/api/members/{id}', '/api/members/{id}/reveal', '/api/members/{id}/stages', '/api/members/{id}/leave']));
    expect(paths['/api/members'].post.tags).toEqual(['members']);
  });
});

describe('ID number rule', () => {
  it('agrees with the platform check on valid and invalid numbers', () => {
    for (const id of [wang.idNumber, li.idNumber, idNumber('20000229'), '320102198805121230', '11010519491231002X', withIdCheckDigit('11010519491231002'), withIdCheckDigit('32010219000230123')]) {
      expect(idNumberProblem(id) === null).toBe(isValidIdNumber(id));
    }
  });
});
