import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FiguresSchema, MEASURES, type Figures, type Measure } from '../../../../contracts/dashboard.js';
import { pdfHexText } from '../../platform/pdf.js';
import { parsePdf } from '../../../test/pdf-structure.js';
import { runDueJobs, type JobLog } from '../../platform/scheduler.js';
import { dashboardJobs } from './routes.js';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type MemberFixture, type OrgFixture, type TestContext } from '../../../test/harness.js';

/*
 * The tree: 市直机关工委 (root) → 机关党委 (bureau) → 支部A (with 党小组A), 支部B; root → 支部C; a dissolved
 * branch under root; and another tree. Every record below is placed so that each figure of 2025 has an
 * exact expected value, and some records fall just outside the period (or the subtree) to prove the bounds.
 */
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, branchC: OrgFixture, groupA: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, branchAdmin: Client, memberOnly: Client, otherAdmin: Client;
const m: Record<string, MemberFixture> = {};

const exec = (q: ReturnType<typeof sql>) => ctx.database.db.execute(q);
const idOf = async (q: ReturnType<typeof sql>) => ((await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(q)).rows[0]!).id;

async function member(name: string, org: OrgFixture, f: { stage?: 'applicant' | 'activist' | 'candidate' | 'probationary' | 'full'; gender?: 'male' | 'female'; birth?: string; education?: string | null; ethnicity?: string; joined?: string | null; left?: boolean }) {
  const created = await makeMember(ctx.database.db, org, { name, stage: f.stage ?? 'full', gender: f.gender ?? 'male', joinedOn: f.joined ?? null, leftAt: f.left ? new Date('2025-08-01T00:00:00Z') : null, phone: '13812345678' });
  await exec(sql`update members set birth_date = ${f.birth ?? null}, education = ${f.education ?? null}, ethnicity = ${f.ethnicity ?? '汉族'} where id = ${created.id}`);
  m[name] = created;
  return created;
}

