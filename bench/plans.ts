/**
 * bench/PLANS.md: EXPLAIN (ANALYZE, BUFFERS) of every query of the hot paths, on the bench
 * database (run `npm run bench` or seed:scale first). The SQL is not copied here: the real
 * services run against a pool that records what they send, and each recorded statement is then
 * explained with the same parameters (writes inside a rolled-back transaction).
 *
 *   npx tsx bench/plans.ts      (BENCH_DATABASE_URL or the dangjian_bench database)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { ParticipationQuerySchema } from '../contracts/daily_quiz.js';
import { MemberExportQuerySchema, MemberListQuerySchema } from '../contracts/members.js';
import { LeaderboardQuerySchema } from '../contracts/points.js';
import type { Actor } from '../server/src/platform/actor.js';
import type { Database, Db } from '../server/src/platform/db.js';
import { loadSession } from '../server/src/platform/session.js';
import { login } from '../server/src/modules/auth/service.js';
import { getMember } from '../server/src/modules/members/detail.js';
import { listMembers } from '../server/src/modules/members/list.js';
import { listChildren } from '../server/src/modules/orgs/service.js';
import { getToday, participation, submit } from '../server/src/modules/daily_quiz/service.js';
import { addDays } from '../server/src/modules/points/member-context.js';
import { memberLeaderboard } from '../server/src/modules/points/service.js';
import { monthAccount } from '../server/src/modules/dues/accounts.js';
import { searchForReader } from '../server/src/modules/search/service.js';
import { getBoard } from '../server/src/modules/rankings/service.js';
import { listIdeas, similarIdeas } from '../server/src/modules/ideas/service.js';
import { saveAnswer, startAttempt, submitAttempt } from '../server/src/modules/exams/service.js';
import type { Response } from '../contracts/exams.js';
import { responseFor } from './exam-burst.js';
import { IdeaListQuerySchema, SimilarIdeasQuerySchema } from '../contracts/ideas.js';
import { createCipher } from '../server/src/platform/personal-data.js';
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { todayInChina } from '../contracts/china-time.js';
import { exportMembers } from '../server/src/modules/members/export.js';
import { exportResults as exportQuizResults } from '../server/src/modules/daily_quiz/results-export.js';
import { exportAttendance } from '../server/src/modules/activities/attendance-export.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dangjian_bench';
const cipher = createCipher(crypto.createHash('sha256').update('dangjian-bench').digest());

interface Recorded { text: string; values: unknown[] }

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as FastifyBaseLogger;

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
let recording: Recorded[] | null = null;
// every statement goes through a pooled pg.Client, in and out of transactions
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => Promise<pg.QueryResult>;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text: string; values?: unknown[] };
  const text = typeof first === 'string' ? first : first.text;
  const values = (typeof first === 'string' ? undefined : first.values) ?? (Array.isArray(args[1]) ? (args[1] as unknown[]) : []);
  if (recording && !/^\s*(begin|commit|rollback|savepoint|release)/i.test(text)) recording.push({ text, values });
  return originalQuery.apply(this, args);
};
const db = drizzle(pool) as unknown as Db;
/** A `Database` for the services that take one, over the recording handle (or a transaction on it). */
const databaseOn = (handle: Db): Database => ({ db: handle, kind: 'postgres', raw: {}, close: async () => undefined });

async function record(run: () => Promise<unknown>): Promise<Recorded[]> {
  recording = [];
  await run();
  const done = recording;
  recording = null;
  return done;
}

async function explain(q: Recorded): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    return await explainOn(client, q);
  } finally {
    await client.query('rollback');
    client.release();
  }
}

/** EXPLAIN ANALYZE of a recorded statement on a client in a transaction; a write runs once, and stays done if it succeeds. */
async function explainOn(client: pg.PoolClient, q: Recorded): Promise<string> {
  const run = async (options: string) =>
    (await client.query<{ 'QUERY PLAN': string }>({ text: `explain (${options}) ${q.text}`, values: q.values })).rows.map((row) => row['QUERY PLAN']).join('\n');
  // a write may open with a CTE (`with rule as (…) insert …`): running it twice would show the second, conflicting run
  if (!/\b(insert\s+into|update\s+\w+\s+(\w+\s+)?set|delete\s+from)\b/i.test(q.text)) {
    // the second run shows the warm-cache time the server sees under load
    await run('analyze, costs off');
    return run('analyze, buffers, costs off, summary on');
  }
  await client.query('savepoint w');
  try {
    const plan = await run('analyze, buffers, costs off, summary on');
    await client.query('release savepoint w');
    return plan;
  } catch {
    // the recorded write already happened (a session id is unique): the plan without running it
    await client.query('rollback to savepoint w');
    return run('costs off');
  }
}

