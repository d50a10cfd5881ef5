import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { pointsOf, signedInMember, type SignedInMember } from '../../../test/learning-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, group: OrgFixture, otherBranch: OrgFixture;
let bureauAdmin: Client, otherAdmin: Client;
let alice: SignedInMember, bob: SignedInMember, dave: SignedInMember;
const put = (c: Client, url: string, body: unknown) =>
  ctx.app.inject({ method: 'PUT', url, payload: body as never, headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken } });

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  group = await makeOrg(db, branch, { name: '第一党小组', type: 'group' });
  otherBranch = await makeOrg(db, root, { name: '教育局党支部' });
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherBranch }]));
  alice = await signedInMember(ctx, group, '张丽');
  bob = await signedInMember(ctx, branch, '王波');
  dave = await signedInMember(ctx, otherBranch, '赵大');
});
afterAll(async () => ctx?.close());

describe('courses', () => {
  it('publishes a series, tracks each member’s lessons, and awards completion once', async () => {
    const res = await bureauAdmin.post('/api/learning/courses', {
      orgId: bureau.id, title: '习近平新时代中国特色社会主义思想学习纲要（系列课）', kind: 'series',
      lessons: [{ title: '第一讲', url: 'https://example.org/1.mp4', durationMinutes: 45 }, { title: '第二讲', url: 'https://example.org/2.mp4' }, { title: '第三讲' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const course = res.json();
    expect(course).toMatchObject({ lessonCount: 3, completedLessons: 0 });
    const seen = (await alice.client.get(`/api/learning/courses/${course.id}`)).json();
    const done = [];
    for (const lesson of seen.lessons) done.push((await alice.client.post(`/api/learning/courses/${course.id}/lessons/${lesson.id}/complete`)).json());
    expect(done.map((d) => [d.completedLessons, d.isCompleted, d.points])).toEqual([[1, false, 0], [2, false, 0], [3, true, 5]]);
    const again = (await alice.client.post(`/api/learning/courses/${course.id}/lessons/${seen.lessons[0].id}/complete`)).json();
    expect(again.points).toBe(0);
    expect((await alice.client.get(`/api/learning/courses/${course.id}`)).json()).toMatchObject({ isCompleted: true, completedLessons: 3 });
    const progress = (await bureauAdmin.get(`/api/learning/courses/${course.id}/progress`)).json();
    expect(progress.items.map((p: { memberName: string; done: number }) => [p.memberName, p.done])).toEqual([['张丽', 3], ['王波', 0]]);
    expect((await otherAdmin.get(`/api/learning/courses/${course.id}/progress`)).statusCode).toBe(404);
    expect((await dave.client.get(`/api/learning/courses/${course.id}`)).statusCode).toBe(404);
    expect((await dave.client.post(`/api/learning/courses/${course.id}/lessons/${seen.lessons[0].id}/complete`)).statusCode).toBe(404);
  });

  it.each([
    ['a video without its link', { kind: 'video' }, 'url', '请填写视频或课程链接'],
    ['a live course without times', { kind: 'live', url: 'https://live.example.org/room/1' }, 'liveStartsAt', '直播课程请填写开始和结束时间'],
    ['a link that is not http', { kind: 'link', url: 'javascript:alert(1)' }, 'url', 'http://'],
    ['a series without lessons', { kind: 'series' }, 'lessons', '至少需要一讲'],
  ])('refuses %s with 400 and creates nothing', async (_c, body, field, message) => {
    const before = await countRows(ctx.database.db, 'courses');
    const res = await bureauAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '课程', ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await countRows(ctx.database.db, 'courses')).toBe(before);
  });

  it('schedules a live course and refuses publishing outside the admin’s subtree', async () => {
    const live = await bureauAdmin.post('/api/learning/courses', { orgId: branch.id, title: '党课直播', kind: 'live', url: 'https://live.example.org/1', liveStartsAt: '2026-12-01T09:00:00+08:00', liveEndsAt: '2026-12-01T11:00:00+08:00' });
    expect(live.json()).toMatchObject({ kind: 'live', liveStartsAt: '2026-12-01T01:00:00.000Z', lessonCount: 1 });
    expect((await otherAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '越权', kind: 'link', url: 'https://example.org' })).json().error.fields.orgId).toBeDefined();
  });
});

describe('uploaded videos', () => {
  const upload = (c: Client, orgId: string, bytes: Buffer, name: string) => {
    const boundary = `----dj${Date.now()}`;
    const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: video/mp4\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    return ctx.app.inject({ method: 'POST', url: `/api/learning/videos?orgId=${orgId}`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: c.cookie, 'x-csrf-token': c.csrfToken } });
  };
  const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(4000, 7)]);

  it('uploads an MP4, attaches it to a course, and serves it with range requests to the course’s members only', async () => {
    const res = await upload(bureauAdmin, bureau.id, mp4, 'lesson1.mp4');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mimeType: 'video/mp4', sizeBytes: mp4.length, fileName: 'lesson1.mp4' });
    const course = (await bureauAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '党史微课', kind: 'video', videoId: res.json().id })).json();
    expect(course.lessons[0].videoUrl).toBe(res.json().url);
    const part = await ctx.app.inject({ method: 'GET', url: res.json().url, headers: { cookie: alice.client.cookie, range: 'bytes=4-11' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 4-11/${mp4.length}`);
    expect(part.rawPayload.toString('latin1')).toBe('ftypisom');
    expect((await ctx.app.inject({ method: 'GET', url: res.json().url, headers: { cookie: alice.client.cookie } })).rawPayload.length).toBe(mp4.length);
    expect((await ctx.app.inject({ method: 'GET', url: res.json().url, headers: { cookie: dave.client.cookie } })).statusCode).toBe(404);
  });

  it('refuses a file that is not a video, an org outside the scope, and another subtree’s video', async () => {
    const before = await countRows(ctx.database.db, 'learning_videos');
    expect((await upload(bureauAdmin, bureau.id, Buffer.from('<script>alert(1)</script>'), 'x.mp4')).json().error.fields.file).toBe('只支持 MP4 或 WebM 视频');
    expect((await upload(otherAdmin, bureau.id, mp4, 'x.mp4')).statusCode).toBe(400);
    const theirs = (await upload(otherAdmin, otherBranch.id, mp4, 'theirs.mp4')).json();
    expect(await countRows(ctx.database.db, 'learning_videos')).toBe(before + 1);
    const res = await bureauAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '借用', kind: 'video', videoId: theirs.id });
    expect(res.json().error.fields.videoId).toBe('视频不存在或不可用');
  });
});

describe('articles', () => {
  it('records a read once and awards the first read only', async () => {
    const article = (await bureauAdmin.post('/api/learning/articles', { orgId: bureau.id, title: '中国共产党章程', body: '第一章 党员……', source: '共产党员网' })).json();
    const before = await pointsOf(ctx.database.db, bob.id);
    expect((await bob.client.post(`/api/learning/articles/${article.id}/read`)).json()).toEqual({ points: 1, isFirstRead: true });
    expect((await bob.client.post(`/api/learning/articles/${article.id}/read`)).json()).toEqual({ points: 0, isFirstRead: false });
    expect(await pointsOf(ctx.database.db, bob.id)).toBe(before + 1);
    expect((await bob.client.get(`/api/learning/articles/${article.id}`)).json()).toMatchObject({ isRead: true, readCount: 1, body: '第一章 党员……' });
    expect((await dave.client.post(`/api/learning/articles/${article.id}/read`)).statusCode).toBe(404);
    expect((await dave.client.get('/api/learning/articles')).json().total).toBe(0);
  });
});

describe('study plans', () => {
  it('tracks each member’s chapters against their dates', async () => {
    const res = await bureauAdmin.post('/api/learning/plans', {
      orgId: branch.id, title: '《习近平谈治国理政》第四卷读书计划', startsOn: '2026-01-01', endsOn: '2026-12-31',
      items: [{ title: '第一章', dueOn: '2026-01-31' }, { title: '第二章', dueOn: '2026-02-28' }, { title: '第三章', dueOn: '2026-12-31' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json();
    const first = plan.items[0].id;
    expect((await alice.client.post(`/api/learning/plans/${plan.id}/items/${first}/done`, { note: '读完了' })).json()).toEqual({ points: 1, isFirstRead: true });
    expect((await alice.client.post(`/api/learning/plans/${plan.id}/items/${first}/done`, {})).json().points).toBe(0);
    const progress = (await bureauAdmin.get(`/api/learning/plans/${plan.id}/progress`)).json();
    const byName = Object.fromEntries(progress.items.map((p: { memberName: string; done: number; overdue: number }) => [p.memberName, [p.done, p.overdue]]));
    expect(byName['张丽']![0]).toBe(1);
    expect(byName['王波']![0]).toBe(0);
    expect(byName['王波']![1]).toBeGreaterThanOrEqual(byName['张丽']![1]);
    expect((await dave.client.get(`/api/learning/plans/${plan.id}`)).statusCode).toBe(404);
  });

  it('refuses a chapter dated outside the plan', async () => {
    const res = await bureauAdmin.post('/api/learning/plans', { orgId: branch.id, title: '计划', startsOn: '2026-01-01', endsOn: '2026-01-31', items: [{ title: '一', dueOn: '2026-02-01' }] });
    expect(res.json().error.fields['items.0.dueOn']).toBe('章节日期须在计划起止日期之内');
  });
});

describe('clock-ins and reading shares', () => {
  it('clocks in once a day with a note and a point', async () => {
    const res = await bob.client.post('/api/learning/clock-ins', { note: '学习党章第二章' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ note: '学习党章第二章', points: 1 });
    const before = await countRows(ctx.database.db, 'clock_ins');
    expect((await bob.client.post('/api/learning/clock-ins', { note: '再打一次' })).statusCode).toBe(409);
    expect(await countRows(ctx.database.db, 'clock_ins')).toBe(before);
    expect((await bob.client.post('/api/learning/clock-ins', { note: '', points: 5 })).json().error.fields).toMatchObject({ note: '不能为空', points: '不支持的字段' });
    expect((await bureauAdmin.get(`/api/learning/clock-ins?orgId=${branch.id}`)).json().total).toBe(1);
    expect((await otherAdmin.get(`/api/learning/clock-ins?orgId=${branch.id}`)).statusCode).toBe(404);
  });

  it('shows shares to the branch (groups included), lets members like once, and hides them elsewhere', async () => {
    const share = (await bob.client.post('/api/learning/shares', { title: '读《共产党宣言》有感', content: '……' })).json();
    expect((await alice.client.get('/api/learning/shares')).json().items.map((s: { id: string }) => s.id)).toContain(share.id);
    expect((await alice.client.post(`/api/learning/shares/${share.id}/like`)).json()).toMatchObject({ likeCount: 1, isLikedByMe: true });
    expect((await alice.client.post(`/api/learning/shares/${share.id}/like`)).json().likeCount).toBe(1);
    expect((await dave.client.get('/api/learning/shares')).json().items).toEqual([]);
    expect((await dave.client.post(`/api/learning/shares/${share.id}/like`)).statusCode).toBe(404);
    expect((await alice.client.delete(`/api/learning/shares/${share.id}/like`)).json()).toMatchObject({ likeCount: 0, isLikedByMe: false });
    expect((await bureauAdmin.get('/api/learning/shares')).json().total).toBe(1);
    const row = await ctx.database.db.execute<{ like_count: number } & Record<string, unknown>>(sql`select like_count from reading_shares where id = ${share.id}`);
    expect(Number(row.rows[0]!.like_count)).toBe(0);
  });
});

describe('corrections of published content', () => {
  const auditCount = async (action: string) => Number((await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log where action = ${action}`)).rows[0]!.n);

  it('corrects a link course and its one lesson, keeps members’ progress, and audits it', async () => {
    const course = (await bureauAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '党纪学习', kind: 'link', url: 'https://example.org/old' })).json();
    expect((await bob.client.post(`/api/learning/courses/${course.id}/lessons/${course.lessons[0].id}/complete`)).json().isCompleted).toBe(true);
    const audits = await auditCount('course.update');
    const res = await bureauAdmin.patch(`/api/learning/courses/${course.id}`, { title: '党纪学习教育', url: 'https://example.org/new', description: '六项纪律' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '党纪学习教育', url: 'https://example.org/new', description: '六项纪律', lessonCount: 1 });
    expect(res.json().lessons[0]).toMatchObject({ title: '党纪学习教育', url: 'https://example.org/new' });
    expect((await bob.client.get(`/api/learning/courses/${course.id}`)).json()).toMatchObject({ title: '党纪学习教育', isCompleted: true });
    expect(await auditCount('course.update')).toBe(audits + 1);
    // description cleared with null; the rest stays
    expect((await bureauAdmin.patch(`/api/learning/courses/${course.id}`, { description: null })).json()).toMatchObject({ title: '党纪学习教育', description: null });
  });

  it('refuses bad corrections with the field named and changes nothing', async () => {
    const series = (await bureauAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '系列课', kind: 'series', lessons: [{ title: '一' }] })).json();
    const live = (await bureauAdmin.post('/api/learning/courses', { orgId: branch.id, title: '直播党课', kind: 'live', url: 'https://live.example.org/2', liveStartsAt: '2026-12-01T09:00:00+08:00', liveEndsAt: '2026-12-01T11:00:00+08:00' })).json();
    const cases: [string, unknown, string, string][] = [
      [series.id, { url: 'https://example.org/x' }, 'url', '系列课程的链接在各讲中修改'],
      [series.id, { liveStartsAt: '2026-12-01T09:00:00+08:00' }, 'liveStartsAt', '只有直播课程有直播时间'],
      [live.id, { liveEndsAt: '2026-12-01T08:00:00+08:00' }, 'liveEndsAt', '结束时间不能早于开始时间'],
      [live.id, { url: 'ftp://example.org' }, 'url', 'http://'],
      [live.id, { title: '' }, 'title', '不能为空'],
      [live.id, { kind: 'link' }, 'kind', '不支持的字段'],
    ];
    for (const [id, body, field, message] of cases) {
      const res = await bureauAdmin.patch(`/api/learning/courses/${id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields[field]).toContain(message);
    }
    expect((await bureauAdmin.get(`/api/learning/courses/${live.id}`)).json()).toMatchObject({ title: '直播党课', liveEndsAt: '2026-12-01T03:00:00.000Z', url: 'https://live.example.org/2' });
    expect((await bureauAdmin.get(`/api/learning/courses/${series.id}`)).json().url).toBeNull();
  });

  it('answers 404 to admins of another subtree and to members, 401 without a session, and archives a course from the lists', async () => {
    const course = (await bureauAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '待下架', kind: 'link', url: 'https://example.org/a' })).json();
    for (const c of [otherAdmin, alice.client]) {
      expect((await c.patch(`/api/learning/courses/${course.id}`, { title: '越权' })).statusCode).toBe(404);
      expect((await c.delete(`/api/learning/courses/${course.id}`)).statusCode).toBe(404);
    }
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/learning/courses/${course.id}`, payload: { title: '匿名' } })).statusCode).toBe(401);
    expect((await bureauAdmin.get(`/api/learning/courses/${course.id}`)).json().title).toBe('待下架');
    expect((await bureauAdmin.delete(`/api/learning/courses/${course.id}`)).statusCode).toBe(204);
    expect((await bureauAdmin.get(`/api/learning/courses/${course.id}`)).statusCode).toBe(404);
    expect((await alice.client.get('/api/learning/courses?q=待下架')).json().total).toBe(0);
    expect((await bureauAdmin.delete(`/api/learning/courses/${course.id}`)).statusCode).toBe(404);
    expect(await auditCount('course.archive')).toBe(1);
  });

  it('corrects and archives an article; reads are kept', async () => {
    const article = (await bureauAdmin.post('/api/learning/articles', { orgId: bureau.id, title: '准则', body: '正文', source: '来源' })).json();
    await bob.client.post(`/api/learning/articles/${article.id}/read`);
    const res = await bureauAdmin.patch(`/api/learning/articles/${article.id}`, { title: '关于新形势下党内政治生活的若干准则', source: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '关于新形势下党内政治生活的若干准则', source: null, body: '正文', readCount: 1 });
    expect((await bureauAdmin.patch(`/api/learning/articles/${article.id}`, { body: '  ' })).json().error.fields.body).toBe('不能为空');
    expect((await otherAdmin.patch(`/api/learning/articles/${article.id}`, { title: 'x' })).statusCode).toBe(404);
    expect((await bureauAdmin.delete(`/api/learning/articles/${article.id}`)).statusCode).toBe(204);
    expect((await bob.client.get(`/api/learning/articles/${article.id}`)).statusCode).toBe(404);
    expect(await countRows(ctx.database.db, 'article_reads')).toBeGreaterThanOrEqual(1);
  });

  it('moves a plan’s dates only while every chapter stays inside them', async () => {
    const plan = (await bureauAdmin.post('/api/learning/plans', {
      orgId: branch.id, title: '读书计划', startsOn: '2026-03-01', endsOn: '2026-03-31', items: [{ title: '一', dueOn: '2026-03-10' }, { title: '二', dueOn: '2026-03-20' }],
    })).json();
    const moved = await bureauAdmin.patch(`/api/learning/plans/${plan.id}`, { title: '三月读书计划', endsOn: '2026-04-30', description: '每周一章' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ title: '三月读书计划', startsOn: '2026-03-01', endsOn: '2026-04-30', description: '每周一章', itemCount: 2 });
    expect((await bureauAdmin.patch(`/api/learning/plans/${plan.id}`, { endsOn: '2026-03-15' })).json().error.fields.endsOn).toBe('章节日期须在计划起止日期之内');
    expect((await bureauAdmin.patch(`/api/learning/plans/${plan.id}`, { startsOn: '2026-03-11' })).json().error.fields.startsOn).toBe('章节日期须在计划起止日期之内');
    expect((await bureauAdmin.patch(`/api/learning/plans/${plan.id}`, { startsOn: '2026-05-01' })).json().error.fields.startsOn).toBe('结束时间不能早于开始时间');
    expect((await bureauAdmin.patch(`/api/learning/plans/${plan.id}`, { startsOn: '2026-02-30' })).statusCode).toBe(400);
    expect((await otherAdmin.patch(`/api/learning/plans/${plan.id}`, { title: 'x' })).statusCode).toBe(404);
    expect((await alice.client.patch(`/api/learning/plans/${plan.id}`, { title: 'x' })).statusCode).toBe(404);
    expect((await bureauAdmin.get(`/api/learning/plans/${plan.id}`)).json()).toMatchObject({ title: '三月读书计划', startsOn: '2026-03-01', endsOn: '2026-04-30' });
  });
});