async function activity(org: OrgFixture, type: string, startsAt: string, status: string) {
  return idOf(sql`insert into activities (org_id, org_path, type, title, starts_at, ends_at, status, check_in_opens_at, check_in_closes_at, check_in_code)
    values (${org.id}, ${org.path}::ltree, ${type}, ${`${type}@${startsAt}`}, ${startsAt}::timestamptz, ${startsAt}::timestamptz + interval '2 hours', ${status},
            ${startsAt}::timestamptz - interval '1 hour', ${startsAt}::timestamptz + interval '2 hours', '123456') returning id::text`);
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee', termEnd: '2027-01-01' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部', termEnd: '2025-11-01' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部', termEnd: '2026-02-15' });
  groupA = await makeOrg(db, branchA, { name: '预算处第一党小组', type: 'group' });
  branchC = await makeOrg(db, root, { name: '工委办公室党支部' });
  const dissolved = await makeOrg(db, root, { name: '已撤销党支部' });
  await exec(sql`update orgs set dissolved_at = '2025-03-01T00:00:00Z' where id = ${dissolved.id}`);
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });

  await member('张一', branchA, { gender: 'male', birth: '1990-05-01', education: '本科', joined: '2015-03-01' });
  await member('李二', branchA, { stage: 'probationary', gender: 'female', birth: '2000-01-01', education: '研究生', ethnicity: '回族', joined: '2025-07-01' });
  await member('王三', branchB, { gender: 'female', birth: '1960-01-01', education: null, joined: '1985-01-01' });
  await member('赵四', branchB, { stage: 'candidate', gender: 'male', birth: '1998-01-01' });
  await member('钱五', groupA, { stage: 'applicant', gender: 'female', birth: '2001-01-01' });
  await member('孙六', bureau, { gender: 'male', birth: '1975-06-30', education: '大专', joined: '2025-01-10' });
  await member('周七', branchA, { gender: 'male', birth: '1970-01-01', joined: '2000-01-01', left: true });
  await member('吴八', otherRoot, { gender: 'male', birth: '1980-01-01', joined: '2025-05-05' });
  await member('郑九', branchC, { gender: 'male', birth: '1985-03-03', education: '本科', joined: '2010-10-10' });

  // dues bases: 李二's category changes in September, 孙六's first base of 2025 starts in July, 王三's of 2024 is
  // another year's, 郑九 has none (未登记), and 吴八 is in another tree
  await exec(sql`insert into dues_bases (member_id, year, effective_month, category) values
    (${m['张一']!.id}, 2025, '2025-01-01', 'employed'), (${m['王三']!.id}, 2024, '2024-01-01', 'employed'), (${m['王三']!.id}, 2025, '2025-01-01', 'retired'),
    (${m['李二']!.id}, 2025, '2025-03-01', 'employed'), (${m['李二']!.id}, 2025, '2025-09-01', 'student'), (${m['孙六']!.id}, 2025, '2025-07-01', 'rural'),
    (${m['吴八']!.id}, 2025, '2025-01-01', 'employed')`);

  // the pipeline's steps
  await exec(sql`insert into member_stage_events (member_id, stage, occurred_on) values
    (${m['李二']!.id}, 'probationary', '2025-07-01'), (${m['赵四']!.id}, 'candidate', '2025-03-01'), (${m['钱五']!.id}, 'applicant', '2025-09-09'),
    (${m['张一']!.id}, 'full', '2016-03-01'), (${m['吴八']!.id}, 'full', '2025-05-05')`);

  // activities: held in Dec, Jun and — 00:30 on 1 January in China — Jan; a cancelled and a draft one do not count
  await activity(branchA, 'branch_committee_meeting', '2025-12-10T02:00:00Z', 'published');
  await activity(branchB, 'theme_day', '2025-06-15T02:00:00Z', 'closed');
  await activity(branchB, 'theme_day', '2025-06-20T02:00:00Z', 'cancelled');
  await activity(branchC, 'party_lesson', '2025-08-20T02:00:00Z', 'draft');
  await activity(branchC, 'seminar', '2024-12-31T16:30:00Z', 'published');
  await activity(otherRoot, 'seminar', '2025-03-03T02:00:00Z', 'published');

  // daily quiz and clock-ins
  await exec(sql`insert into daily_quiz_submissions (member_id, org_path, quiz_date, answers, correct_count, question_count, streak) values
    (${m['张一']!.id}, ${branchA.path}::ltree, '2025-03-01', '[]', 3, 5, 1), (${m['张一']!.id}, ${branchA.path}::ltree, '2025-03-02', '[]', 5, 5, 2),
    (${m['李二']!.id}, ${branchA.path}::ltree, '2025-04-01', '[]', 4, 5, 1), (${m['王三']!.id}, ${branchB.path}::ltree, '2024-12-31', '[]', 4, 5, 1),
    (${m['吴八']!.id}, ${otherRoot.path}::ltree, '2025-04-01', '[]', 4, 5, 1)`);
  await exec(sql`insert into clock_ins (member_id, org_path, day, note) values
    (${m['王三']!.id}, ${branchB.path}::ltree, '2025-05-05', '学习党章'), (${m['孙六']!.id}, ${bureau.path}::ltree, '2026-01-01', '新年学习')`);

  // an exam: attempts handed in at 23:59:59 on 30 June and at 00:30 on 1 July (China time)
  const paper = await idOf(sql`insert into papers (org_id, org_path, title, mode) values (${root.id}, ${root.path}::ltree, '党章测试卷', 'fixed') returning id::text`);
  const exam = await idOf(sql`insert into exams (org_id, org_path, paper_id, title, opens_at, closes_at, time_limit_minutes, pass_score, total_score)
    values (${root.id}, ${root.path}::ltree, ${paper}, '年度党章考试', '2025-06-01T00:00:00Z', '2025-07-31T00:00:00Z', 60, 60, 100) returning id::text`);
  for (const who of ['张一', '王三', '吴八']) {
    const person = m[who]!;
    await exec(sql`insert into exam_participants (exam_id, member_id, org_path) values (${exam}, ${person.id}, ${person.org.path}::ltree)`);
  }
  await exec(sql`insert into exam_attempts (exam_id, member_id, attempt_no, variant_no, seed, started_at, deadline_at, submitted_at, score, is_passed) values
    (${exam}, ${m['张一']!.id}, 1, 1, 1, '2025-06-30T15:00:00Z', '2025-06-30T16:00:00Z', '2025-06-30T15:59:59Z', 80, true),
    (${exam}, ${m['王三']!.id}, 1, 1, 1, '2025-06-30T16:00:00Z', '2025-06-30T17:00:00Z', '2025-06-30T16:30:00Z', 40, false),
    (${exam}, ${m['吴八']!.id}, 1, 1, 1, '2025-06-30T16:00:00Z', '2025-06-30T17:00:00Z', '2025-06-30T16:30:00Z', 90, true)`);

  // points: the months' totals (the points module's)
  await exec(sql`insert into points_totals (period, period_start, member_id, points, path) values
    ('month', '2025-03-01', ${m['张一']!.id}, 10, ${branchA.path + '.'}), ('month', '2025-04-01', ${m['郑九']!.id}, 5, ${branchC.path + '.'}),
    ('month', '2024-12-01', ${m['王三']!.id}, 3, ${branchB.path + '.'}), ('year', '2025-01-01', ${m['张一']!.id}, 10, ${branchA.path + '.'})`);

  // 办实事 and the people's ratings
  const p1 = await idOf(sql`insert into service_projects (org_id, org_path, title, category, source, need, owner_name, started_on, planned_completion, progress, status)
    values (${branchA.id}, ${branchA.path}::ltree, '老旧小区加装电梯', '民生', 'mass_feedback', '上下楼难', '张一', '2025-02-01', '2025-12-31', 40, 'in_progress') returning id::text`);
  await exec(sql`insert into service_projects (org_id, org_path, title, category, source, need, owner_name, started_on, planned_completion, completed_on, progress, status) values
    (${branchB.id}, ${branchB.path}::ltree, '去年的项目', '民生', 'assigned', '旧事', '王三', '2024-01-01', '2024-06-01', '2024-06-01', 100, 'done'),
    (${branchC.id}, ${branchC.path}::ltree, '便民服务窗口', '服务', 'survey_visit', '办事难', '郑九', '2025-05-01', '2025-09-01', '2025-08-01', 100, 'done')`);
  await exec(sql`insert into service_project_feedback (project_id, rating, ip, status, created_at) values
    (${p1}, 5, '10.0.0.1', 'approved', '2025-03-01T02:00:00Z'), (${p1}, 3, '10.0.0.2', 'approved', '2025-04-01T02:00:00Z'), (${p1}, 1, '10.0.0.3', 'pending', '2025-04-02T02:00:00Z')`);

  // volunteering
  const vp = await idOf(sql`insert into volunteer_projects (org_id, org_path, title, place, starts_at, ends_at, capacity)
    values (${branchA.id}, ${branchA.path}::ltree, '社区清洁', '东门社区', '2025-04-30T00:00:00Z', '2025-04-30T04:00:00Z', 10) returning id::text`);
  await exec(sql`insert into volunteer_signups (project_id, member_id, attended, hours_tenths, confirmed_at) values
    (${vp}, ${m['张一']!.id}, true, 25, '2025-05-01T02:00:00Z'), (${vp}, ${m['李二']!.id}, true, 10, '2026-01-02T02:00:00Z'), (${vp}, ${m['王三']!.id}, false, null, '2025-05-01T02:00:00Z')`);

  // venue visits
  const booker = await makeUser(db, [{ role: 'org_admin', org: branchC }]);
  const venue = await idOf(sql`insert into venues (org_id, org_path, name, kind) values (${branchC.id}, ${branchC.path}::ltree, '党性教育基地', 'exhibition_hall') returning id::text`);
  await exec(sql`insert into venue_bookings (venue_id, unit_name, unit_key, contact_name, contact_phone, visit_date, starts_at, ends_at, expected_headcount, actual_headcount, purpose, status, requested_by) values
    (${venue}, '市税务局', 'a', '甲', '13800000000', '2025-10-01', '2025-10-01T01:00:00Z', '2025-10-01T03:00:00Z', 30, 30, 'visit', 'visited', ${booker.id}),
    (${venue}, '市统计局', 'b', '乙', '13800000000', '2025-11-11', '2025-11-11T01:00:00Z', '2025-11-11T03:00:00Z', 15, 12, 'lecture', 'visited', ${booker.id}),
    (${venue}, '市审计局', 'c', '丙', '13800000000', '2025-12-01', '2025-12-01T01:00:00Z', '2025-12-01T03:00:00Z', 20, null, 'visit', 'confirmed', ${booker.id})`);

  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  branchAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  memberOnly = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: m['张一']!.id }));
});
afterAll(async () => ctx?.close());