interface Section { title: string; note: string; queries: Recorded[]; plans?: string[] }

/**
 * The synchronized exam (issue #20 item 1): one member's start, autosave and submit on the newest exam of the
 * bench's burst, reopened for a second attempt. Everything runs in one transaction on one connection, rolled back
 * at the end: each call's statements are recorded, the call is undone to a savepoint, and its statements are run
 * again in order under EXPLAIN ANALYZE, so each write runs once, on the state the call saw.
 */
async function examSections(examId: string, member: Actor): Promise<Section[]> {
  const client = await pool.connect();
  const on = drizzle(client) as unknown as Db;
  const sections: Section[] = [];
  const inPlace = async <T>(title: string, note: string, call: () => Promise<T>): Promise<T> => {
    await client.query('savepoint call');
    let result: T | undefined;
    const queries = await record(async () => { result = await call(); });
    await client.query('rollback to savepoint call');
    const plans: string[] = [];
    for (const q of queries) plans.push(await explainOn(client, q));
    sections.push({ title, note, queries, plans });
    return result!;
  };
  try {
    await client.query('begin');
    await client.query(`update exams set opens_at = now() - interval '1 minute', closes_at = now() + interval '2 hours', max_attempts = max_attempts + 1 where id = $1`, [examId]);
    const started = await inPlace('Exam: a start in the synchronized exam (POST /api/exams/:id/attempts)',
      'one member of the 5,000 (their earlier attempt submitted, the exam reopened for one more): the row the GroupWriter sends for every start waiting at that moment (the starts travel as arrays; one statement for all), which checks membership, the call to the exam, the last attempt by exam_attempts (exam_id, member_id, attempt_no) and inserts the attempt with its variant and seed. The paper\'s questions are read once per process and variant (the second statement) and served from memory after.',
      () => startAttempt(on, member, examId));
    const attemptId = (await client.query<{ id: string }>('select id::text from exam_attempts where exam_id = $1 and member_id = $2 order by attempt_no desc limit 1', [examId, member.memberId])).rows[0]!.id;
    const question = (JSON.parse(started.attempt.json) as { questions: { id: string; type: string; options: { key: string }[]; blankCount: number }[] }).questions[0]!;
    await inPlace('Exam: an autosave (PUT /api/exam-attempts/:id/answers/:questionId)',
      'the attempt with its saved answers by primary key (the deadline and the membership checked from it), then the upsert of the answer by (attempt_id, question_id), the deadline checked again by the write against the database clock.',
      () => saveAnswer(on, member, attemptId, question.id, responseFor(question) as Response));
    await inPlace('Exam: a submit in the last seconds (POST /api/exam-attempts/:id/submit)',
      'a submit that earns no points: the attempt read with the digest of its answers, graded in the process, then closed by the submit writer\'s statement for all the submits of that moment (the digests compared first, by attempt; then the attempt and its answers\' grades updated by primary key).',
      () => submitAttempt(on, member, attemptId));
  } finally {
    await client.query('rollback');
    client.release();
  }
  return sections;
}

const isSession = (q: Recorded) => /from sessions s/.test(q.text);

