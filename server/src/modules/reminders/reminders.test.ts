import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';
import type { App } from '../../platform/app.js';
import type { Db } from '../../platform/db.js';
import { runDueJobs, type JobLog } from '../../platform/scheduler.js';
import { examOpeningJob } from './exam-opening.js';
import { reminderJobs, weekStartOf } from './jobs.js';

/*
 * The reminders run as the scheduler runs them (runDueJobs with a chosen instant), on a tree whose
 * records make each kind due: 2026-12-28 (a Monday, China time) is three days before the month and
 * the quarter end, so a branch without meetings this period has them due soon or, if it also had none
 * last period, overdue.
 */
let ctx: TestContext;
let db: Db;
let second: App;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture;
let bureauAdmin: UserFixture, secretaryA: UserFixture, memberA: UserFixture, memberB: UserFixture, rootAdmin: UserFixture;
let asBureauAdmin: Client;
const quiet: JobLog = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const NOW = new Date('2026-12-28T02:00:00Z');

type Row = Record<string, unknown>;

beforeAll(async () => {
  ctx = await startTestApp();
  db = ctx.database.db;
  second = await buildTestApp(ctx.database);
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee', termEnd: '2027-01-20' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部', termEnd: '2026-12-01' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  // branch A was founded long ago and held nothing last period either: overdue; branch B is new this period: due soon
  await db.execute(sql`update orgs set created_at = '2025-01-01T00:00:00Z' where id in (${root.id}, ${bureau.id}, ${branchA.id})`);
  rootAdmin = await makeUser(db, [{ role: 'org_admin', org: root }]);
  bureauAdmin = await makeUser(db, [{ role: 'org_admin', org: bureau }]);
  secretaryA = await makeUser(db, [{ role: 'org_admin', org: branchA }]);
  memberA = await makeUser(db, [{ role: 'member' }], { memberId: (await makeMember(db, branchA, { name: '张伟' })).id });
  memberB = await makeUser(db, [{ role: 'member' }], { memberId: (await makeMember(db, branchB, { name: '孙丽' })).id });
  // 预备党员: branch A's ends 2027-01-10 (within 30 days), branch B's ended 2026-11-01 (not yet converted)
  await makeMember(db, branchA, { name: '赵强', stage: 'probationary', joinedOn: '2026-01-10' });
  await makeMember(db, branchB, { name: '周杰', stage: 'probationary', joinedOn: '2025-11-01' });
  asBureauAdmin = await login(ctx.app, bureauAdmin);
});
afterAll(async () => {
  await second?.close();
  await ctx?.close();
});

async function inboxOf(user: UserFixture) {
  return (await db.execute<{ kind: string; title: string; link: string; dedupe_key: string } & Row>(sql`
    select kind, title, link, dedupe_key from inbox_items where user_id = ${user.id} order by title`)).rows;
}
const titles = async (user: UserFixture) => (await inboxOf(user)).map((r) => r.title);

/** Both server processes run the reminders at the same instant, twice: what they deliver must not double. */
async function runEverywhere(now: Date) {
  await Promise.all([runDueJobs(ctx.app.database.db, reminderJobs, now, quiet), runDueJobs(second.database.db, reminderJobs, now, quiet)]);
  await Promise.all([runDueJobs(ctx.app.database.db, reminderJobs, now, quiet), runDueJobs(second.database.db, reminderJobs, now, quiet)]);
}

