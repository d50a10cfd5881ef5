import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { LessonEntry, LessonSelection } from '../../../../contracts/lesson_selections.js';

/**
 * 授课晒课评课 through the real server: a selection, entries (晒课), checks, the judging engine (评课),
 * 公示 with an objection upheld, publishing, the members' list of winners.
 *
 *   工委 root ← rootAdmin (organizer)
 *   ├── 财政局机关党委 bureauA ── 预算处党支部 branchA1 ← secretaryA1, 国库处党支部 branchA2 ← secretaryA2
 *   └── 教育局机关党委 bureauB ── 办公室党支部 branchB1 ← secretaryB1
 *   another tree: otherRoot ← otherAdmin
 */
let ctx: TestContext;
let root: OrgFixture, bureauA: OrgFixture, branchA1: OrgFixture, branchA2: OrgFixture, bureauB: OrgFixture, branchB1: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, secretaryA1: Client, secretaryA2: Client, secretaryB1: Client, otherAdmin: Client, memberB1: Client;
let judges: UserFixture[], judgeClients: Client[], conflictedJudge: Client;
let lecturerA1: string, lecturerB1: string, lessonActivity: string, meetingActivity: string;
const db = () => ctx.database.db;
const day = (offset: number) => todayInChina(Date.now() + offset * 86_400_000);
const hours = (n: number) => new Date(Date.now() + n * 3600_000).toISOString();
const criteria = [{ key: 'content', name: '内容', weight: 1, maxScore: 100 }];

async function activityOf(by: Client, org: OrgFixture, type: string, title: string): Promise<string> {
  const res = await by.post('/api/activities', { orgId: org.id, type, title, startsAt: hours(-48), endsAt: hours(-47), participants: { orgIds: [org.id] } });
  expect(res.statusCode, res.body).toBe(201);
  expect((await by.post(`/api/activities/${res.json().id}/publish`)).statusCode).toBe(200);
  return res.json().id as string;
}

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '党课测试工委' });
  bureauA = await makeOrg(db(), root, { name: '财政局机关党委', type: 'organ_committee' });
  branchA1 = await makeOrg(db(), bureauA, { name: '预算处党支部' });
  branchA2 = await makeOrg(db(), bureauA, { name: '国库处党支部' });
  bureauB = await makeOrg(db(), root, { name: '教育局机关党委', type: 'organ_committee' });
  branchB1 = await makeOrg(db(), bureauB, { name: '办公室党支部' });
  otherRoot = await makeOrg(db(), null, { name: '另一工委' });
  rootAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: root }]));
  secretaryA1 = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchA1 }]));
  secretaryA2 = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchA2 }]));
  secretaryB1 = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchB1 }]));
  otherAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: otherRoot }]));
  lecturerA1 = (await makeMember(db(), branchA1, { name: '刘书记' })).id;
  lecturerB1 = (await makeMember(db(), branchB1, { name: '陈书记' })).id;
  memberB1 = await login(ctx.app, await makeUser(db(), [{ role: 'member' }], { memberId: (await makeMember(db(), branchB1, { name: '普通党员' })).id }));
  judges = [];
  for (let i = 0; i < 5; i++) judges.push(await makeUser(db(), [{ role: 'judge' }]));
  judgeClients = await Promise.all(judges.map((j) => login(ctx.app, j)));
  conflictedJudge = await login(ctx.app, await makeUser(db(), [{ role: 'judge', org: branchA1 }]));
  lessonActivity = await activityOf(secretaryA1, branchA1, 'party_lesson', '学习二十大精神专题党课');
  meetingActivity = await activityOf(secretaryA1, branchA1, 'branch_general_meeting', '支部党员大会');
});
afterAll(async () => ctx?.close());

const selectionBody = (fields: Record<string, unknown> = {}) => ({
  orgId: root.id, title: '2026年度精品党课评选', year: 2026, entryOpensOn: day(-1), entryClosesOn: day(10), honours: 2, criteria, ...fields,
});