async function figures(client: Client, org: OrgFixture, period: string): Promise<Figures> {
  const res = await client.get(`/api/dashboard/${org.id}/figures?period=${period}`);
  expect(res.statusCode, res.body).toBe(200);
  return FiguresSchema.parse(res.json());
}

/** Every record of a measure (one bucket with `key`), read page by page as the drill-down does. */
async function allRecords(client: Client, org: OrgFixture, measure: Measure, period: string, key?: string) {
  const items: { id: string; key: string; value: number | null; name: string; detail: string | null }[] = [];
  let total = -1;
  for (let page = 1; page < 100; page++) {
    const res = await client.get(`/api/dashboard/${org.id}/measures/${measure}/records?period=${period}&page=${page}&pageSize=2${key === undefined ? '' : `&key=${encodeURIComponent(key)}`}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    total = body.total;
    items.push(...body.items);
    if (body.items.length < 2) break;
  }
  return { total, items };
}

const counts = (f: Figures, measure: Measure) => Object.fromEntries(f.measures[measure].buckets.map((b) => [b.key, b.count]));

describe('the figures of a subtree for a period', () => {
  it('counts each measure exactly from the records of the subtree and the period', async () => {
    const f = await figures(rootAdmin, root, '2025');
    expect(f).toMatchObject({ orgId: root.id, period: '2025', from: '2025-01-01', to: '2025-12-31', asOf: '2025-12-31' });
    expect(counts(f, 'orgs_by_type')).toEqual({ work_committee: 1, organ_committee: 1, branch: 3, group: 1 });
    expect(counts(f, 'members_by_stage')).toEqual({ full: 4, probationary: 1, candidate: 1, applicant: 1 });
    expect(counts(f, 'members_by_gender')).toEqual({ male: 3, female: 2 });
    expect(counts(f, 'members_by_age')).toEqual({ to_30: 1, '31_40': 2, '41_50': 1, over_60: 1 });
    expect(counts(f, 'members_by_education')).toEqual({ 本科: 2, 研究生: 1, 大专: 1, unknown: 1 });
    expect(counts(f, 'members_by_ethnicity')).toEqual({ 汉族: 4, 回族: 1 });
    expect(counts(f, 'members_by_category')).toEqual({ employed: 1, retired: 1, student: 1, rural: 1, unregistered: 1 });
    expect(f.measures.members_by_child.buckets).toEqual([
      { key: bureau.id, label: '市财政局机关党委', count: 4, sum: 0 }, { key: branchC.id, label: '工委办公室党支部', count: 1, sum: 0 },
    ].sort((a, b) => a.key.localeCompare(b.key)));
    expect(counts(f, 'pipeline_flow')).toEqual({ probationary: 1, candidate: 1, applicant: 1 });
    expect(counts(f, 'terms_due')).toEqual({ overdue: 1, due_90: 1 });
    // branches A, B, C × 支部党员大会, 支委会, 党课 and the group's 党小组会; A's 支委会 in December is the one held
    expect(f.measures.compliance.count).toBe(10);
    expect(counts(f, 'compliance').done).toBe(1);
    expect(f.measures.quiz_participation).toMatchObject({ count: 2, sum: 3 });
    expect(f.measures.study_participation).toMatchObject({ count: 1, sum: 1 });
    expect(counts(f, 'exam_participation')).toEqual({ passed: 1, failed: 1 });
    expect(f.measures.exam_participation.sum).toBe(120);
    expect(f.measures.org_points).toMatchObject({ count: 2, sum: 15 });
    expect(counts(f, 'service_projects')).toEqual({ in_progress: 1, done: 1 });
    expect(f.measures.service_projects.sum).toBe(140);
    expect(counts(f, 'service_satisfaction')).toEqual({ 5: 1, 3: 1 });
    expect(f.measures.service_satisfaction.sum).toBe(8);
    expect(f.measures.volunteer_hours).toMatchObject({ count: 1, sum: 25 });
    expect(counts(f, 'venue_visits')).toEqual({ visit: 1, lecture: 1 });
    expect(f.measures.venue_visits.sum).toBe(42);
    expect(counts(f, 'activities_by_month')).toEqual({ '2025-01': 1, '2025-06': 1, '2025-12': 1 });
    expect(counts(f, 'new_members_by_month')).toEqual({ '2025-01': 1, '2025-07': 1 });
  });

  it.each(MEASURES)('opens the records %s counts: each bucket’s list has the figure’s count and sum', async (measure) => {
    const f = await figures(rootAdmin, root, '2025');
    const figure = f.measures[measure];
    const all = await allRecords(rootAdmin, root, measure, '2025');
    expect(all.total).toBe(figure.count);
    expect(all.items).toHaveLength(figure.count);
    expect(new Set(all.items.map((r) => r.id)).size).toBe(figure.count);
    for (const bucket of figure.buckets) {
      const list = await allRecords(rootAdmin, root, measure, '2025', bucket.key);
      expect(list.total, bucket.key).toBe(bucket.count);
      expect(list.items.map((r) => r.key)).toEqual(Array(bucket.count).fill(bucket.key));
      expect(list.items.reduce((s, r) => s + (r.value ?? 0), 0), bucket.key).toBe(measure === 'compliance' ? list.items.reduce((s, r) => s + (r.value ?? 0), 0) : bucket.sum);
    }
    expect((await allRecords(rootAdmin, root, measure, '2025', 'no-such-bucket')).total).toBe(0);
  });

  it('lists the very records the test created, personal data masked', async () => {
    const quiz = await allRecords(rootAdmin, root, 'quiz_participation', '2025');
    expect(quiz.items.map((r) => [r.name, r.value])).toEqual([['张一', 2], ['李二', 1]]);
    const stage = await allRecords(rootAdmin, root, 'members_by_stage', '2025', 'probationary');
    expect(stage.items).toEqual([expect.objectContaining({ id: m['李二']!.id, name: '李二', detail: '138****5678' })]);
    const body = JSON.stringify(await allRecords(rootAdmin, root, 'members_by_stage', '2025'));
    expect(body).not.toContain('13812345678');
    const visits = await allRecords(rootAdmin, root, 'venue_visits', '2025');
    expect(visits.items.map((r) => [r.name, r.value])).toEqual([['市统计局', 12], ['市税务局', 30]]);
  });

  it('counts a district (a child’s subtree) alone', async () => {
    const f = await figures(rootAdmin, bureau, '2025');
    expect(counts(f, 'members_by_stage')).toEqual({ full: 3, probationary: 1, candidate: 1, applicant: 1 });
    expect(counts(f, 'orgs_by_type')).toEqual({ organ_committee: 1, branch: 2, group: 1 });
    expect(f.measures.org_points).toMatchObject({ count: 1, sum: 10 });
    expect(f.measures.venue_visits.count).toBe(0);
  });

  it('bounds periods by China time: 00:30 on 1 July is July, 23:59:59 on 30 June is June', async () => {
    const june = await figures(rootAdmin, root, '2025-06');
    expect(counts(june, 'exam_participation')).toEqual({ passed: 1 });
    const july = await figures(rootAdmin, root, '2025-07');
    expect(counts(july, 'exam_participation')).toEqual({ failed: 1 });
    const q3 = await figures(rootAdmin, root, '2025-Q3');
    expect(q3).toMatchObject({ from: '2025-07-01', to: '2025-09-30' });
    expect(counts(q3, 'pipeline_flow')).toEqual({ probationary: 1, applicant: 1 });
    // the dues base in force at the period's end, or the year's first when it starts later (孙六's in July)
    expect(counts(await figures(rootAdmin, root, '2025-Q1'), 'members_by_category')).toEqual({ employed: 2, retired: 1, rural: 1, unregistered: 1 });
    expect(counts(q3, 'members_by_category')).toEqual({ employed: 1, retired: 1, student: 1, rural: 1, unregistered: 1 });
    expect(counts(await figures(rootAdmin, root, '2024'), 'members_by_category')).toEqual({ employed: 1, unregistered: 4 });
    // the activity at 00:30 on 1 January 2025 (16:30 UTC on 31 December) is January's
    const jan = await figures(rootAdmin, root, '2025-01');
    expect(counts(jan, 'activities_by_month')['2025-01']).toBe(1);
    expect(counts(jan, 'activities_by_month')['2024-12']).toBeUndefined();
  });

  it('follows a write at once: the cached figures are invalidated by the epoch the write bumps', async () => {
    const before = await figures(rootAdmin, root, '2025');
    await member('新党员', branchC, { gender: 'female', birth: '1995-01-01', education: '本科', joined: '2025-11-11' });
    const after = await figures(rootAdmin, root, '2025');
    expect(counts(after, 'members_by_stage').full).toBe(counts(before, 'members_by_stage').full! + 1);
    expect(counts(after, 'new_members_by_month')['2025-11']).toBe(1);
    await exec(sql`update members set left_at = now() where id = ${m['新党员']!.id}`);
    expect(counts(await figures(rootAdmin, root, '2025'), 'members_by_stage')).toEqual(counts(before, 'members_by_stage'));
    // a dues base registered moves the member out of 未登记 (dues_bases raises the dues epoch)
    await exec(sql`insert into dues_bases (member_id, year, effective_month, category) values (${m['郑九']!.id}, 2025, '2025-06-01', 'employed')`);
    expect(counts(await figures(rootAdmin, root, '2025'), 'members_by_category')).toEqual({ employed: 2, retired: 1, student: 1, rural: 1 });
    await exec(sql`delete from dues_bases where member_id = ${m['郑九']!.id}`);
    // the org is read again when the orgs epoch moves: a rename shows at once
    await exec(sql`update orgs set name = '市直机关工委（新）' where id = ${root.id}`);
    expect((await figures(rootAdmin, root, '2025')).orgName).toBe('市直机关工委（新）');
    await exec(sql`update orgs set name = '市直机关工委' where id = ${root.id}`);
    expect((await figures(rootAdmin, root, '2025')).orgName).toBe('市直机关工委');
    expect(counts(await figures(rootAdmin, root, '2025'), 'members_by_category')).toEqual(counts(before, 'members_by_category'));
  });
});

describe('the version numbers of the sources', () => {
  const sums = async () => (await ctx.database.db.execute<{ source: string; n: string } & Record<string, unknown>>(sql`
    select source, sum(n)::text as n from dashboard_epochs group by source order by source`)).rows;

  it('counts each write statement once in the source it touches, in the writing backend’s own row', async () => {
    const before = Object.fromEntries((await sums()).map((r) => [r.source, BigInt(r.n)]));
    await exec(sql`insert into clock_ins (member_id, org_path, day, note) values (${m['郑九']!.id}, ${branchC.path}::ltree, '2024-01-01', '旧打卡'), (${m['张一']!.id}, ${branchA.path}::ltree, '2024-01-01', '旧打卡')`);
    const after = Object.fromEntries((await sums()).map((r) => [r.source, BigInt(r.n)]));
    expect(after).toEqual({ ...before, learning: before.learning! + 1n });
  });

  it('folds the rows of ended backends into row 0 without changing any sum', async () => {
    await exec(sql`insert into dashboard_epochs (source, backend, n) values ('quiz', 2000000001, 7), ('members', 2000000001, 5)`);
    const before = await sums();
    await exec(sql`select dashboard_epochs_fold()`);
    expect(await sums()).toEqual(before);
    expect((await ctx.database.db.execute(sql`select 1 from dashboard_epochs where backend = 2000000001`)).rows).toEqual([]);
  });

  it('folds them hourly through the scheduler: the job of the hour’s slot leaves the sums and drops the rows', async () => {
    await exec(sql`insert into dashboard_epochs (source, backend, n) values ('dues', 2000000002, 3), ('orgs', 2000000002, 4)`);
    const before = await sums();
    const quiet: JobLog = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
    expect(await runDueJobs(ctx.database.db, dashboardJobs, new Date('2030-01-01T10:20:00Z'), quiet)).toBe(1);
    expect(await sums()).toEqual(before);
    expect((await ctx.database.db.execute(sql`select 1 from dashboard_epochs where backend = 2000000002`)).rows).toEqual([]);
    // once per hour: the same slot again runs nothing
    expect(await runDueJobs(ctx.database.db, dashboardJobs, new Date('2030-01-01T10:50:00Z'), quiet)).toBe(0);
  });
});

describe('the figures the site’s processes share (dashboard_figures)', () => {
  // periods of 2019 are opened nowhere else in this file: this process holds none of their figures
  const keyOf = (measure: Measure, period: string, asOf: string) => `${measure}|${branchC.id}|${period}|${asOf}`;
  const stored = async (period: string) => (await ctx.database.db.execute<{ key: string; epoch: string; figure: unknown } & Record<string, unknown>>(sql`
    select key, epoch::text as epoch, figure from dashboard_figures where key like ${`%|${branchC.id}|${period}|%`} order by key`)).rows;
  const forged = { count: 4242, sum: 0, buckets: [{ key: 'full', label: null, count: 4242, sum: 0 }] };

  it('answers from a figure another process computed at a number at least the one read, and writes back what it computes', async () => {
    await exec(sql`insert into dashboard_figures (key, epoch, figure) values (${keyOf('members_by_stage', '2019-03', '2019-03-31')}, 1e30, ${JSON.stringify(forged)}::jsonb)`);
    const answer = await figures(rootAdmin, branchC, '2019-03');
    // the other process's figure, not one computed here (the branch has no member of 4,242)
    expect(answer.measures.members_by_stage).toEqual(forged);
    const rows = await stored('2019-03');
    expect(rows.map((r) => r.key).sort()).toEqual(MEASURES.map((mm) => keyOf(mm, '2019-03', '2019-03-31')).sort());
    const epochNow = (await ctx.database.db.execute<{ n: string } & Record<string, unknown>>(sql`select sum(n)::text as n from dashboard_epochs`)).rows[0]!.n;
    for (const r of rows) {
      const measure = r.key.split('|')[0] as Measure;
      // each figure computed here is stored as it was answered, at a number no larger than the sum of all sources now
      expect(r.figure).toEqual(answer.measures[measure]);
      if (measure !== 'members_by_stage') expect(BigInt(r.epoch) <= BigInt(epochNow)).toBe(true);
    }
  });

  it('computes again when the stored figure is older than the number read, and stores the new one in its place', async () => {
    await exec(sql`insert into dashboard_figures (key, epoch, figure) values (${keyOf('members_by_stage', '2019-04', '2019-04-30')}, 0, ${JSON.stringify(forged)}::jsonb)`);
    const answer = await figures(rootAdmin, branchC, '2019-04');
    expect(answer.measures.members_by_stage).not.toEqual(forged);
    expect(counts(answer, 'members_by_stage')).toEqual({ full: 1 });
    const row = (await stored('2019-04')).find((r) => r.key === keyOf('members_by_stage', '2019-04', '2019-04-30'))!;
    expect(row.figure).toEqual(answer.measures.members_by_stage);
    expect(BigInt(row.epoch) > 0n).toBe(true);
  });

  it('prunes rows not written for two days in the hourly job, and keeps the others', async () => {
    await exec(sql`insert into dashboard_figures (key, epoch, figure, computed_at) values ('members_by_stage|0|2018|2018-12-31', 1, '{}'::jsonb, now() - interval '3 days')`);
    const before = await countRows(ctx.database.db, 'dashboard_figures');
    const quiet: JobLog = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
    expect(await runDueJobs(ctx.database.db, dashboardJobs, new Date('2030-01-01T12:20:00Z'), quiet)).toBe(1);
    expect(await countRows(ctx.database.db, 'dashboard_figures')).toBe(before - 1);
    expect((await ctx.database.db.execute(sql`select 1 from dashboard_figures where key = 'members_by_stage|0|2018|2018-12-31'`)).rows).toEqual([]);
  });
});

describe('who may see a dashboard', () => {
  it('lets a branch admin see the own branch, and answers 404 for a sibling, the parent and another tree', async () => {
    expect(counts(await figures(branchAdmin, branchA, '2025'), 'members_by_stage')).toEqual({ full: 1, probationary: 1, applicant: 1 });
    for (const org of [branchB, bureau, root, otherRoot]) {
      expect((await branchAdmin.get(`/api/dashboard/${org.id}/figures?period=2025`)).statusCode).toBe(404);
      expect((await branchAdmin.get(`/api/dashboard/${org.id}/measures/members_by_stage/records?period=2025`)).statusCode).toBe(404);
    }
    expect((await otherAdmin.get(`/api/dashboard/${root.id}/figures?period=2025`)).statusCode).toBe(404);
  });

  it('answers 404 to a member without an admin role and 401 without a session', async () => {
    expect((await memberOnly.get(`/api/dashboard/${branchA.id}/figures?period=2025`)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/dashboard/${root.id}/figures?period=2025` })).statusCode).toBe(401);
  });

  it('refuses a bad period or measure with 400 naming the field', async () => {
    for (const period of ['2025-13', '2025-Q5', '25', '2025-1', '0999', '']) {
      const res = await rootAdmin.get(`/api/dashboard/${root.id}/figures?period=${period}`);
      expect(res.statusCode, period).toBe(400);
      expect(Object.keys(res.json().error.fields)).toEqual(['period']);
      expect(res.json().error.fields.period).toMatch(/YYYY/);
    }
    const res = await rootAdmin.get(`/api/dashboard/${root.id}/measures/nothing/records?period=2025`);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(['measure']);
    expect((await rootAdmin.get(`/api/dashboard/${root.id}/measures/members_by_stage/records?period=2025&pageSize=500`)).statusCode).toBe(400);
  });
});