describe('daily reminders to the administrators', () => {
  beforeAll(async () => {
    // make-up tasks of member A: two open, one done; a member without an account has one too
    const secretary = await login(ctx.app, secretaryA);
    const activityIds: string[] = [];
    for (const title of ['主题党日一', '主题党日二', '主题党日三']) {
      const res = await secretary.post('/api/activities', {
        orgId: branchA.id, type: 'theme_day', title, startsAt: '2027-03-01T01:00:00Z', endsAt: '2027-03-01T02:00:00Z', participants: { orgIds: [branchA.id] },
      });
      expect(res.statusCode, res.body).toBe(201);
      activityIds.push(res.json().id);
    }
    const noAccount = await makeMember(db, branchA, { name: '王芳' });
    const memberAId = (await db.execute<{ member_id: string } & Row>(sql`select member_id::text from users where id = ${memberA.id}`)).rows[0]!.member_id;
    await db.execute(sql`insert into make_up_tasks (activity_id, member_id, org_path, reason, status) values
      (${activityIds[0]}, ${memberAId}, ${branchA.path}::ltree, 'absent', 'open'),
      (${activityIds[1]}, ${memberAId}, ${branchA.path}::ltree, 'leave', 'open'),
      (${activityIds[2]}, ${memberAId}, ${branchA.path}::ltree, 'absent', 'done'),
      (${activityIds[0]}, ${noAccount.id}, ${branchA.path}::ltree, 'absent', 'open')`);
    await runEverywhere(NOW);
  });

  it('tells a branch\'s own administrators of its 三会一课 overdue, its term ended and its probation ending', async () => {
    expect(await titles(secretaryA)).toEqual([
      '三会一课逾期：预算处党支部有 3 项上期和本期均未召开',
      '换届已到期：预算处党支部届期已于 2026-12-01 届满，请及时换届',
      '预备期将满：预算处党支部有 1 名预备党员预备期将于 2027-01-10 起陆续届满',
    ].sort());
    const meetings = (await inboxOf(secretaryA)).find((r) => r.title.startsWith('三会一课'))!;
    expect(meetings).toMatchObject({ kind: 'reminder', link: `/activities/compliance?orgId=${branchA.id}&status=overdue` });
  });

  it('tells the nearest administrators above a branch that has none, and an org\'s own of its term due', async () => {
    expect(await titles(bureauAdmin)).toEqual([
      '三会一课即将到期：国库处党支部有 3 项本期尚未召开（2026-12-31 前）',
      '换届提醒：市财政局机关党委届期将于 2027-01-20 届满（30 天内）',
      '预备期已满：国库处党支部有 1 名预备党员预备期已满，尚未讨论转正',
    ].sort());
    // the work committee's administrators are not told of what its bureau's administrators see to
    expect(await titles(rootAdmin)).toEqual([]);
  });

  it('tells a member of their open make-up tasks, and nobody else of them', async () => {
    expect(await inboxOf(memberA)).toEqual([{
      kind: 'reminder', title: '补学提醒：您有 2 项补学任务待完成', link: '/me/activities?tab=make-up', dedupe_key: `make_up:${(await memberIdOf(memberA))}:2026-12-28`,
    }]);
    expect(await titles(memberB)).toEqual([]);
  });

  it('repeats nothing on the next days of the same period, whichever process runs them', async () => {
    const before = await totalItems();
    await runEverywhere(new Date(NOW.getTime() + 86_400_000));
    await runEverywhere(new Date(NOW.getTime() + 2 * 86_400_000));
    expect(await totalItems()).toBe(before);
  });

  it('reminds of open make-up tasks again the next week', async () => {
    await runEverywhere(new Date('2027-01-04T02:00:00Z'));
    expect((await inboxOf(memberA)).map((r) => r.dedupe_key).sort()).toEqual([
      `make_up:${await memberIdOf(memberA)}:2026-12-28`, `make_up:${await memberIdOf(memberA)}:2027-01-04`,
    ]);
  });

  it('counts weeks from Monday in China', () => {
    expect(weekStartOf('2026-12-28')).toBe('2026-12-28');
    expect(weekStartOf('2027-01-03')).toBe('2026-12-28');
    expect(weekStartOf('2027-01-04')).toBe('2027-01-04');
  });
});

describe('exam opening', () => {
  let paperId: string;
  beforeAll(async () => {
    const question = await asBureauAdmin.post('/api/questions', { orgId: bureau.id, type: 'true_false', stem: '预备党员的预备期为一年。', answer: true, difficulty: 'easy' });
    expect(question.statusCode, question.body).toBe(201);
    const paper = await asBureauAdmin.post('/api/papers', { orgId: bureau.id, title: '党章测试卷', mode: 'fixed', questions: [{ questionId: question.json().id, score: 100 }] });
    expect(paper.statusCode, paper.body).toBe(201);
    paperId = paper.json().id;
  });

  async function createExam(title: string, opensInMinutes: number) {
    const res = await asBureauAdmin.post('/api/exams', {
      orgId: bureau.id, paperId, title, opensAt: new Date(Date.now() + opensInMinutes * 60_000).toISOString(),
      closesAt: new Date(Date.now() + (opensInMinutes + 120) * 60_000).toISOString(), timeLimitMinutes: 30, passScore: 60, participantOrgIds: [branchA.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }
  const examItems = async (examId: string) => (await db.execute<{ user_id: string; title: string } & Row>(sql`
    select user_id::text, title from inbox_items where source_type = 'exam' and source_id = ${examId}`)).rows;
  const poll = (minutesAhead: number) => Promise.all([
    runDueJobs(ctx.app.database.db, [examOpeningJob], new Date(Date.now() + minutesAhead * 60_000), quiet),
    runDueJobs(second.database.db, [examOpeningJob], new Date(Date.now() + minutesAhead * 60_000), quiet),
  ]);

  it('tells the participants with an account when the exam opens, once, and not before', async () => {
    const examId = await createExam('党章党规知识测试', 30);
    await poll(29);
    expect(await examItems(examId)).toEqual([]);
    await poll(31);
    await poll(32);
    expect(await examItems(examId)).toEqual([{ user_id: memberA.id, title: '考试已开放：党章党规知识测试' }]);
  });

  it('follows a changed opening time and tells nobody of a cancelled exam', async () => {
    const moved = await createExam('推迟的考试', 30);
    expect((await asBureauAdmin.patch(`/api/exams/${moved}`, { opensAt: new Date(Date.now() + 90 * 60_000).toISOString() })).statusCode).toBe(200);
    const cancelled = await createExam('取消的考试', 30);
    expect((await asBureauAdmin.post(`/api/exams/${cancelled}/cancel`, { reason: '时间冲突' })).statusCode).toBe(200);
    await poll(60);
    expect(await examItems(moved)).toEqual([]);
    expect(await examItems(cancelled)).toEqual([]);
    await poll(91);
    expect((await examItems(moved)).map((r) => r.user_id)).toEqual([memberA.id]);
    expect(await examItems(cancelled)).toEqual([]);
  });
});

async function memberIdOf(user: UserFixture): Promise<string> {
  return (await db.execute<{ member_id: string } & Row>(sql`select member_id::text from users where id = ${user.id}`)).rows[0]!.member_id;
}

async function totalItems(): Promise<number> {
  return Number((await db.execute<{ n: number } & Row>(sql`select count(*)::int as n from inbox_items`)).rows[0]!.n);
}