describe('a selection from entries to published winners', () => {
  let selection: LessonSelection;
  const entry: Record<string, LessonEntry> = {};
  const conflictedUserId = async () => (await db().execute<{ id: string } & Record<string, unknown>>(sql`
    select u.id::text from users u join user_roles r on r.user_id = u.id where r.role = 'judge' and r.org_id = ${branchA1.id}`)).rows[0]!.id;

  it('is created by the organizer and seen by the orgs that may enter, not by another tree', async () => {
    const res = await rootAdmin.post('/api/lesson-selections', selectionBody({ judgeUserIds: [...judges.map((j) => j.id), await conflictedUserId()] }));
    expect(res.statusCode, res.body).toBe(201);
    selection = res.json();
    expect(selection).toMatchObject({ orgName: '党课测试工委', honours: 2, status: 'entering', isEntryOpen: true, canManage: true, entries: 0, panelId: null });
    expect((await secretaryA1.get(`/api/lesson-selections/${selection.id}`)).json()).toMatchObject({ canManage: false, isEntryOpen: true });
    expect((await secretaryB1.get('/api/lesson-selections')).json()).toMatchObject({ total: 1, items: [{ id: selection.id }] });
    expect((await otherAdmin.get(`/api/lesson-selections/${selection.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get('/api/lesson-selections')).json()).toMatchObject({ total: 0 });
    expect((await memberB1.get(`/api/lesson-selections/${selection.id}`)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/lesson-selections' })).statusCode).toBe(401);
  });

  it('refuses a bad selection with the field named and nothing written', async () => {
    const before = await countRows(db(), 'lesson_selections');
    const cases: [Client, Record<string, unknown>, string, string][] = [
      [rootAdmin, selectionBody({ title: ' ' }), 'title', '不能为空'],
      [rootAdmin, selectionBody({ entryClosesOn: day(-5) }), 'entryClosesOn', '报送截止日期不能早于开始日期'],
      [rootAdmin, selectionBody({ criteria: [] }), 'criteria', '请至少设置一项评分细则'],
      [rootAdmin, selectionBody({ honours: 0 }), 'honours', expect.any(String) as unknown as string],
      [rootAdmin, selectionBody({ judgeUserIds: ['999999'] }), 'judgeUserIds', '评委账号不存在或已停用'],
      [secretaryA1, selectionBody(), 'orgId', '党组织不存在或不在您的管理范围内'],
      [otherAdmin, selectionBody(), 'orgId', '党组织不存在或不在您的管理范围内'],
    ];
    for (const [client, body, field, message] of cases) {
      const res = await client.post('/api/lesson-selections', body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toMatchObject({ [field]: message });
    }
    expect(await countRows(db(), 'lesson_selections')).toBe(before);
  });

  it('takes entries (晒课) from the orgs of the subtree, a member or an outside lecturer, linked to a party lesson', async () => {
    const a1 = await secretaryA1.post(`/api/lesson-selections/${selection.id}/entries`, {
      orgId: branchA1.id, lecturerName: '刘书记', lecturerMemberId: lecturerA1, title: '学思践悟新思想', summary: '结合预算工作讲理论', activityId: lessonActivity,
      materialUrl: 'https://example.org/lesson-a1',
    });
    expect(a1.statusCode, a1.body).toBe(201);
    entry.a1 = a1.json();
    expect(entry.a1).toMatchObject({ orgName: '预算处党支部', lecturerMemberId: lecturerA1, activityId: lessonActivity, activityTitle: '学习二十大精神专题党课', status: 'submitted' });
    entry.a2 = (await secretaryA2.post(`/api/lesson-selections/${selection.id}/entries`, { orgId: branchA2.id, lecturerName: '外请专家王教授', title: '国库集中支付中的初心', summary: '讲述一线故事' })).json();
    entry.b1 = (await secretaryB1.post(`/api/lesson-selections/${selection.id}/entries`, { orgId: branchB1.id, lecturerName: '陈书记', lecturerMemberId: lecturerB1, title: '教育强国的党员担当', summary: '用身边事教育身边人' })).json();
    entry.rejected = (await secretaryB1.post(`/api/lesson-selections/${selection.id}/entries`, { orgId: branchB1.id, lecturerName: '陈书记', title: '重复报送', summary: '同一堂课' })).json();
    expect(Object.values(entry).every((e) => e.id)).toBe(true);
    // each entrant sees its own; the organizer sees all
    expect((await secretaryA1.get(`/api/lesson-selections/${selection.id}/entries`)).json()).toMatchObject({ total: 1, items: [{ id: entry.a1.id }] });
    expect((await rootAdmin.get(`/api/lesson-selections/${selection.id}/entries`)).json().total).toBe(4);
    expect((await rootAdmin.get(`/api/lesson-selections/${selection.id}`)).json().entries).toBe(4);
    const audit = await db().execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log where action = 'lesson.enter'`);
    expect(Number(audit.rows[0]!.n)).toBe(4);
  });

  it('refuses bad entries with the field named and nothing written', async () => {
    const before = await countRows(db(), 'lesson_entries');
    const url = `/api/lesson-selections/${selection.id}/entries`;
    const body = (fields: Record<string, unknown>) => ({ orgId: branchA1.id, lecturerName: '刘书记', title: '一堂课', summary: '简介', ...fields });
    const cases: [Client, Record<string, unknown>, string, string][] = [
      [secretaryA1, body({ orgId: branchB1.id }), 'orgId', '报送单位须是您管理的、在评选组织范围内的党组织'],
      [secretaryA1, body({ lecturerMemberId: lecturerB1 }), 'lecturerMemberId', '主讲人不是报送单位（含下级）的党员'],
      [secretaryA1, body({ activityId: meetingActivity }), 'activityId', '关联活动须是报送单位（含下级）的党课'],
      [secretaryB1, body({ orgId: branchB1.id, activityId: lessonActivity }), 'activityId', '关联活动须是报送单位（含下级）的党课'],
      [secretaryA1, body({ materialUrl: 'javascript:alert(1)' }), 'materialUrl', '请填写 http(s) 开头的课件链接'],
      [secretaryA1, body({ title: '' }), 'title', '不能为空'],
    ];
    for (const [client, input, field, message] of cases) {
      const res = await client.post(url, input);
      expect(res.statusCode, `${JSON.stringify(input)}: ${res.body}`).toBe(400);
      expect(res.json().error.fields, JSON.stringify(input)).toMatchObject({ [field]: message });
    }
    expect((await otherAdmin.post(url, body({}))).statusCode).toBe(404);
    expect(await countRows(db(), 'lesson_entries')).toBe(before);
  });

  it('keeps uploaded materials with the entry, read by the entrant and the organizer only', async () => {
    const form = (name: string, bytes: Buffer) => {
      const boundary = '----lessonboundary';
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    };
    const pdf = Buffer.from('%PDF-1.4\n% lesson\n');
    const { payload, headers } = form('kejian.pdf', pdf);
    const upload = await ctx.app.inject({ method: 'POST', url: `/api/lesson-selections/${selection.id}/entries/${entry.a1!.id}/files`, payload,
      headers: { ...headers, cookie: secretaryA1.cookie, 'x-csrf-token': secretaryA1.csrfToken } });
    expect(upload.statusCode, upload.body).toBe(201);
    const file = upload.json().files[0];
    expect(file).toMatchObject({ fileName: 'kejian.pdf', mimeType: 'application/pdf' });
    const fileUrl = `/api/lesson-selections/${selection.id}/entries/${entry.a1!.id}/files/${file.id}`;
    expect((await rootAdmin.get(fileUrl)).rawPayload.equals(pdf)).toBe(true);
    expect((await secretaryA2.get(fileUrl)).statusCode).toBe(404);
    const bad = form('virus.exe', Buffer.from('MZ......'));
    const refused = await ctx.app.inject({ method: 'POST', url: `/api/lesson-selections/${selection.id}/entries/${entry.a1!.id}/files`, payload: bad.payload,
      headers: { ...bad.headers, cookie: secretaryA1.cookie, 'x-csrf-token': secretaryA1.csrfToken } });
    expect(refused.statusCode).toBe(400);
    expect(await countRows(db(), 'lesson_entry_files')).toBe(1);
  });

  it('is checked by the organizer only, then judged by a panel of the judging engine', async () => {
    expect((await secretaryA1.post(`/api/lesson-selections/${selection.id}/entries/${entry.a1!.id}/review`, { accepted: true })).statusCode).toBe(404);
    for (const e of [entry.a1!, entry.a2!, entry.b1!]) {
      const res = await rootAdmin.post(`/api/lesson-selections/${selection.id}/entries/${e.id}/review`, { accepted: true });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await rootAdmin.post(`/api/lesson-selections/${selection.id}/entries/${entry.rejected!.id}/review`, { accepted: false, note: '重复报送' })).json())
      .toMatchObject({ status: 'rejected', reviewNote: '重复报送' });
    expect((await rootAdmin.post(`/api/lesson-selections/${selection.id}/judging/close`)).statusCode).toBe(409);
    const opened = await rootAdmin.post(`/api/lesson-selections/${selection.id}/judging`, {});
    expect(opened.statusCode, opened.body).toBe(200);
    selection = opened.json();
    expect(selection).toMatchObject({ status: 'judging', isEntryOpen: false, panelId: expect.any(String) });
    // no more entries, checks or panels
    expect((await secretaryA1.post(`/api/lesson-selections/${selection.id}/entries`, { orgId: branchA1.id, lecturerName: '迟到', title: '迟到', summary: '迟到' })).statusCode).toBe(409);
    expect((await rootAdmin.post(`/api/lesson-selections/${selection.id}/entries/${entry.rejected!.id}/review`, { accepted: true })).statusCode).toBe(409);
    expect((await rootAdmin.post(`/api/lesson-selections/${selection.id}/judging`, {})).statusCode).toBe(409);
  });

  it('scores through the engine: a judge of the entrant’s subtree is refused the entry (404); trimmed means rank the lessons', async () => {
    const panelId = selection.panelId!;
    const results = (await rootAdmin.get(`/api/judging/panels/${panelId}/results`)).json();
    const engineEntry = (ref: string) => (results.results as { entryId: string; ref: string }[]).find((r) => r.ref === ref)!.entryId;
    expect((results.results as unknown[]).length).toBe(3);
    expect((await conflictedJudge.get(`/api/judging/entries/${engineEntry(entry.a1!.id)}`)).statusCode).toBe(404);
    expect((await conflictedJudge.post(`/api/judging/entries/${engineEntry(entry.a1!.id)}/submit`, { scores: { content: 100 } })).statusCode).toBe(404);
    // five judges each: the highest and the lowest dropped
    const scores: Record<string, number[]> = { a1: [90, 80, 85, 70, 95], a2: [60, 88, 77, 67, 99], b1: [91, 92, 93, 94, 100] };
    for (const [key, list] of Object.entries(scores)) {
      for (let i = 0; i < 5; i++) {
        const res = await judgeClients[i]!.post(`/api/judging/entries/${engineEntry(entry[key]!.id)}/submit`, { scores: { content: list[i] } });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    const closed = await rootAdmin.post(`/api/lesson-selections/${selection.id}/judging/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('proposed');
    const ranked = (await rootAdmin.get(`/api/lesson-selections/${selection.id}/entries`)).json().items as LessonEntry[];
    expect(ranked.map((e) => [e.title, e.score, e.rank, e.proposed])).toEqual([
      ['教育强国的党员担当', 93, 1, true],
      ['学思践悟新思想', 85, 2, true],
      ['国库集中支付中的初心', 77.33, 3, false],
      ['重复报送', null, null, false],
    ]);
  });

  it('goes to 公示; an upheld objection withdraws the lesson; publishing waits for the end and the answers', async () => {
    const notice = await rootAdmin.post(`/api/lesson-selections/${selection.id}/public-notice`, { startsOn: day(0), endsOn: day(6) });
    expect(notice.statusCode, notice.body).toBe(200);
    selection = notice.json();
    expect(selection).toMatchObject({ status: 'notice', publicNoticeId: expect.any(String) });
    expect((await rootAdmin.post(`/api/lesson-selections/${selection.id}/public-notice`, { startsOn: day(0), endsOn: day(6) })).statusCode).toBe(409);
    const early = await rootAdmin.post(`/api/lesson-selections/${selection.id}/publish`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe(`公示期尚未结束，不能发布（${day(6)} 结束）`);

    const detail = (await rootAdmin.get(`/api/public-notices/${selection.publicNoticeId}`)).json();
    const itemOf = (ref: string) => (detail.items as { id: string; ref: string }[]).find((i) => i.ref === ref)!;
    expect((detail.items as unknown[]).length).toBe(2);
    const upheld = await memberB1.post(`/api/me/public-notices/${selection.publicNoticeId}/objections`, { itemId: itemOf(entry.a1!.id).id, content: '该党课并非本人讲授' });
    expect(upheld.statusCode, upheld.body).toBe(201);
    const pending = await memberB1.post(`/api/me/public-notices/${selection.publicNoticeId}/objections`, { itemId: itemOf(entry.b1!.id).id, content: '有疑问' });
    expect(pending.statusCode, pending.body).toBe(201);
    const answered = await rootAdmin.post(`/api/public-notices/objections/${upheld.json().id}/uphold`, { answer: '经核实异议成立，撤销入选' });
    expect(answered.statusCode, answered.body).toBe(200);
    const a1 = ((await rootAdmin.get(`/api/lesson-selections/${selection.id}/entries`)).json().items as LessonEntry[]).find((e) => e.id === entry.a1!.id)!;
    expect(a1).toMatchObject({ status: 'withdrawn', proposed: false, withdrawnReason: '经核实异议成立，撤销入选' });

    // the notice ends with one objection unanswered: still 409
    await db().execute(sql`update public_notices set starts_on = starts_on - 10, ends_on = ends_on - 10 where id = ${selection.publicNoticeId}`);
    const waiting = await rootAdmin.post(`/api/lesson-selections/${selection.id}/publish`);
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().error.message).toBe('公示期有 1 件异议尚未处理，不能发布');
    expect((await secretaryB1.post(`/api/lesson-selections/${selection.id}/publish`)).statusCode).toBe(404);
    expect((await rootAdmin.post(`/api/public-notices/objections/${pending.json().id}/dismiss`, { answer: '经核实不影响' })).statusCode).toBe(200);
    const published = await rootAdmin.post(`/api/lesson-selections/${selection.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', publishedAt: expect.any(String) });
    expect((await rootAdmin.post(`/api/lesson-selections/${selection.id}/publish`)).statusCode).toBe(409);
  });

  it('shows the winners to the members of the tree (names and orgs only), not to another tree', async () => {
    const winners = (await memberB1.get('/api/lesson-winners')).json();
    expect(winners).toMatchObject({ total: 1, items: [{ title: '教育强国的党员担当', lecturerName: '陈书记', orgName: '办公室党支部', rank: 1, selectionTitle: '2026年度精品党课评选' }] });
    expect(Object.keys(winners.items[0]).sort()).toEqual(['entryId', 'lecturerName', 'materialUrl', 'orgName', 'rank', 'score', 'selectionId', 'selectionTitle', 'summary', 'title', 'year']);
    expect((await otherAdmin.get('/api/lesson-winners')).json().total).toBe(0);
    expect((await memberB1.get('/api/lesson-winners?year=2025')).json().total).toBe(0);
    expect((await memberB1.get('/api/lesson-winners?year=abc')).statusCode).toBe(400);
  });
});

describe('the entry window', () => {
  it('refuses entries before it opens and after it closes (409)', async () => {
    for (const [opens, closes] of [[day(2), day(5)], [day(-10), day(-1)]] as const) {
      const s = (await rootAdmin.post('/api/lesson-selections', selectionBody({ title: '窗口测试', entryOpensOn: opens, entryClosesOn: closes }))).json();
      expect(s.isEntryOpen).toBe(false);
      const res = await secretaryA1.post(`/api/lesson-selections/${s.id}/entries`, { orgId: branchA1.id, lecturerName: '刘书记', title: '一堂课', summary: '简介' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toBe('不在报送时间内，不能报送或修改');
      expect((await rootAdmin.post(`/api/lesson-selections/${s.id}/judging`, {})).json().error.fields).toEqual({ judgeUserIds: '请至少指定一名评委' });
    }
  });
});