describe('frozen reports', () => {
  it('stores the figures with who froze them and when; later changes do not alter the report', async () => {
    const auditBefore = await countRows(ctx.database.db, 'audit_log');
    const res = await rootAdmin.post(`/api/dashboard/${root.id}/reports`, { period: '2025', title: '2025年度党建数据' });
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json();
    expect(report).toMatchObject({ orgId: root.id, orgName: '市直机关工委', period: '2025', title: '2025年度党建数据' });
    expect(report.frozenBy).toBeTruthy();
    const frozenFull = counts(report.figures, 'members_by_stage').full;
    expect(await countRows(ctx.database.db, 'audit_log')).toBe(auditBefore + 1);

    await member('后来者', branchA, { gender: 'male', birth: '1992-02-02', joined: '2025-10-10' });
    expect(counts(await figures(rootAdmin, root, '2025'), 'members_by_stage').full).toBe(frozenFull! + 1);
    const reopened = (await rootAdmin.get(`/api/dashboard/reports/${report.id}`)).json();
    expect(reopened).toEqual(report);

    const list = (await rootAdmin.get(`/api/dashboard/${root.id}/reports`)).json();
    expect(list.items.map((r: { id: string }) => r.id)).toContain(report.id);
    expect(list.total).toBe(list.items.length);
  });

  it('exports a report as an .xlsx workbook and a printable PDF that parse', async () => {
    const report = (await rootAdmin.post(`/api/dashboard/${root.id}/reports`, { period: '2025-Q3' })).json();
    const xlsx = await rootAdmin.get(`/api/dashboard/reports/${report.id}/export.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain('attachment');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('指标')!;
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    const flow = rows.find((r) => r[1] === '发展党员流转（本期）' && r[2] === '合计')!;
    expect(flow[3]).toBe(2);
    expect(book.getWorksheet('概况')!.getCell('B2').value).toBe(report.title);

    const pdf = await rootAdmin.get(`/api/dashboard/reports/${report.id}/export.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const parsed = parsePdf(pdf.rawPayload);
    expect(parsed.contents.join('\n')).toContain(pdfHexText('发展党员流转（本期）'));
    // the member categories are in the report too, 未登记 among them
    const category = rows.filter((r) => r[1] === '党员类别（按党费交纳基数）').map((r) => [r[2], r[3]]);
    const frozen = report.figures.measures.members_by_category as Figures['measures']['members_by_category'];
    const names: Record<string, string> = { employed: '在职', retired: '离退休', rural: '农民', student: '学生', unregistered: '未登记' };
    expect(category).toEqual([['合计', frozen.count], ...frozen.buckets.map((b) => [names[b.key], b.count])]);
    expect(category.map((r) => r[0])).toEqual(['合计', '在职', '离退休', '农民', '学生', '未登记']);
  });

  it('opens and exports a report frozen before a measure existed, without that measure (not as zero)', async () => {
    const report = (await rootAdmin.post(`/api/dashboard/${root.id}/reports`, { period: '2025' })).json();
    await exec(sql`update dashboard_reports set figures = figures #- '{measures,members_by_category}' where id = ${report.id}`);
    const opened = await rootAdmin.get(`/api/dashboard/reports/${report.id}`);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().figures.measures.members_by_category).toBeUndefined();
    expect(opened.json().figures.measures.members_by_stage.count).toBe(report.figures.measures.members_by_stage.count);
    const xlsx = await rootAdmin.get(`/api/dashboard/reports/${report.id}/export.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const names = new Set((book.getWorksheet('指标')!.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r[1]));
    expect(names.has('党员类别（按党费交纳基数）')).toBe(false);
    expect(names.has('党员学历结构')).toBe(true);
    expect((await rootAdmin.get(`/api/dashboard/reports/${report.id}/export.pdf`)).statusCode).toBe(200);
  });

  it('keeps a report from admins outside its org (404), and refuses a bad period with nothing stored', async () => {
    const report = (await rootAdmin.post(`/api/dashboard/${root.id}/reports`, { period: '2025-06' })).json();
    for (const path of ['', '/export.xlsx', '/export.pdf']) expect((await branchAdmin.get(`/api/dashboard/reports/${report.id}${path}`)).statusCode).toBe(404);
    expect((await branchAdmin.get(`/api/dashboard/${root.id}/reports`)).statusCode).toBe(404);
    expect((await branchAdmin.post(`/api/dashboard/${root.id}/reports`, { period: '2025' })).statusCode).toBe(404);
    const before = await countRows(ctx.database.db, 'dashboard_reports');
    const bad = await rootAdmin.post(`/api/dashboard/${root.id}/reports`, { period: '2025-00' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['period']);
    expect(await countRows(ctx.database.db, 'dashboard_reports')).toBe(before);
  });
});
