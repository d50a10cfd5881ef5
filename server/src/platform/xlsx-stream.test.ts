import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../test/harness.js';
import { exportStreams, streamSheet } from './xlsx-stream.js';

/**
 * The streamed exports (党员名册, 每日答题记录, 出勤记录) through the real HTTP layer: the workbook opens
 * with exceljs and holds the rows the lists show; an outsider gets 404, a bad period a Chinese
 * message on its field; and a download abandoned after its first bytes stops the export — no more
 * batches fetched, the pooled connections back, nothing logged as failed.
 */
let ctx: TestContext;
let root: OrgFixture, district: OrgFixture, branchA: OrgFixture, crowd: OrgFixture, otherDistrict: OrgFixture;
let districtAdmin: Client, outsider: Client;
let activityId: string;
const ROLL = 20_000;

async function sheetOf(payload: Buffer): Promise<Record<string, string | number | null>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(payload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const headers = (sheet.getRow(1).values as (string | undefined)[]).slice(1);
  const rows: Record<string, string | number | null>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as (string | number | null | undefined)[]).slice(1);
    rows.push(Object.fromEntries(headers.map((h, i) => [h!, values[i] ?? null])));
  });
  return rows;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  district = await makeOrg(db, root, { name: '市财政局机关党委', type: 'party_committee' });
  branchA = await makeOrg(db, district, { name: '预算处党支部' });
  crowd = await makeOrg(db, district, { name: '国库处党支部' });
  otherDistrict = await makeOrg(db, root, { name: '市教育局机关党委', type: 'party_committee' });
  districtAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: district }]));
  outsider = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherDistrict }]));

  const alice = await makeMember(db, branchA, { name: '张三' });
  const bob = await makeMember(db, branchA, { name: '李四' });
  const carol = await makeMember(db, branchA, { name: '王五' });
  const stranger = await makeMember(db, otherDistrict, { name: '赵六' });
  // a long roll: the export needs ten keyset batches, far more than a client reads before it hangs up
  await db.execute(sql`insert into members (org_id, org_path, name, gender, stage, search_text)
    select ${crowd.id}, ${crowd.path}::ltree, '党员' || lpad(i::text, 5, '0'), 'male', 'full', '党员' || i from generate_series(1, ${ROLL}) i`);

  // 每日答题: three days of the district, one day outside the period, one answer of another district
  const answer = (memberId: string, orgPath: string, day: string, correct: number, at: string) => sql`
    insert into daily_quiz_submissions (member_id, org_path, quiz_date, answers, correct_count, question_count, streak, submitted_at)
    values (${memberId}, ${orgPath}::ltree, ${day}::date, '[]', ${correct}, 5, 1, ${at}::timestamptz)`;
  await db.execute(answer(alice.id, branchA.path, '2025-03-01', 4, '2025-03-01T08:30:00+08:00'));
  await db.execute(answer(bob.id, branchA.path, '2025-03-01', 5, '2025-03-01T09:00:00+08:00'));
  await db.execute(answer(alice.id, branchA.path, '2025-03-02', 3, '2025-03-02T21:15:00+08:00'));
  await db.execute(answer(carol.id, branchA.path, '2025-02-28', 2, '2025-02-28T12:00:00+08:00'));
  await db.execute(answer(stranger.id, otherDistrict.path, '2025-03-01', 5, '2025-03-01T10:00:00+08:00'));

  // 出勤: a meeting of 2025 with three participants, one held on New Year's Eve of 2024 (China's time)
  const activity = (title: string, startsAt: string, orgId = branchA.id, orgPath = branchA.path) => db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into activities (org_id, org_path, type, title, starts_at, ends_at, place, status, check_in_opens_at, check_in_closes_at, check_in_code, search_text)
    values (${orgId}, ${orgPath}::ltree, 'branch_general_meeting', ${title}, ${startsAt}::timestamptz, ${startsAt}::timestamptz + interval '2 hours', '党员活动室', 'closed',
            ${startsAt}::timestamptz - interval '30 minutes', ${startsAt}::timestamptz + interval '2 hours', '135790', ${title})
    returning id::text`).then((r) => r.rows[0]!.id);
  activityId = await activity('预算处党支部第一季度党员大会', '2025-03-20T14:30:00+08:00');
  const lastYear = await activity('预算处党支部跨年党员大会', '2024-12-31T23:30:00+08:00');
  const elsewhere = await activity('市教育局机关党委党员大会', '2025-04-01T09:00:00+08:00', otherDistrict.id, otherDistrict.path);
  await db.execute(sql`insert into activity_participants (activity_id, member_id, state, checked_in_at, check_in_method, leave_reason) values
    (${activityId}, ${alice.id}, 'present', '2025-03-20T14:25:00+08:00', 'qr', null),
    (${activityId}, ${bob.id}, 'leave', null, null, '出差'),
    (${activityId}, ${carol.id}, 'absent', null, null, null),
    (${lastYear}, ${alice.id}, 'present', '2024-12-31T23:20:00+08:00', 'code', null),
    (${elsewhere}, ${stranger.id}, 'present', '2025-04-01T08:55:00+08:00', 'code', null)`);
}, 120_000);
afterAll(async () => ctx?.close());

const lastAudit = async (action: string) => (await ctx.database.db.execute<{ org_path: string; detail: Record<string, unknown> } & Record<string, unknown>>(sql`
  select org_path::text, detail from audit_log where action = ${action} order by id desc limit 1`)).rows[0];

describe('GET /api/daily-quiz/results/export', () => {
  it('streams the subtree’s answers of the period, by day, and audits the export', async () => {
    const res = await districtAdmin.get(`/api/daily-quiz/results/export?orgId=${district.id}&from=2025-03-01&to=2025-03-31`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('每日答题记录-市财政局机关党委-20250301-20250331.xlsx'));
    expect(await sheetOf(res.rawPayload)).toEqual([
      { 答题日期: '2025-03-01', 姓名: '张三', 所在党组织: '预算处党支部', 答对题数: 4, 题数: 5, 连续天数: 1, 提交时间: '2025-03-01 08:30:00' },
      { 答题日期: '2025-03-01', 姓名: '李四', 所在党组织: '预算处党支部', 答对题数: 5, 题数: 5, 连续天数: 1, 提交时间: '2025-03-01 09:00:00' },
      { 答题日期: '2025-03-02', 姓名: '张三', 所在党组织: '预算处党支部', 答对题数: 3, 题数: 5, 连续天数: 1, 提交时间: '2025-03-02 21:15:00' },
    ]);
    expect(await lastAudit('daily_quiz.results_export')).toEqual({ org_path: district.path, detail: { from: '2025-03-01', to: '2025-03-31', rowCount: 3 } });
  });

  it('answers 404 for an org outside the admin’s subtree, and a Chinese message for a reversed period', async () => {
    const out = await outsider.get(`/api/daily-quiz/results/export?orgId=${district.id}&from=2025-03-01&to=2025-03-31`);
    expect(out.statusCode).toBe(404);
    expect(out.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    const reversed = await districtAdmin.get(`/api/daily-quiz/results/export?orgId=${district.id}&from=2025-03-31&to=2025-03-01`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields.to).toBe('结束日期不能早于开始日期');
    const tooLong = await districtAdmin.get(`/api/daily-quiz/results/export?orgId=${district.id}&from=2024-01-01&to=2025-03-01`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.fields.to).toBe('导出期间不能超过一年');
    const anonymous = await ctx.app.inject({ url: `/api/daily-quiz/results/export?orgId=${district.id}&from=2025-03-01&to=2025-03-31` });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('GET /api/activities/attendance/export', () => {
  it('streams every participant of the year’s activities, as the participant list shows them, and audits the export', async () => {
    const res = await districtAdmin.get(`/api/activities/attendance/export?orgId=${district.id}&year=2025`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = await sheetOf(res.rawPayload);
    const list = (await districtAdmin.get(`/api/activities/${activityId}/participants`)).json() as { items: { name: string; orgName: string; state: string; leaveReason: string | null }[] };
    expect(rows.map((r) => r['姓名']).sort()).toEqual(list.items.map((p) => p.name).sort());
    expect(rows).toEqual([
      { 活动时间: '2025-03-20 14:30', 活动: '预算处党支部第一季度党员大会', 类型: '支部党员大会', 组织: '预算处党支部', 姓名: '张三', 出勤: '出席', 签到时间: '2025-03-20 14:25:00', 签到方式: '扫码', 请假事由: null },
      { 活动时间: '2025-03-20 14:30', 活动: '预算处党支部第一季度党员大会', 类型: '支部党员大会', 组织: '预算处党支部', 姓名: '李四', 出勤: '请假', 签到时间: null, 签到方式: null, 请假事由: '出差' },
      { 活动时间: '2025-03-20 14:30', 活动: '预算处党支部第一季度党员大会', 类型: '支部党员大会', 组织: '预算处党支部', 姓名: '王五', 出勤: '缺席', 签到时间: null, 签到方式: null, 请假事由: null },
    ]);
    expect(await lastAudit('activity.attendance_export')).toEqual({ org_path: district.path, detail: { year: 2025, rowCount: 3 } });
    // New Year's Eve 23:30 in Beijing belongs to 2024 (15:30 UTC)
    const before = await sheetOf((await districtAdmin.get(`/api/activities/attendance/export?orgId=${district.id}&year=2024`)).rawPayload);
    expect(before.map((r) => [r['活动'], r['姓名'], r['签到方式']])).toEqual([['预算处党支部跨年党员大会', '张三', '签到码']]);
  });

  it('answers 404 out of scope and a Chinese message for a bad year', async () => {
    expect((await outsider.get(`/api/activities/attendance/export?orgId=${district.id}&year=2025`)).statusCode).toBe(404);
    const bad = await districtAdmin.get(`/api/activities/attendance/export?orgId=${district.id}&year=twenty`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.year).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('a download abandoned after its first bytes', () => {
  it('stops the export: no further batches, the connections back in the pool, nothing logged as failed', async () => {
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' }).then(() => ctx.app.server.address() as AddressInfo);
    const before = { ...exportStreams };
    const firstBytes = await new Promise<number>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port: address.port, path: `/api/members/export?orgId=${district.id}`, headers: { cookie: districtAdmin.cookie } }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode}`));
        response.once('data', (chunk: Buffer) => {
          request.destroy();
          resolve(chunk.length);
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'ECONNRESET') reject(error); });
    });
    expect(firstBytes).toBeGreaterThan(0);
    const until = Date.now() + 5_000;
    while (exportStreams.running > before.running && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(exportStreams).toEqual({ ...before, stoppedByClient: before.stoppedByClient + 1 });
    const pool = ctx.database.raw.pool;
    if (pool) expect({ waiting: pool.waitingCount, busy: pool.totalCount - pool.idleCount }).toEqual({ waiting: 0, busy: 0 });
    // the same export read to its end has every member of the district's roll
    const whole = await districtAdmin.get(`/api/members/export?orgId=${district.id}`);
    expect((await sheetOf(whole.rawPayload)).length).toBe(ROLL + 3);
    expect(exportStreams.completed).toBe(before.completed + 1);
  }, 60_000);
});

