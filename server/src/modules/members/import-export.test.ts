import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { withIdCheckDigit } from '../../platform/personal-data.js';
import { hostileWorkbooks, inlineCell } from '../../../test/xlsx-fixtures.js';
import { todayInChina } from '../../../../contracts/china-time.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherBureau: OrgFixture, otherBranch: OrgFixture;
let admin: Client, bureauAdmin: Client, secretaryA: Client, plainUser: Client;

const HEADERS = ['姓名', '性别', '民族', '出生日期', '身份证号', '手机号', '学历', '工作单位', '职务', '所在党组织', '党员类别/发展阶段',
  '申请入党日期', '确定积极分子日期', '确定发展对象日期', '入党日期', '转正日期', '居住社区'];

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  otherBranch = await makeOrg(db, otherBureau, { name: '基础教育处党支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  plainUser = await login(ctx.app, await makeUser(db, [{ role: 'member' }]));
});
afterAll(async () => ctx?.close());

// ---------- helpers ----------

let serial = 0;
const wangIdNumber = nextIdNumber();
const outsideIdNumber = nextIdNumber();
/** A valid citizen ID number, different on every call (birth dates from 1970 on). */
function nextIdNumber(): string {
  const born = new Date(Date.UTC(1970, 0, 1) + serial++ * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  return withIdCheckDigit(`110105${born}123`);
}

/** A row in the template's column order: a full member of branch A unless told otherwise. */
function memberRow(fields: Partial<Record<(typeof HEADERS)[number], string | number | Date>> = {}): (string | number | Date)[] {
  const base: Record<string, string | number | Date> = {
    姓名: `党员${serial}`, 性别: '男', 民族: '汉族', 身份证号: nextIdNumber(), 手机号: '13800000000', 学历: '大学本科',
    工作单位: '市财政局', 职务: '科员', 所在党组织: branchA.name, '党员类别/发展阶段': '正式党员', 入党日期: '2015-07-01', 转正日期: '2016-07-01', 居住社区: '和平里社区',
  };
  const row = { ...base, ...fields };
  return HEADERS.map((h) => row[h] ?? '');
}

async function xlsxOf(rows: unknown[][], headers: readonly string[] = HEADERS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('党员信息');
  sheet.addRow([...headers]);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** As Excel and WPS write large sheets: strings inline in the sheet XML, which spans many 16 KB chunks. */
async function streamedXlsxOf(rows: unknown[][]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  const sheet = writer.addWorksheet('党员信息');
  sheet.addRow(HEADERS).commit();
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await writer.commit();
  return Buffer.concat(chunks);
}

function multipart(parts: { name: string; value: string | Buffer; filename?: string }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----dj${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `Content-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const type = part.filename ? '\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : '';
    chunks.push(Buffer.from(`--${boundary}\r\n${disposition}${type}\r\n\r\n`), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(client: Client, file: Buffer | null, fields: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const parts = Object.entries(fields).map(([name, value]) => ({ name, value }));
  if (file) parts.push({ name: 'file', value: file as never, filename: '党员.xlsx' } as never);
  const body = multipart(parts);
  return ctx.app.inject({ method: 'POST', url: '/api/members/import', payload: body.payload, headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, ...body.headers } });
}

interface Job {
  id: string; status: string; progress: number; total: number;
  result: { mode: string; total: number; valid: number; imported: number; failed: number; problems: { row: number; column: string; message: string }[]; problemsTruncated: boolean; error?: string } | null;
}

async function waitForJob(client: Client, jobId: string): Promise<Job> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await client.get(`/api/members/import/${jobId}`);
    expect(res.statusCode).toBe(200);
    const job = res.json() as Job;
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function importFile(client: Client, file: Buffer, fields: Record<string, string> = {}): Promise<Job> {
  const res = await upload(client, file, fields);
  expect(res.statusCode, res.body).toBe(202);
  return waitForJob(client, res.json().jobId);
}

async function membersNamed(names: string[]): Promise<{ name: string; org_id: string }[]> {
  const r = await ctx.database.db.execute<{ name: string; org_id: string } & Record<string, unknown>>(sql`
    select name, org_id::text from members where name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)}) order by name`);
  return r.rows;
}

async function auditCount(): Promise<number> {
  return Number((await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log`)).rows[0]!.n);
}

