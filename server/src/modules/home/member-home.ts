import { sql } from 'drizzle-orm';
import type { MemberHome } from '../../../../contracts/home.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { forbidden } from '../../platform/errors.js';
import { getToday } from '../daily_quiz/service.js';
import { listActivities } from '../activities/service.js';
import { listMakeUpTasks } from '../activities/participation.js';
import { listMyExams } from '../exams/service.js';
import { memberLeaderboard } from '../points/service.js';
import { loadMemberContext } from '../points/member-context.js';
import { unreadCount } from '../inbox/service.js';
import { hasMemberHome } from './policy.js';

/** How many of each list the home page shows; each card's total counts them all and links to the list. */
const SHOWN = 5;

/**
 * A member's day on one page, from the modules' own services (each answers what its page answers): today's
 * quiz, the activities to attend, 补学, study plans, open exams, the inbox and the year's points.
 */
export async function memberHome(db: Db, actor: Actor): Promise<MemberHome> {
  if (!hasMemberHome(actor)) throw forbidden('home.members_only');
  const me = await loadMemberContext(db, actor.memberId!);
  if (!me) throw forbidden('home.members_only');
  const today = todayInChina();
  const now = new Date();
  const [quiz, activities, makeUp, plans, exams, unread, board] = await Promise.all([
    getToday(db, actor),
    listActivities(db, actor, { mine: '1', status: 'published', from: now.toISOString(), page: 1, pageSize: 50 }),
    listMakeUpTasks(db, actor, { status: 'open', page: 1, pageSize: SHOWN }),
    studyPlansInProgress(db, me.id, me.orgPath, today),
    listMyExams(db, actor),
    unreadCount(db, actor.userId),
    memberLeaderboard(db, actor, { period: 'year', page: 1, pageSize: 1 }),
  ]);
  const openExams = exams.items.filter((e) => e.status === 'open' && (e.inProgressAttemptId !== null || e.attemptsUsed < e.maxAttempts));
  const soonestFirst = [...activities.items].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
  const signedIn = new Set(['present', 'late']);
  return {
    asOf: today,
    dailyQuiz: {
      status: quiz.submission ? 'done' : quiz.questions.length ? 'open' : 'none',
      questionCount: quiz.questions.length,
      correctCount: quiz.submission?.correctCount ?? null,
      streak: quiz.streak,
    },
    activities: {
      total: activities.total,
      items: soonestFirst.slice(0, SHOWN).map((a) => ({
        id: a.id, title: a.title, type: a.type, startsAt: a.startsAt, endsAt: a.endsAt, place: a.place, myState: a.myState,
        canCheckInNow: Date.parse(a.checkInOpensAt) <= now.getTime() && now.getTime() <= Date.parse(a.checkInClosesAt) && !signedIn.has(a.myState ?? ''),
      })),
    },
    makeUp: { open: makeUp.total, items: makeUp.items.map((t) => ({ id: t.id, activityId: t.activityId, activityTitle: t.activityTitle, startsAt: t.startsAt })) },
    studyPlans: plans,
    exams: {
      total: openExams.length,
      items: openExams.slice(0, SHOWN).map((e) => ({ id: e.id, title: e.title, closesAt: e.closesAt, attemptsLeft: Math.max(0, e.maxAttempts - e.attemptsUsed), inProgress: e.inProgressAttemptId !== null })),
    },
    unreadNotices: unread,
    points: { thisYear: board.me?.points ?? 0, rank: board.me?.rank ?? null, rankedCount: board.total },
  };
}

type PlanRow = { id: string; title: string; ends_on: string; item_count: number; done_count: number; total: number } & Record<string, unknown>;

/**
 * Study plans addressed to the member (published by the member's org or an org above it) that run today and
 * that the member has not finished: the learning module lists every visible plan, not "what is left to me".
 */
export async function studyPlansInProgress(db: Db, memberId: string, memberOrgPath: string, today: string): Promise<MemberHome['studyPlans']> {
  const rows = await db.execute<PlanRow>(sql`
    with plans as (
      select p.id, p.title, p.ends_on,
             (select count(*) from study_plan_items i where i.plan_id = p.id)::int as item_count,
             (select count(*) from study_plan_progress g where g.plan_id = p.id and g.member_id = ${memberId})::int as done_count
        from study_plans p
       where p.org_path @> ${memberOrgPath}::ltree and p.starts_on <= ${today}::date and p.ends_on >= ${today}::date
    )
    select id::text, title, ends_on::text, item_count, done_count, count(*) over ()::int as total
      from plans where done_count < item_count
     order by ends_on, id limit ${SHOWN}`);
  return {
    total: Number(rows.rows[0]?.total ?? 0),
    items: rows.rows.map((r) => ({ id: r.id, title: r.title, endsOn: r.ends_on, itemCount: Number(r.item_count), doneCount: Number(r.done_count) })),
  };
}