describe('streamSheet and the zip', () => {
  it('asks for the next batch only when the rows before it have gone through the deflate to the client', async () => {
    // hardly compressible cells: the XML of a batch (~1.4 MB) takes the deflate far longer than
    // writing it, so a writer that does not wait for the zip races ahead, the sheet piling up unzipped
    const BATCHES = 12, ROWS = 500;
    const received: number[] = [];
    let bytes = 0;
    const stream = streamSheet<{ n: number }, 'a' | 'b'>({
      label: 'test', sheetName: 'zip', columns: [{ header: 'a', key: 'a', width: 10 }, { header: 'b', key: 'b', width: 10 }], batchRows: ROWS,
      nextBatch: (after) => {
        received.push(bytes);
        const from = after ? after.n + 1 : 0;
        return Promise.resolve(from >= BATCHES * ROWS ? [] : Array.from({ length: ROWS }, (_, i) => ({ n: from + i })));
      },
      cellsOf: () => ({ a: crypto.randomBytes(1_000).toString('base64'), b: crypto.randomBytes(50).toString('hex') }),
    }, ctx.app.log);
    stream.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    await new Promise((resolve) => stream.on('end', resolve));
    const perBatch = bytes / BATCHES;
    expect(perBatch).toBeGreaterThan(500_000);
    // when batch k is asked for, batches 0 … k-1 are at the client, but for what the deflate and the
    // zip hold back (less than a batch)
    received.forEach((at, k) => expect(at, `batch ${k}`).toBeGreaterThan((k - 1) * perBatch));
  }, 60_000);
});