async function lastAudit(action: string): Promise<{ detail: Record<string, unknown>; username: string; org_path: string | null } | undefined> {
  const r = await ctx.database.db.execute<{ detail: Record<string, unknown> | string; username: string; org_path: string | null } & Record<string, unknown>>(sql`
    select detail, username, org_path::text from audit_log where action = ${action} order by id desc limit 1`);
  const row = r.rows[0];
  return row && { ...row, detail: typeof row.detail === 'string' ? JSON.parse(row.detail) as Record<string, unknown> : row.detail };
}

async function readXlsx(body: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as never);
  return workbook.worksheets[0]!;
}

function sheetRows(sheet: ExcelJS.Worksheet): Record<string, string>[] {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, string>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).text])));
  });
  return rows;
}

// ---------- template ----------

describe('GET /api/members/import/template', () => {
  it('downloads a workbook whose first row is the Chinese headers, with dropdowns, an example row and a notes sheet', async () => {
    const res = await bureauAdmin.get('/api/members/import/template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('党员导入模板.xlsx')}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as never);
    const sheet = workbook.getWorksheet('党员信息')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(sheet.getCell('B2').value).toBe('男');
    expect(sheet.getCell('B3').dataValidation).toMatchObject({ type: 'list' });
    // the org dropdown offers the orgs this admin may import into, as full paths
    const options = workbook.getWorksheet('选项')!;
    const orgColumn = (options.getColumn(5).values as unknown[]).slice(2);
    expect(orgColumn).toEqual(['市直机关工委/市财政局机关党委', '市直机关工委/市财政局机关党委/预算处党支部', '市直机关工委/市财政局机关党委/国库处党支部']);
    const notes = workbook.getWorksheet('填写说明')!;
    expect((notes.getColumn(1).values as unknown[]).slice(2, 2 + HEADERS.length)).toEqual(HEADERS);
  });

  it('is refused to a user who administers no org, and to anonymous callers', async () => {
    expect((await plainUser.get('/api/members/import/template')).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/members/import/template' })).statusCode).toBe(401);
  });

  it('imports nothing from the untouched template: its example row is skipped', async () => {
    const template = (await bureauAdmin.get('/api/members/import/template')).rawPayload;
    const res = await upload(bureauAdmin, template);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('没有党员数据');
  });
});

// ---------- import ----------

describe('POST /api/members/import', () => {
  let mixedFile: Buffer;
  let goodNames: string[];

  beforeAll(async () => {
    goodNames = ['王建国', '李红梅', '赵卫东'];
    const bad = nextIdNumber();
    const badChecksum = bad.slice(0, 17) + (bad[17] === '1' ? '2' : '1');
    mixedFile = await xlsxOf([
      memberRow({ 姓名: goodNames[0], 身份证号: wangIdNumber }),
      memberRow({ 姓名: goodNames[1], 性别: '女', 学历: '硕士' }),
      memberRow({ 姓名: goodNames[2], '党员类别/发展阶段': '积极分子', 申请入党日期: '2020-03-01', 确定积极分子日期: '2020/9/1', 入党日期: '', 转正日期: '' }),
      memberRow({ 姓名: '孙错号', 身份证号: badChecksum }),
    ]);
  });

  it('in mode=all imports nothing when one row is bad, and reports exactly that row, column and reason', async () => {
    const before = await countRows(ctx.database.db, 'members');
    const job = await importFile(bureauAdmin, mixedFile);
    expect(job.status).toBe('done');
    expect(job.progress).toBe(4);
    expect(job.total).toBe(4);
    expect(job.result).toMatchObject({ mode: 'all', total: 4, valid: 3, imported: 0, failed: 1, problemsTruncated: false });
    expect(job.result!.problems).toEqual([{ row: 5, column: '身份证号', message: '身份证号校验位不正确，请核对号码' }]);
    expect(await countRows(ctx.database.db, 'members')).toBe(before);
  });

  it('in mode=valid_only imports the three good rows, in one audited step', async () => {
    const job = await importFile(bureauAdmin, mixedFile, { mode: 'valid_only' });
    expect(job.result).toMatchObject({ mode: 'valid_only', imported: 3, failed: 1 });
    expect(job.result!.problems).toEqual([{ row: 5, column: '身份证号', message: '身份证号校验位不正确，请核对号码' }]);
    expect(await membersNamed([...goodNames, '孙错号'])).toEqual([...goodNames].sort().map((name) => ({ name, org_id: branchA.id })));
    const stored = await ctx.database.db.execute<{ education: string; stage: string; activist_on: string } & Record<string, unknown>>(sql`
      select education, stage, activist_on::text from members where name in ('李红梅', '赵卫东') order by name`);
    expect(stored.rows).toEqual([
      { education: '研究生（硕士）', stage: 'full', activist_on: null },
      { education: '大学本科', stage: 'activist', activist_on: '2020-09-01' },
    ]);
    expect(await lastAudit('member.import')).toMatchObject({ detail: { mode: 'valid_only', imported: 3, failed: 1 } });
  });

  it('in mode=validate only checks: duplicates within the file and against the database are reported', async () => {
    const registered = await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`select id::text from members where name = '王建国'`);
    expect(registered.rows).toHaveLength(1);
    const twice = nextIdNumber();
    const file = await xlsxOf([
      memberRow({ 姓名: '甲', 身份证号: twice }),
      memberRow({ 姓名: '乙', 身份证号: twice }),
      // the ID number of 王建国, imported above: its row in that file was row 2
      memberRow({ 姓名: '丙', 身份证号: wangIdNumber }),
      memberRow({ 姓名: '丁' }),
    ]);
    const before = await countRows(ctx.database.db, 'members');
    const job = await importFile(bureauAdmin, file, { mode: 'validate' });
    expect(job.result).toMatchObject({ mode: 'validate', total: 4, valid: 2, imported: 0, failed: 2 });
    expect(job.result!.problems).toEqual([
      { row: 3, column: '身份证号', message: '与第 2 行的身份证号重复' },
      { row: 4, column: '身份证号', message: '该身份证号已登记为“王建国”（预算处党支部）' },
    ]);
    expect(await countRows(ctx.database.db, 'members')).toBe(before);
  });

  it('does not tell a secretary who holds a number registered outside their branch', async () => {
    const other = await importFile(admin, await xlsxOf([memberRow({ 姓名: '钱外支', 身份证号: outsideIdNumber, 所在党组织: otherBranch.name })]));
    expect(other.result!.imported).toBe(1);
    expect(await membersNamed(['钱外支'])).toEqual([{ name: '钱外支', org_id: otherBranch.id }]);
    const job = await importFile(secretaryA, await xlsxOf([memberRow({ 姓名: '钱同号', 身份证号: outsideIdNumber })]), { mode: 'validate' });
    expect(job.result!.problems).toEqual([{ row: 2, column: '身份证号', message: '该身份证号已登记在系统中，不能重复导入' }]);
  });

  it('reports, row by row, orgs outside the importer\'s scope, unknown, ambiguous or without a roll', async () => {
    const job = await importFile(secretaryA, await xlsxOf([
      memberRow({ 姓名: '周一', 所在党组织: branchA.name }),
      memberRow({ 姓名: '周二', 所在党组织: branchB.name }),
      memberRow({ 姓名: '周三', 所在党组织: otherBranch.name }),
      memberRow({ 姓名: '周四', 所在党组织: '不存在的支部' }),
      memberRow({ 姓名: '周五', 所在党组织: '市直机关工委/市财政局机关党委/预算处党支部' }),
    ]));
    expect(job.result).toMatchObject({ imported: 0, failed: 3 });
    expect(job.result!.problems).toEqual([
      { row: 3, column: '所在党组织', message: '党组织“国库处党支部”不存在或不在您的管理范围内' },
      { row: 4, column: '所在党组织', message: '党组织“基础教育处党支部”不存在或不在您的管理范围内' },
      { row: 5, column: '所在党组织', message: '党组织“不存在的支部”不存在或不在您的管理范围内' },
    ]);

    const twin = await makeOrg(ctx.database.db, otherBureau, { name: '预算处党支部' });
    const group = await makeOrg(ctx.database.db, branchA, { name: '第一党小组', type: 'group' });
    const byAdmin = await importFile(admin, await xlsxOf([
      memberRow({ 姓名: '吴一', 所在党组织: '预算处党支部' }),
      memberRow({ 姓名: '吴二', 所在党组织: '市教育局机关党委/预算处党支部' }),
      memberRow({ 姓名: '吴三', 所在党组织: group.name }),
    ]), { mode: 'valid_only' });
    expect(byAdmin.result!.problems).toEqual([
      { row: 2, column: '所在党组织', message: '有 2 个党组织名为“预算处党支部”，请填写完整路径，如“市直机关工委/市财政局机关党委/预算处党支部”' },
      { row: 4, column: '所在党组织', message: '“党小组”不直接管理党员，请选择党支部或党委' },
    ]);
    expect(await membersNamed(['吴二'])).toEqual([{ name: '吴二', org_id: twin.id }]);
  });

  it('reports every field rule of the member form, with Excel row numbers and Chinese headers', async () => {
    const job = await importFile(bureauAdmin, await xlsxOf([
      memberRow({ 姓名: '', 性别: '男性', 手机号: '12345' }),
      memberRow({ 姓名: '郑日期', 入党日期: '去年七月', 转正日期: '2015-08-01' }),
      memberRow({ 姓名: '郑阶段', '党员类别/发展阶段': '群众' }),
      memberRow({ 姓名: '郑转正', 入党日期: '2015-07-01', 转正日期: '2015-12-01' }),
      memberRow({ 姓名: '郑数字', 身份证号: Number('110105198001011234') }),
    ]), { mode: 'validate' });
    expect(job.result!.problems).toEqual([
      { row: 2, column: '姓名', message: '必填' },
      { row: 2, column: '性别', message: '应填“男”或“女”' },
      { row: 2, column: '手机号', message: '手机号应为 11 位大陆手机号码' },
      { row: 3, column: '入党日期', message: '日期无法识别，请填写 YYYY-MM-DD 格式（如 2015-07-01）' },
      { row: 4, column: '党员类别/发展阶段', message: '应为 入党申请人 / 积极分子 / 发展对象 / 预备党员 / 正式党员 之一' },
      { row: 5, column: '转正日期', message: '预备期为一年，期满方可转正' },
      { row: 6, column: '身份证号', message: '身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写' },
    ]);
  });

  it('reads Excel dates, headers in another order, and the wizard\'s default org when the sheet has no org column', async () => {
    const headers = HEADERS.filter((h) => h !== '所在党组织').reverse();
    const rows = [memberRow({ 姓名: '冯默认', 入党日期: new Date(Date.UTC(2015, 6, 1)), 转正日期: new Date(Date.UTC(2016, 6, 1)) })];
    const file = await xlsxOf(rows.map((r) => headers.map((h) => r[HEADERS.indexOf(h)])), headers);
    const job = await importFile(bureauAdmin, file, { orgId: branchB.id });
    expect(job.result).toMatchObject({ imported: 1, failed: 0 });
    const stored = await ctx.database.db.execute<{ org_id: string; joined_on: string } & Record<string, unknown>>(sql`
      select org_id::text, joined_on::text from members where name = '冯默认'`);
    expect(stored.rows).toEqual([{ org_id: branchB.id, joined_on: '2015-07-01' }]);
  });

  it('reads the sheet shown first, skipping hidden ones, whatever order the file stores its sheets in', async () => {
    const workbook = new ExcelJS.Workbook();
    const notes = workbook.addWorksheet('说明'); // stored first, as sheet1.xml
    notes.addRow(['请在“党员信息”工作表中填写']);
    const hidden = workbook.addWorksheet('下拉选项', { state: 'hidden' });
    hidden.addRow(['正式党员']);
    const data = workbook.addWorksheet('党员信息');
    data.addRow(HEADERS);
    data.addRow(memberRow({ 姓名: '冯首表' }));
    // the tabs as Excel shows them after the user dragged the data sheet to the front (orderNo: not in exceljs's typings)
    [hidden, data, notes].forEach((sheet, i) => { (sheet as unknown as { orderNo: number }).orderNo = i; });
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    for (let i = 0; i < 5; i++) {
      const job = await importFile(bureauAdmin, file, { mode: 'validate' });
      expect(job.result).toMatchObject({ valid: 1, failed: 0, problems: [] });
    }
  });

  it('keeps the progress of a larger file up to its total', async () => {
    const rows = Array.from({ length: 2_345 }, (_, i) => memberRow({ 姓名: `批量${i}`, 所在党组织: i % 2 ? branchA.name : branchB.name, 职务: '预算处综合科副科长', 工作单位: '市财政局' }));
    const job = await importFile(bureauAdmin, await streamedXlsxOf(rows));
    expect(job).toMatchObject({ status: 'done', progress: 2_345, total: 2_345 });
    expect(job.result).toMatchObject({ imported: 2_345, failed: 0 });
    // every Chinese character intact (exceljs's streaming reader splits UTF-8 across 16 KB chunks)
    const names = await ctx.database.db.execute<{ name: string; work_unit: string; residence_community: string } & Record<string, unknown>>(sql`
      select name, work_unit, residence_community from members where name like '批量%'`);
    expect(names.rows.map((r) => r.name).sort()).toEqual(rows.map((r) => r[0]).sort());
    expect(names.rows.filter((r) => r.work_unit !== '市财政局' || r.residence_community !== '和平里社区')).toEqual([]);
  });

  it.each([
    ['no file', null, {}, 400, 'file', '请选择要导入的 Excel 文件'],
    ['a text file', Buffer.from('姓名,性别\n张三,男\n'), {}, 400, null, '不是有效的 Excel 文件'],
    ['an old .xls file', Buffer.from('d0cf11e0a1b11ae1000000000000000000', 'hex'), {}, 400, null, '不支持旧版 .xls 文件'],
    ['a damaged zip', Buffer.concat([Buffer.from('504b0304', 'hex'), crypto.randomBytes(2000)]), {}, 400, null, '不是有效的 Excel 文件'],
    ['an unknown mode', 'good', { mode: 'everything' }, 400, 'mode', '必须是以下之一'],
    ['an unknown field', 'good', { points: '5' }, 400, 'points', '不支持的字段'],
    ['a default org outside the scope', 'good', { orgId: 'outside' }, 400, 'orgId', '党组织不存在或不在您的管理范围内'],
  ] as const)('answers 400 for %s and starts no job', async (_case, file, fields, status, field, message) => {
    const jobs = await countRows(ctx.database.db, 'jobs');
    const body = file === 'good' ? await xlsxOf([memberRow()]) : file;
    const res = await upload(secretaryA, body, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === 'outside' ? otherBranch.id : v])));
    expect(res.statusCode).toBe(status);
    if (field) expect(res.json().error.fields[field]).toContain(message);
    else expect(res.json().error.message).toContain(message);
    expect(await countRows(ctx.database.db, 'jobs')).toBe(jobs);
  });

  it('answers 400 for a sheet with headers only, or with the wrong headers', async () => {
    const empty = await upload(bureauAdmin, await xlsxOf([]));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('没有党员数据');
    const wrong = await upload(bureauAdmin, await xlsxOf([['张三', '男']], ['名字', '性别', '民族']));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toBe('表头缺少以下列：“姓名”、“身份证号”、“党员类别/发展阶段”。请下载最新导入模板填写');
    const foreign = await upload(bureauAdmin, await xlsxOf([['1', '2']], ['产品', '价格']));
    expect(foreign.json().error.message).toContain('第一行不是党员导入模板的表头');
  });

  it('answers 413 for a file over 10 MB', async () => {
    const res = await upload(bureauAdmin, Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(10 * 1024 * 1024 + 10)]));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
  });

  it('answers 400 for more than 50,000 rows', async () => {
    const row = memberRow();
    const res = await upload(bureauAdmin, await streamedXlsxOf(Array.from({ length: 50_001 }, () => row)));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('一次最多导入 50000 行');
  }, 60_000);

  it('is refused to users who administer nothing (403) and to anonymous callers (401)', async () => {
    expect((await upload(plainUser, await xlsxOf([memberRow()]))).statusCode).toBe(403);
    const body = multipart([{ name: 'file', value: await xlsxOf([memberRow()]), filename: 'a.xlsx' }]);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/members/import', payload: body.payload, headers: body.headers })).statusCode).toBe(401);
  });
});