async function main() {
  const root = (await pool.query<{ id: string; path: string }>("select id::text, path::text from orgs where parent_id is null and type = 'work_committee' order by id limit 1")).rows[0]!;
  const district = (await pool.query<{ id: string; path: string }>(`
    select o.id::text, o.path::text from orgs o where o.parent_id = $1 and o.type = 'party_committee'
     order by (select count(*) from members m where m.org_path <@ o.path) desc limit 1`, [root.id])).rows[0]!;
  const memberId = (await pool.query<{ id: string }>('select id::text from members where org_path <@ $1::ltree and left_at is null order by id desc limit 1', [district.path])).rows[0]!.id;
  const benchUser = (await pool.query<{ username: string }>("select username from users where username = 'bench-001'")).rows[0];
  if (!benchUser) throw new Error('no bench users: run `npm run bench` once first');
  const counts = (await pool.query<{ orgs: number; members: number; events: number; sessions: number; submissions: number; ledger: number }>(
    `select (select count(*) from orgs)::int as orgs, (select count(*) from members)::int as members, (select count(*) from member_stage_events)::int as events, (select count(*) from sessions)::int as sessions,
            (select count(*) from daily_quiz_submissions)::int as submissions, (select count(*) from points_ledger)::int as ledger`)).rows[0]!;

  const actor = (adminPaths: string[], isPlatformAdmin = false): Actor =>
    ({ userId: '1', username: 'plans', displayName: 'plans', memberId: null, isPlatformAdmin, isJudge: false, adminPaths, ip: '127.0.0.1' });
  const districtAdmin = actor([district.path]);
  const platformAdmin = actor([], true);
  // a page near the end of the matches of 'zh' (a word start: '% zh%', as the list searches it)
  const zhHits = (await pool.query<{ n: number }>("select count(*)::int as n from members where org_path <@ $1::ltree and left_at is null and search_text like '% zh%'", [district.path])).rows[0]!.n;
  const deepPage = Math.max(2, Math.floor((0.9 * zhHits) / 20));

  const sections: Section[] = [];
  const loginQueries = await record(async () => login(databaseOn(db), { username: 'bench-001', password: 'Bench-password-2025' }, '127.0.0.1', 'plans'));
  sections.push({ title: 'Login: POST /api/auth/login', note: 'the attempt is counted before the hash is checked: one short transaction takes the account\'s and the address\'s advisory locks, reads the window of attempts (login_failures) with the user by lower(username) and records the attempt; then the argon2id verification (the real cost); then one statement that removes the attempt and the pair\'s failures, writes the audit row and stores the session, answering the session and the roles (the process remembers the session without reading it back).', queries: loginQueries });
  const { token } = await login(databaseOn(db), { username: 'bench-001', password: 'Bench-password-2025' }, '127.0.0.1', 'plans');
  sections.push({ title: 'Every authenticated request: the session', note: 'one query when a process first serves a session; then it is remembered until a trigger says it changed (platform/session.ts, session-cache.ts).', queries: (await record(() => loadSession(databaseOn(db), token, '127.0.0.1'))).filter(isSession) });
  sections.push({
    title: 'Member list: subtree + search term, page 1 (GET /api/members?orgId=…&q=王)',
    note: `a district work committee's admin (${district.path}), its whole subtree, name search: one statement. The district is big (org_member_counts), so the walk branch runs: the postings of 王 in name order (member_search_postings_order) with the path beside them, stopping after the page; the sorting branch is gated off (one-time filter). The total counts the district's range of member_search_postings_key.`,
    queries: await record(() => listMembers(db, districtAdmin, MemberListQuerySchema.parse({ orgId: district.id, q: '王', page: '1', pageSize: '20' }), cipher)),
  });
  // the web list pages deep by cursor: the cursor of the page before is taken from an offset read (not shown)
  const beforeDeep = await listMembers(db, districtAdmin, MemberListQuerySchema.parse({ orgId: district.id, q: 'zh', page: String(deepPage - 1), pageSize: '20' }), cipher);
  sections.push({
    title: `Member list: subtree + search term, deep page by cursor (q=zh, page ${deepPage})`,
    note: 'pinyin-initials search matching thousands of members, the page near the end of the matches that follows a nextCursor: the walk starts at the cursor on member_search_postings_order (name_sort, member_id) > (…) and stops after 21 postings of the district.',
    queries: await record(() => listMembers(db, districtAdmin, MemberListQuerySchema.parse({ orgId: district.id, q: 'zh', page: String(deepPage), pageSize: '20', cursor: beforeDeep.nextCursor ?? undefined }), cipher)),
  });
  const branchOrg = (await pool.query<{ id: string }>("select id::text from orgs where path <@ $1::ltree and type = 'branch' order by id limit 1", [district.path])).rows[0]!;
  sections.push({
    title: 'Member list: a branch + search term, page 1 (q=zh)',
    note: 'a small subtree: the sorting branch runs (its own range of member_search_postings_key, sorted); walking the city\'s postings of zh in name order would pass ~40,000 to find its few.',
    queries: await record(() => listMembers(db, districtAdmin, MemberListQuerySchema.parse({ orgId: branchOrg.id, q: 'zh', page: '1', pageSize: '20' }), cipher)),
  });
  sections.push({ title: 'Subtree counts: children of the root (GET /api/orgs/:root/children)', note: 'platform admin; every child counts the members of its whole subtree (250k in all).', queries: await record(() => listChildren(db, platformAdmin, root.id)) });
  sections.push({ title: 'Subtree counts: children of a big committee (GET /api/orgs/:district/children)', note: 'the district committee\'s admin.', queries: await record(() => listChildren(db, districtAdmin, district.id)) });
  sections.push({ title: 'Member detail (GET /api/members/:id)', note: 'the record and its stage history.', queries: await record(() => getMember(db, districtAdmin, memberId)) });

  // the daily quiz and the points on the seeded history (seed:scale: 8 weeks of answers up to yesterday)
  const yesterday = addDays(todayInChina(), -1);
  const quizzer = (await pool.query<{ member_id: string }>(`select s.member_id::text from daily_quiz_submissions s join members m on m.id = s.member_id
     where s.quiz_date = $1::date and m.org_path <@ $2::ltree order by s.streak desc, s.member_id limit 1`, [yesterday, district.path])).rows[0];
  if (quizzer) {
    const member: Actor = { ...actor([]), memberId: quizzer.member_id };
    sections.push({ title: 'Daily quiz: today (GET /api/daily-quiz/today)', note: 'a member with the longest streak up to yesterday: the week\'s bank, the questions, today\'s and yesterday\'s submission (the streak) by the unique (member_id, quiz_date) key.', queries: await record(() => getToday(db, member)) });
    // today's submission of a member who has not answered yet, in a transaction that is rolled back, so
    // the data set is left as it was
    const fresh = (await pool.query<{ id: string }>(`select m.id::text from members m where m.org_path <@ $1::ltree and m.left_at is null
       and not exists (select 1 from daily_quiz_submissions s where s.member_id = m.id and s.quiz_date = $2::date) order by m.id limit 1`, [district.path, todayInChina()])).rows[0];
    if (fresh) {
      const answerer: Actor = { ...actor([]), memberId: fresh.id };
      const today = await getToday(db, answerer);
      const answers = today.questions.map((q) => ({
        questionId: q.id,
        response: q.type === 'true_false' ? true : q.type === 'single' ? q.options[0]!.key : q.type === 'multiple' ? [q.options[0]!.key] : Array.from({ length: q.blankCount }, () => '答'),
      }));
      const rolledBack = new Error('rolled back');
      const queries = await record(() => db.transaction(async (tx) => {
        await submit(databaseOn(tx as unknown as Db), answerer, { answers });
        throw rolledBack;
      }).catch((e: unknown) => { if (e !== rolledBack) throw e; }));
      sections.push({
        title: 'Daily quiz: submit (POST /api/daily-quiz/submissions)',
        note: 'a member of the district who has not answered today, alone in the writer\'s statement (under load it carries many members\' rows as arrays): the insert decides the points (the rule, the week\'s ledger entries by (member_id, rule, occurred_on), yesterday\'s streak by the unique (member_id, quiz_date) key) and writes the ledger entry in the same statement, whose totals trigger runs once for it. Explained in a rolled-back transaction.',
        queries,
      });
    }
    sections.push({
      title: 'Daily quiz: participation of a district, yesterday (GET /api/daily-quiz/participation)',
      note: 'the district\'s admin; the day\'s submissions by the quiz_date index, joined to the subtree\'s members, counted per child org.',
      queries: await record(() => participation(db, districtAdmin, ParticipationQuerySchema.parse({ orgId: district.id, date: yesterday }))),
    });
  }
  sections.push({
    title: 'Points: leaderboard of a district, this week (GET /api/points/leaderboard/members)',
    note: 'the district\'s admin: the version numbers (dashboard_epochs), then the org and the page, both kept in the process under the numbers of points, members and orgs (while they stay, a request is the first query alone). The page is the first 20 entries of the district in points_week_ranks_board (week_start, org_id, points desc, member_id), read in rank order; the rank of the page\'s top points counts the entries above it on the same range; the length is counted up to 1,001 entries.',
    queries: await record(() => memberLeaderboard(db, districtAdmin, LeaderboardQuerySchema.parse({ orgId: district.id, period: 'week', page: '1', pageSize: '20' }))),
  });
  // a member in the middle of the district's week board who also administers the district: the own rank at its dearest
  const middle = (await pool.query<{ member_id: string }>(`select r.member_id::text from points_week_ranks r
     where r.week_start = date_trunc('week', $1::date)::date and r.org_id = $2 and r.points > 0 order by r.points desc, r.member_id
     offset (select count(*) / 2 from points_week_ranks x where x.week_start = date_trunc('week', $1::date)::date and x.org_id = $2 and x.points > 0) limit 1`, [todayInChina(), district.id])).rows[0];
  if (middle) {
    sections.push({
      title: 'Points: own rank in a district\'s week board (the viewer is a member of the district)',
      note: 'the viewer\'s own line: the member\'s entry by the primary key (week_start, member_id, org_id), then the entries above it counted on points_week_ranks_board (index-only). A member halfway down counts half the district; members see their own branch\'s board, a few dozen entries.',
      queries: (await record(() => memberLeaderboard(db, { ...districtAdmin, memberId: middle.member_id }, LeaderboardQuerySchema.parse({ orgId: district.id, period: 'week', page: '1', pageSize: '20' })))).slice(-1),
    });
  }

  const burst = (await pool.query<{ exam_id: string; member_id: string }>(`select e.id::text as exam_id, p.member_id::text from exams e
     join exam_participants p on p.exam_id = e.id join members m on m.id = p.member_id and m.left_at is null
    where e.title like '全市机关党员集中考试（压测）%' and e.cancelled_at is null order by e.id desc, p.member_id limit 1`)).rows[0];
  if (burst) sections.push(...await examSections(burst.exam_id, { ...actor([]), memberId: burst.member_id }));

  const duesMonth = (await pool.query<{ month: string }>("select coalesce(to_char(max(month), 'YYYY-MM'), to_char(now(), 'YYYY-MM')) as month from dues_bills")).rows[0]!.month;
  sections.push({
    title: 'Dues: month account of a district (GET /api/dues/accounts)',
    note: 'the district\'s admin; one statement: the district (its path for the scope check) and its direct children, each with its subtree totals for the month by the primary key of dues_month_totals (kept by statement-level triggers from the bills, payments and remittances).',
    queries: await record(() => monthAccount(db, districtAdmin, { orgId: district.id, month: duesMonth })),
  });
  sections.push({
    title: 'Search: two characters over 100,000 texts (GET /api/search?q=改革)',
    note: 'the district\'s admin; 改革 is in about half the texts and one title in eight. Each tier (title hits, then text hits) walks the postings of 改革 in search_postings_key newest first and stops at a page, reading scope, kind and "in the title" from the index itself (index-only); then the page\'s texts by primary key.',
    queries: await record(() => searchForReader(db, districtAdmin, { q: '改革', limit: 20 })),
  });
  sections.push({
    title: 'Search: a phrase and a word (GET /api/search?q=营商环境 改革)',
    note: 'the district\'s admin; five bigrams: the rarest by the statistics of search_postings.gram drives the walk (as for one word), and each candidate\'s text is checked for both words by primary key.',
    queries: await record(() => searchForReader(db, districtAdmin, { q: '营商环境 改革', limit: 20 })),
  });

  const ranking = (await pool.query<{ period_id: string; group_id: string }>(`select p.id::text as period_id, g.id::text as group_id from ranking_campaigns c
     join ranking_periods p on p.campaign_id = c.id and p.seq = 2 join ranking_peer_groups g on g.campaign_id = c.id and g.position = 2
    where c.name = '全市机关党建赛马（压测）'`)).rows[0];
  if (ranking) {
    sections.push({
      title: 'Rankings: a peer group\'s board, 2,000 orgs (GET /api/rankings/periods/:id/board)',
      note: 'a district\'s admin on the published board of the bench campaign (2,000 orgs): the period with its campaign, dimensions and groups (each group\'s size counted index-only on ranking_results_board) in one statement; then the page of 50 in rank order on ranking_results_board and the district\'s own row by the primary key (period_id, org_id), in one more. Nothing is recomputed: the results are kept when a period is computed.',
      queries: await record(() => getBoard(db, districtAdmin, ranking.period_id, { groupId: ranking.group_id, page: 1, pageSize: 50 })),
    });
  }

  // 金点子 (issue #16): the bench row's two halves
  const ideaDistrict = (await pool.query<{ id: string; path: string }>(`select o.id::text, o.path::text from orgs o where o.parent_id = $1
     order by (select count(*) from ideas i where i.org_path <@ o.path) desc limit 1`, [root.id])).rows[0];
  if (ideaDistrict) {
    sections.push({
      title: 'Ideas: a district\'s list, page 1 (GET /api/ideas?orgId=…)',
      note: 'the district\'s admin: the version numbers of what the page shows (dashboard_epochs), the org (kept under the orgs number afterwards), then, on the first read of a page only, the total (one range of ideas_subtree_key, index-only) and the page newest first on ideas_pkey with the names by primary key. While the numbers stay, the page is answered from the process\'s copy: one query a request.',
      queries: await record(() => listIdeas(db, actor([ideaDistrict.path]), IdeaListQuerySchema.parse({ orgId: ideaDistrict.id, page: '1', pageSize: '20' }))),
    });
    sections.push({
      title: 'Ideas: a member\'s similar titles over the whole tree (GET /api/me/ideas/similar)',
      note: 'one statement: the member on the roll, the target org on the member\'s path, ideas_alike (a plpgsql function in which no bitmap scan is planned: its query walks ideas_title_trgm, a GiST index of 512-byte signatures, nearest first under `%` and stops after 5; 0.3–1.5 ms, against 11–15 ms for the bitmap scan and sort the planner chose otherwise, migration 20261212000100; its plan is generic and kept, not made again on every call, migration 20261214000100), then the names by primary key. The plan below shows the function as one scan.',
      queries: await record(() => similarIdeas(db, { ...actor([]), memberId }, SimilarIdeasQuerySchema.parse({ orgId: root.id, title: '完善党员志愿服务积分制度' }))),
    });
  }

  // the streamed exports (issue #20): each one's count (for its audit entry) and its first keyset batch, recorded
  // from the real service inside a rolled-back transaction (the audit entry is not kept), the stream closed after it
  const today = todayInChina();
  const exportsOf = async (title: string, note: string, start: (tx: Db) => Promise<Readable>) => {
    const rolledBack = new Error('rolled back');
    const queries = await record(() => db.transaction(async (tx) => {
      const stream = await start(tx as unknown as Db);
      stream.resume();
      // the statements are recorded when they are sent: the first batch's is enough
      while (!recording!.some((q) => /\blimit \$\d+\s*$/i.test(q.text.trim()))) await new Promise((r) => setTimeout(r, 5));
      stream.destroy();
      throw rolledBack;
    }).catch((e: unknown) => { if (e !== rolledBack) throw e; }));
    sections.push({ title, note, queries: queries.filter((q) => /count\(\*\)|\blimit \$\d+\s*$/i.test(q.text.trim())) });
  };
  await exportsOf('Export: the city\'s roster, count and first batch (GET /api/members/export?orgId=:root)',
    'platform admin, 250,000 rows: the count (and how many rows could carry full numbers) for the audit entry, written once the download has started; then keyset batches of 2,000 in name order on members_name_sort (name_sort, id) > (…), the org as a value so the walk needs no subtree sub-select.',
    (tx) => exportMembers(tx, cipher, platformAdmin, MemberExportQuerySchema.parse({ orgId: root.id }), silentLog));
  await exportsOf('Export: a district\'s daily-quiz answers of a year, count and first batch (GET /api/daily-quiz/results/export)',
    'the district\'s admin, the year up to today: the count for the audit entry scans the period\'s answers of the whole city (no index has the subtree and the day together), once the download has started; each batch walks daily_quiz_submissions_date from its (day, id) on, keeping the district\'s answers.',
    async (tx) => (await exportQuizResults(tx, districtAdmin, { orgId: district.id, from: addDays(today, -364), to: today }, silentLog)).stream);
  await exportsOf('Export: a district\'s attendance of the year, count and first batch (GET /api/activities/attendance/export)',
    'the district\'s admin: the year\'s published and closed activities of the subtree (activities_org_path_gist) with their participants, counted for the audit entry once the download has started; then batches of 2,000 in (starts_at, activity, member) order.',
    async (tx) => (await exportAttendance(tx, districtAdmin, { orgId: district.id, year: Number(today.slice(0, 4)) }, silentLog)).stream);

  const indexes = (await pool.query<{ tablename: string; indexdef: string }>(`
    select tablename, indexdef from pg_indexes where schemaname = 'public' and tablename in ('members', 'member_search_postings', 'orgs', 'member_stage_events', 'sessions', 'users', 'user_roles', 'login_failures', 'audit_log', 'daily_quiz_submissions', 'daily_quiz_weeks', 'points_ledger', 'points_totals', 'points_week_ranks', 'org_member_counts', 'dues_month_totals', 'dues_remittances', 'search_texts', 'search_postings', 'ranking_results', 'ranking_group_members', 'activities', 'activity_participants', 'ideas', 'dashboard_epochs', 'exams', 'exam_participants', 'exam_attempts', 'exam_answers', 'exam_variants')
     order by tablename, indexname`)).rows;

  let md = `# Query plans of the hot paths\n\nGenerated by \`npx tsx bench/plans.ts\` on ${new Date().toISOString().slice(0, 10)} against the database \`${new URL(DATABASE_URL).pathname.slice(1)}\` `
    + `(${counts.orgs} orgs, ${counts.members} members, ${counts.events} stage events, ${counts.sessions} sessions, ${counts.submissions} daily-quiz submissions, ${counts.ledger} ledger entries; PostgreSQL ${(await pool.query<{ server_version: string }>('show server_version')).rows[0]!.server_version}). `
    + 'The statements are the ones the services send (recorded from the real service functions), explained with the same parameters; '
    + 'each plan is the second run (warm cache), as under load.\n\n';
  const seqScans: string[] = [];
  let body = '';
  const summary: string[] = [];
  for (const section of sections) {
    body += `## ${section.title}\n\n${section.note}\n\n`;
    let total = 0;
    for (const [i, q] of section.queries.entries()) {
      const plan = section.plans?.[i] ?? await explain(q);
      if (/Seq Scan on (members|daily_quiz_submissions|points_ledger)\b/.test(plan)) seqScans.push(section.title);
      const time = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
      total += Number(time ?? 0);
      body += '```sql\n' + formatSql(q.text) + '\n```\n\n' + (q.values.length ? `Parameters: \`${JSON.stringify(q.values).slice(0, 300)}\`\n\n` : '')
        + `Execution time: ${time ? `**${time} ms**` : 'not run (the recorded write already happened; plan only)'}\n\n` + '```\n' + plan + '\n```\n\n';
    }
    summary.push(`| ${section.title} | ${section.queries.length} | ${total.toFixed(1)} |`);
  }
  md += '| hot path | statements | database time, ms (sum, one request, no concurrency) |\n|---|---|---|\n' + summary.join('\n') + '\n\n' + body;
  md += '## Indexes behind them\n\n```sql\n' + indexes.map((i) => i.indexdef + ';').join('\n') + '\n```\n\n';
  md += seqScans.length ? `**Sequential scans over members, quiz answers or the ledger on a hot path:** ${[...new Set(seqScans)].join('; ')}\n` : 'No hot path scans `members`, `daily_quiz_submissions` or `points_ledger` sequentially.\n';
  fs.writeFileSync(path.join(ROOT, 'bench/PLANS.md'), md);
  console.log(`bench/PLANS.md written (${sections.reduce((n, s) => n + s.queries.length, 0)} statements)${seqScans.length ? `; sequential scans over members, quiz answers or the ledger in: ${[...new Set(seqScans)].join('; ')}` : ''}`);
}

/** The statement as the service wrote it, re-indented (line breaks kept: they end `--` comments). */
function formatSql(text: string): string {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).join('\n  ');
}

main().finally(() => pool.end()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