describe('lessons of a published series', () => {
  const auditOf = async (action: string, courseId: string) => (await ctx.database.db.execute<{ detail: Record<string, unknown> } & Record<string, unknown>>(sql`
    select detail from audit_log where action = ${action} and target_id = ${courseId} order by id`)).rows.map((r) => r.detail);
  type Lesson = { id: string; position: number; title: string; url: string | null; durationMinutes: number | null };
  const publish = async () => {
    const res = await bureauAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '党史专题', kind: 'series',
      lessons: [{ title: '第一讲', url: 'https://example.org/1' }, { title: '第二讲', url: 'https://example.org/2' }, { title: '第三讲', durationMinutes: 30 }] });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; lessons: Lesson[] };
  };
  const titles = (course: { lessons: Lesson[] }) => course.lessons.map((l) => [l.position, l.title]);

  it('edits a lesson, adds one at a position and at the end, and reorders them, each audited', async () => {
    const course = await publish();
    const [first, second, third] = course.lessons;
    const edited = await bureauAdmin.patch(`/api/learning/courses/${course.id}/lessons/${second!.id}`, { title: '第二讲（修订）', url: 'https://example.org/2b', durationMinutes: 40 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().lessons[1]).toMatchObject({ title: '第二讲（修订）', url: 'https://example.org/2b', durationMinutes: 40 });
    const cleared = await bureauAdmin.patch(`/api/learning/courses/${course.id}/lessons/${second!.id}`, { url: null, durationMinutes: null });
    expect(cleared.json().lessons[1]).toMatchObject({ title: '第二讲（修订）', url: null, durationMinutes: null });

    const added = await bureauAdmin.post(`/api/learning/courses/${course.id}/lessons`, { title: '导学', position: 1 });
    expect(added.statusCode, added.body).toBe(201);
    expect(titles(added.json())).toEqual([[1, '导学'], [2, '第一讲'], [3, '第二讲（修订）'], [4, '第三讲']]);
    const appended = (await bureauAdmin.post(`/api/learning/courses/${course.id}/lessons`, { title: '结业', url: 'https://example.org/end' })).json();
    expect(appended.lessonCount).toBe(5);
    const intro = appended.lessons[0].id, end = appended.lessons[4].id;

    const reordered = await put(bureauAdmin, `/api/learning/courses/${course.id}/lessons/order`, { lessonIds: [intro, third!.id, second!.id, first!.id, end] });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(titles(reordered.json())).toEqual([[1, '导学'], [2, '第三讲'], [3, '第二讲（修订）'], [4, '第一讲'], [5, '结业']]);
    expect(titles((await alice.client.get(`/api/learning/courses/${course.id}`)).json())).toEqual(titles(reordered.json()));
    expect(await auditOf('course.lesson_update', course.id)).toHaveLength(2);
    expect(await auditOf('course.lesson_add', course.id)).toHaveLength(2);
    expect(await auditOf('course.lesson_reorder', course.id)).toHaveLength(1);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const course = await publish();
    const lesson = course.lessons[0]!;
    const cases: [() => Promise<{ statusCode: number; json: () => { error: { fields: Record<string, string> } } }>, string, string][] = [
      [() => bureauAdmin.patch(`/api/learning/courses/${course.id}/lessons/${lesson.id}`, { url: 'ftp://example.org' }), 'url', 'http://'],
      [() => bureauAdmin.patch(`/api/learning/courses/${course.id}/lessons/${lesson.id}`, { title: ' ' }), 'title', '不能为空'],
      [() => bureauAdmin.patch(`/api/learning/courses/${course.id}/lessons/${lesson.id}`, { durationMinutes: 0 }), 'durationMinutes', '不能小于 1'],
      [() => bureauAdmin.patch(`/api/learning/courses/${course.id}/lessons/${lesson.id}`, { videoId: '999999' }), 'videoId', '视频不存在'],
      [() => bureauAdmin.patch(`/api/learning/courses/${course.id}/lessons/${lesson.id}`, { position: 2 }), 'position', '不支持的字段'],
      [() => bureauAdmin.post(`/api/learning/courses/${course.id}/lessons`, { title: '第九讲', position: 9 }), 'position', '位置须在 1 到 4 之间'],
      [() => bureauAdmin.post(`/api/learning/courses/${course.id}/lessons`, { url: 'https://example.org/x' }), 'title', '必填'],
      [() => put(bureauAdmin, `/api/learning/courses/${course.id}/lessons/order`, { lessonIds: [lesson.id, lesson.id, course.lessons[2]!.id] }), 'lessonIds', '全部 3 讲'],
      [() => put(bureauAdmin, `/api/learning/courses/${course.id}/lessons/order`, { lessonIds: [course.lessons[1]!.id, lesson.id] }), 'lessonIds', '全部 3 讲'],
      [() => put(bureauAdmin, `/api/learning/courses/${course.id}/lessons/order`, { lessonIds: [] }), 'lessonIds', '不能为空'],
    ];
    for (const [send, field, message] of cases) {
      const res = await send();
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.fields[field], JSON.stringify(res.json())).toContain(message);
    }
    expect((await bureauAdmin.get(`/api/learning/courses/${course.id}`)).json().lessons).toEqual(course.lessons);
    expect(await auditOf('course.lesson_update', course.id)).toHaveLength(0);
  });

  it('removes a studied lesson only when confirmed, saying how many members studied it; completions and their points stay', async () => {
    const course = await publish();
    const finisher = await signedInMember(ctx, branch, '钱完');
    const starter = await signedInMember(ctx, group, '孙始');
    for (const l of course.lessons) await finisher.client.post(`/api/learning/courses/${course.id}/lessons/${l.id}/complete`);
    await starter.client.post(`/api/learning/courses/${course.id}/lessons/${course.lessons[0]!.id}/complete`);
    expect(await pointsOf(ctx.database.db, finisher.id)).toBe(5);
    const first = course.lessons[0]!.id;

    for (const url of [`/api/learning/courses/${course.id}/lessons/${first}`, `/api/learning/courses/${course.id}/lessons/${first}?confirmProgressLoss=false`]) {
      const refused = await bureauAdmin.delete(url);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toContain('已有 2 名党员学习过该讲');
    }
    expect((await bureauAdmin.get(`/api/learning/courses/${course.id}`)).json().lessonCount).toBe(3);
    expect((await bureauAdmin.delete(`/api/learning/courses/${course.id}/lessons/${first}?confirmProgressLoss=maybe`)).json().error.fields.confirmProgressLoss).toContain('必须是以下之一');

    const res = await bureauAdmin.delete(`/api/learning/courses/${course.id}/lessons/${first}?confirmProgressLoss=true`);
    expect(res.statusCode, res.body).toBe(200);
    expect(titles(res.json())).toEqual([[1, '第二讲'], [2, '第三讲']]);
    expect(await auditOf('course.lesson_remove', course.id)).toMatchObject([{ lessonId: first, progressRemoved: 2 }]);
    expect((await starter.client.get(`/api/learning/courses/${course.id}`)).json()).toMatchObject({ completedLessons: 0, lessonCount: 2 });
    // adding a lesson after completion takes nothing back either
    await bureauAdmin.post(`/api/learning/courses/${course.id}/lessons`, { title: '第四讲' });
    expect((await finisher.client.get(`/api/learning/courses/${course.id}`)).json()).toMatchObject({ isCompleted: true, completedLessons: 2, lessonCount: 3 });
    expect(await pointsOf(ctx.database.db, finisher.id)).toBe(5);

    // a lesson nobody studied goes without confirmation; the last one stays
    const fresh = (await bureauAdmin.get(`/api/learning/courses/${course.id}`)).json().lessons as Lesson[];
    expect((await bureauAdmin.delete(`/api/learning/courses/${course.id}/lessons/${fresh[2]!.id}`)).statusCode).toBe(200);
    await bureauAdmin.delete(`/api/learning/courses/${course.id}/lessons/${fresh[1]!.id}?confirmProgressLoss=true`);
    const last = await bureauAdmin.delete(`/api/learning/courses/${course.id}/lessons/${fresh[0]!.id}?confirmProgressLoss=true`);
    expect(last.statusCode).toBe(409);
    expect(last.json().error.message).toContain('至少保留一讲');
  });

  it('answers 404 outside the publishing org, to members and for another course’s lesson; 409 for a single-lesson course; nothing changes', async () => {
    const course = await publish();
    const other = await publish();
    const lesson = course.lessons[0]!.id;
    const single = (await bureauAdmin.post('/api/learning/courses', { orgId: bureau.id, title: '单节', kind: 'link', url: 'https://example.org/s' })).json();
    for (const c of [otherAdmin, alice.client]) {
      expect((await c.patch(`/api/learning/courses/${course.id}/lessons/${lesson}`, { title: '越权' })).statusCode).toBe(404);
      expect((await c.post(`/api/learning/courses/${course.id}/lessons`, { title: '越权' })).statusCode).toBe(404);
      expect((await put(c, `/api/learning/courses/${course.id}/lessons/order`, { lessonIds: course.lessons.map((l) => l.id).reverse() })).statusCode).toBe(404);
      expect((await c.delete(`/api/learning/courses/${course.id}/lessons/${lesson}?confirmProgressLoss=true`)).statusCode).toBe(404);
    }
    expect((await bureauAdmin.patch(`/api/learning/courses/${course.id}/lessons/${other.lessons[0]!.id}`, { title: '错课' })).statusCode).toBe(404);
    expect((await bureauAdmin.delete(`/api/learning/courses/${course.id}/lessons/${other.lessons[0]!.id}`)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/learning/courses/${course.id}/lessons`, payload: { title: '无' } })).statusCode).toBe(401);
    const singleRes = await bureauAdmin.post(`/api/learning/courses/${single.id}/lessons`, { title: '第二节' });
    expect(singleRes.statusCode).toBe(409);
    expect(singleRes.json().error.message).toContain('只有系列课程');
    expect((await bureauAdmin.get(`/api/learning/courses/${course.id}`)).json().lessons).toEqual(course.lessons);
    expect((await bureauAdmin.get(`/api/learning/courses/${other.id}`)).json().lessons).toEqual(other.lessons);
    expect((await bureauAdmin.get(`/api/learning/courses/${single.id}`)).json().lessonCount).toBe(1);
  });
});