describe('POST /api/members/import with a hostile file (issue #19)', () => {
  const headerRow = HEADERS.map((h, i) => inlineCell(`${String.fromCharCode(65 + i)}1`, h)).join('');
  const importTempFiles = () => new Set(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('dangjian-import-')));
  /** Temporary files of this test's uploads still there after `ms` (others' jobs delete theirs meanwhile). */
  async function leftoverTempFiles(before: Set<string>, ms = 0): Promise<string[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const left = [...importTempFiles()].filter((name) => !before.has(name));
      if (left.length === 0 || Date.now() >= deadline) return left;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it.each([
    ['one cell of 400 MB', 'secretary', hostileWorkbooks.hugeCell, '单元格内容超过 32767 字'],
    ['1 GB of shared strings', 'secretary', hostileWorkbooks.hugeSharedStrings, '文件中的文字（共享字符串）解压后超过 64 MB'],
    ['a million empty rows', 'admin', hostileWorkbooks.millionEmptyRows, '工作表行数超过 100000 行'],
    ['a zip bomb (2 KB declared, 1 GB inflated)', 'admin', hostileWorkbooks.zipBomb, '文件解压后超过 200 MB'],
  ] as const)('answers 400 naming the limit for %s, within seconds, leaving no temporary file and the server answering', async (_case, who, craft, message) => {
    const jobs = await countRows(ctx.database.db, 'jobs');
    const before = importTempFiles();
    const started = Date.now();
    const res = await upload(who === 'admin' ? admin : secretaryA, craft(headerRow));
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields.file).toContain(message);
    expect(await countRows(ctx.database.db, 'jobs')).toBe(jobs);
    expect(await leftoverTempFiles(before)).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('leaves no temporary file when the client hangs up during the upload or while the file is being checked', async () => {
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const send = (body: { payload: Buffer; headers: Record<string, string> }, bytes: number) => new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /api/members/import HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${secretaryA.cookie}\r\nX-CSRF-Token: ${secretaryA.csrfToken}\r\n`
          + `Content-Type: ${body.headers['content-type']}\r\nContent-Length: ${body.payload.length}\r\n\r\n`);
        socket.write(body.payload.subarray(0, bytes), () => setTimeout(() => { socket.destroy(); resolve(); }, 300));
      });
    });
    const before = importTempFiles();
    const slow = multipart([{ name: 'file', value: hostileWorkbooks.zipBomb(headerRow), filename: '党员.xlsx' }]);
    await send(slow, slow.payload.length / 2);
    await send(slow, slow.payload.length);
    expect(await leftoverTempFiles(before, 10_000)).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });
});

describe('GET /api/members/import/:jobId', () => {
  it('answers the creator and platform admins; 404 for anyone else and for missing jobs', async () => {
    const res = await upload(secretaryA, await xlsxOf([memberRow()]), { mode: 'validate' });
    expect(res.statusCode, res.body).toBe(202);
    const { jobId } = res.json() as { jobId: string };
    await waitForJob(secretaryA, jobId);
    expect((await admin.get(`/api/members/import/${jobId}`)).statusCode).toBe(200);
    const foreign = await bureauAdmin.get(`/api/members/import/${jobId}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual((await bureauAdmin.get('/api/members/import/987654321')).json());
    expect((await secretaryA.get('/api/members/import/abc')).statusCode).toBe(400);
  });

  it('answers a job whose process died as failed, with the reason, instead of running forever', async () => {
    const res = await upload(secretaryA, await xlsxOf([memberRow()]), { mode: 'validate' });
    expect(res.statusCode, res.body).toBe(202);
    const { jobId } = res.json() as { jobId: string };
    await waitForJob(secretaryA, jobId);
    await ctx.database.db.execute(sql`update jobs set status = 'running', result = null, updated_at = now() - interval '2 hours' where id = ${jobId}`);
    const job = (await secretaryA.get(`/api/members/import/${jobId}`)).json() as Job;
    expect(job.status).toBe('failed');
    expect(job.result!.error).toBe('导入任务因服务重启而中断，请重新上传');
  });
});

// ---------- export ----------

describe('GET /api/members/export', () => {
  it('streams exactly the filtered rows, with masked ID numbers, and audits the export', async () => {
    const res = await admin.get(`/api/members/export?orgId=${branchA.id}&stage=full`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const today = todayInChina().replace(/-/g, '');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="members.xlsx"; filename*=UTF-8''${encodeURIComponent(`党员名册-${today}.xlsx`)}`);
    const rows = sheetRows(await readXlsx(res.rawPayload));
    const expected = await ctx.database.db.execute<{ name: string; id_number_masked: string } & Record<string, unknown>>(sql`
      select name, id_number_masked from members where org_path <@ ${branchA.path}::ltree and stage = 'full' and left_at is null order by name_sort, id`);
    expect(expected.rows.length).toBeGreaterThan(1_000);
    expect(rows.map((r) => r['姓名'])).toEqual(expected.rows.map((r) => r.name));
    expect(rows.map((r) => r['身份证号'])).toEqual(expected.rows.map((r) => r.id_number_masked));
    expect(rows.every((r) => /^\d{4}\*{10}[\dX]{4}$/.test(r['身份证号']!))).toBe(true);
    expect(new Set(rows.map((r) => r['所在党组织']))).toEqual(new Set(['市直机关工委/市财政局机关党委/预算处党支部']));
    expect(await lastAudit('member.export')).toMatchObject({ detail: { filters: { orgId: branchA.id, stage: ['full'] }, rowCount: expected.rows.length, revealed: false } });
  });

  it('keeps every row across keyset batches of a long roll, once each', async () => {
    const res = await bureauAdmin.get('/api/members/export');
    const rows = sheetRows(await readXlsx(res.rawPayload));
    const total = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`
      select count(*)::int as n from members where org_path <@ ${bureau.path}::ltree and left_at is null`);
    expect(total.rows[0]!.n).toBeGreaterThan(2_345);
    expect(rows).toHaveLength(total.rows[0]!.n);
    expect(new Set(rows.map((r) => r['姓名'])).size).toBe(rows.length);
  });

  it('exports full numbers with reveal=1 and a reason to the admins of the rows, audited with the reason and row count', async () => {
    const before = await auditCount();
    const reason = '报送上级党委换届选举材料';
    const res = await secretaryA.get(`/api/members/export?reveal=1&reason=${encodeURIComponent(reason)}&q=${encodeURIComponent('王建国')}`);
    expect(res.statusCode).toBe(200);
    const rows = sheetRows(await readXlsx(res.rawPayload));
    expect(rows.map((r) => r['身份证号'])).toEqual([wangIdNumber]);
    expect(rows[0]!['手机号']).toBe('13800000000');
    expect(await auditCount()).toBe(before + 1);
    expect(await lastAudit('member.export_full_id')).toMatchObject({ org_path: branchA.path, detail: { rowCount: 1, fullIdRows: 1, revealed: true, reason } });
  });

  it('lets a platform admin and the admin of a parent org export a branch in full', async () => {
    for (const client of [admin, bureauAdmin]) {
      const res = await client.get(`/api/members/export?reveal=1&reason=${encodeURIComponent('核对党员信息')}&orgId=${branchA.id}&q=${encodeURIComponent('王建国')}`);
      expect(res.statusCode).toBe(200);
      expect(sheetRows(await readXlsx(res.rawPayload)).map((r) => r['身份证号'])).toEqual([wangIdNumber]);
      expect(await lastAudit('member.export_full_id')).toMatchObject({ detail: { rowCount: 1, fullIdRows: 1, reason: '核对党员信息', filters: { orgId: branchA.id } } });
    }
  });

  it('refuses full numbers without a reason (400 naming reason) and writes nothing to the log', async () => {
    const before = await auditCount();
    for (const query of ['reveal=1', 'reveal=1&reason=', `reveal=1&reason=${encodeURIComponent('   ')}`]) {
      const res = await secretaryA.get(`/api/members/export?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.fields.reason).toBe('导出完整身份证号须填写理由（reason）');
    }
    const long = await secretaryA.get(`/api/members/export?reveal=1&reason=${'理'.repeat(201)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().error.fields.reason).toContain('200');
    expect(await auditCount()).toBe(before);
  });

  it('refuses full numbers (403) to an admin of another org and to a user who administers nothing, logging nothing', async () => {
    const before = await auditCount();
    const reason = encodeURIComponent('核对');
    const sideways = await secretaryA.get(`/api/members/export?reveal=1&reason=${reason}&orgId=${branchB.id}`);
    expect(sideways.statusCode).toBe(403);
    expect(sideways.json().error.message).toContain('导出完整身份证号');
    expect((await secretaryA.get(`/api/members/export?reveal=1&reason=${reason}&orgId=${bureau.id}`)).statusCode).toBe(403);
    expect((await bureauAdmin.get(`/api/members/export?reveal=1&reason=${reason}&orgId=${otherBranch.id}`)).statusCode).toBe(403);
    expect((await plainUser.get(`/api/members/export?reveal=1&reason=${reason}`)).statusCode).toBe(403);
    expect(await auditCount()).toBe(before);
  });

  it('keeps a row masked even with reveal=1 when the viewer does not administer its org', async () => {
    // a secretary of branch A who is themself on the roll of branch B sees their own row, masked in an export
    const own = (await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`select id::text from members where name = '冯默认'`)).rows[0]!;
    const secretary = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'org_admin', org: branchA }], { memberId: own.id }));
    const rows = sheetRows(await readXlsx((await secretary.get(`/api/members/export?reveal=1&reason=${encodeURIComponent('核对')}&q=${encodeURIComponent('冯默认')}`)).rawPayload));
    expect(rows.map((r) => r['身份证号'])).toHaveLength(1);
    expect(rows[0]!['身份证号']).toMatch(/\*{10}/);
  });

  it("gives a secretary no member outside their branch", async () => {
    const rows = sheetRows(await readXlsx((await secretaryA.get('/api/members/export')).rawPayload));
    const inBranch = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`
      select count(*)::int as n from members where org_path <@ ${branchA.path}::ltree and left_at is null`);
    expect(inBranch.rows[0]!.n).toBeGreaterThan(1_000);
    expect(rows).toHaveLength(inBranch.rows[0]!.n);
    expect(new Set(rows.map((r) => r['所在党组织']))).toEqual(new Set(['市直机关工委/市财政局机关党委/预算处党支部']));
    expect(rows.map((r) => r['姓名'])).not.toContain('钱外支');
    expect(await lastAudit('member.export')).toMatchObject({ org_path: branchA.path, detail: { rowCount: rows.length, revealed: false } });
  });

  it('answers 400 for a bad filter, 403 to a user who administers nothing and 401 to anonymous callers', async () => {
    const bad = await admin.get('/api/members/export?reveal=yes');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.reveal).toContain('必须是以下之一');
    expect((await plainUser.get('/api/members/export')).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/members/export' })).statusCode).toBe(401);
  });
});
