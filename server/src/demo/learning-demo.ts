import { sql } from 'drizzle-orm';
import { chinaDate } from '../../../contracts/china-time.js';
import type { AnswerKey, Response } from '../../../contracts/exams.js';
import type { Tx } from '../platform/db.js';
import { questionIdsFor } from '../modules/daily_quiz/service.js';
import { isCorrect, shuffled, type QuestionSnapshot } from '../modules/exams/grading.js';
import { addDays, weekStartOf } from '../modules/points/member-context.js';
import { bulkInsert, pgArrayLiteral, reserveIds, type BulkColumn, type Cell } from './bulk.js';
import type { DemoContext, DemoPlace } from './context.js';
import type { Random } from './generate.js';
import { DEMO_QUESTIONS } from './learning-questions.js';

/**
 * Question bank, daily quiz, exams, contests, courses, articles, study plans, clock-ins, reading
 * shares and points at demo size, consistent with the tree. Every row is written as its module's
 * service writes it: the daily quiz's week banks and each member's questions of a day come from
 * the quiz's own function, exams and contests carry the papers drawn when they were published,
 * and every point comes from a source record through the rule and its caps (the same arithmetic
 * as awardPoints), so the ledger's trigger keeps points_totals. Set-based: about thirty multi-row
 * statements, whatever the number of members.
 */
export async function seedLearningDemo(ctx: DemoContext): Promise<void> {
  const { tx, random } = ctx;
  const now = Date.now();
  const users = await usernames(tx, ctx);
  const members = (await tx.execute<{ id: string; org_path: string } & Record<string, unknown>>(sql`
    select id::text, org_path::text from members where org_path <@ ${ctx.root.path}::ltree and left_at is null order by id`)).rows
    .map((m) => ({ id: m.id, orgPath: m.org_path }));
  const ledger = await Ledger.load(tx);
  const audits: AuditRow[] = [];
  const people = profiles(random, members, ctx);

  const bank = await seedQuestions(ctx, users, audits);
  await seedDailyQuiz(ctx, now, bank, people, ledger);
  await seedClockInsAndShares(ctx, now, people, ledger);
  await seedArticles(ctx, now, people, ledger, users, audits);
  await seedCourses(ctx, now, people, ledger, users, audits);
  await seedStudyPlans(ctx, now, people, ledger, users, audits);
  await seedExams(ctx, now, bank, people, ledger, users, audits);
  await seedContests(ctx, bank, people, ledger, users, audits);

  await ledger.flush(tx);
  audits.sort((a, b) => a.at.localeCompare(b.at));
  await bulkInsert(tx, 'audit_log', [
    { name: 'at', type: 'timestamptz', value: (a) => a.at },
    { name: 'user_id', type: 'bigint', value: (a) => a.user.id },
    { name: 'username', type: 'text', value: (a) => a.user.username },
    { name: 'ip', type: 'text', value: () => '10.12.3.21' },
    { name: 'action', type: 'text', value: (a) => a.action },
    { name: 'target_type', type: 'text', value: (a) => a.targetType },
    { name: 'target_id', type: 'text', value: (a) => a.targetId },
    { name: 'org_path', type: 'ltree', value: (a) => a.orgPath },
    { name: 'detail', type: 'jsonb', value: (a) => JSON.stringify(a.detail) },
  ], audits);
}

// ---------- shared ----------

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The instant a China calendar day reaches `minutes` after midnight. */
const at = (date: string, minutes: number) => new Date(Date.parse(`${date}T00:00:00+08:00`) + Math.round(minutes * MINUTE));
const iso = (d: Date) => d.toISOString();

interface User { id: string; username: string }
interface Users { admin: User; bureau: User; secretary: User }
interface AuditRow { at: string; user: User; action: string; targetType: string; targetId: string | null; orgPath: string; detail: Record<string, unknown> }

async function usernames(tx: Tx, ctx: DemoContext): Promise<Users> {
  const r = await tx.execute<{ id: string; username: string } & Record<string, unknown>>(sql`
    select id::text, username from users where id in (${ctx.users.admin}, ${ctx.users.bureau}, ${ctx.users.secretary})`);
  const find = (id: string) => r.rows.find((u) => u.id === id)!;
  return { admin: find(ctx.users.admin), bureau: find(ctx.users.bureau), secretary: find(ctx.users.secretary) };
}

interface Member { id: string; orgPath: string }
/** How keen a member is: the share of days they answer the quiz, how often they get a question right. */
interface Person extends Member { engagement: number; skill: number }

const within = (path: string, root: string) => path === root || path.startsWith(`${root}.`);

/**
 * More than half of the members never open the quiz; the rest answer on a quarter to nearly all days. The
 * demo member answers on most days with a middling hit rate (the middle of the board); the
 * secretary and the bureau's admin lead by example.
 */
function profiles(random: Random, members: Member[], ctx: DemoContext): Person[] {
  return members.map((m) => {
    const roll = random.next();
    let engagement = roll < 0.55 ? 0 : roll < 0.75 ? 0.25 : roll < 0.92 ? 0.55 : 0.9;
    let skill = 0.55 + random.next() * 0.4;
    if (m.id === ctx.members.member) { engagement = 0.55; skill = 0.7; }
    if (m.id === ctx.members.secretary || m.id === ctx.members.bureau) { engagement = 0.95; skill = 0.9; }
    return { ...m, engagement, skill };
  });
}

/** A time of day between 07:00 and 22:30 on `date`; none on today's date unless it has already passed. */
function timeOn(random: Random, date: string, now: number, from = 7 * 60, to = 22.5 * 60): Date | null {
  const t = at(date, from + random.next() * (to - from));
  return t.getTime() < now - MINUTE ? t : null;
}

// ---------- points ----------

const RULE_CODES = ['article_read', 'course_complete', 'study_plan_item', 'clock_in', 'reading_share', 'daily_quiz_correct', 'exam_pass', 'contest_join'] as const;
type RuleCode = (typeof RULE_CODES)[number];
interface Rule { points: number; dailyCap: number; weeklyCap: number | null }
interface LedgerRow { memberId: string; orgPath: string; rule: RuleCode; sourceType: string; sourceId: string; points: number; occurredOn: string; createdAt: string }

/**
 * awardPoints, for a whole seed: each award takes the rule's points times the quantity, cut by what
 * the member already earned of that rule on the day (and in the week), starting from the ledger as
 * the seeders before this one left it (only these rules' entries count towards their caps).
 * Disabled rules award nothing.
 */
class Ledger {
  private readonly rows: LedgerRow[] = [];
  private constructor(private readonly rules: Map<string, Rule>, private readonly used: Map<string, number>) {}

  static async load(tx: Tx): Promise<Ledger> {
    const rules = await tx.execute<{ code: string; points: number; daily_cap: number; weekly_cap: number | null } & Record<string, unknown>>(sql`
      select code, points, daily_cap, weekly_cap from point_rules where is_enabled`);
    const used = await tx.execute<{ member_id: string; rule: string; day: string; week: string; points: number } & Record<string, unknown>>(sql`
      select member_id::text, rule, occurred_on::text as day, date_trunc('week', occurred_on::timestamp)::date::text as week, sum(points)::int as points
        from points_ledger where rule = any(${pgArrayLiteral(RULE_CODES)}::text[]) group by 1, 2, 3, 4`);
    const map = new Map<string, number>();
    for (const u of used.rows) {
      map.set(`${u.member_id}|${u.rule}|${u.day}`, Number(u.points));
      const weekKey = `${u.member_id}|${u.rule}|w${u.week}`;
      map.set(weekKey, (map.get(weekKey) ?? 0) + Number(u.points));
    }
    return new Ledger(new Map(rules.rows.map((r) => [r.code, { points: Number(r.points), dailyCap: Number(r.daily_cap), weeklyCap: r.weekly_cap == null ? null : Number(r.weekly_cap) }])), map);
  }

  /** The points written (0 when capped), or null when the rule is disabled and nothing is written. */
  award(member: Member, rule: RuleCode, sourceType: string, sourceId: string, when: Date, quantity = 1): number | null {
    const r = this.rules.get(rule);
    if (!r) return null;
    const day = chinaDate(when);
    const dayKey = `${member.id}|${rule}|${day}`;
    const weekKey = `${member.id}|${rule}|w${weekStartOf(day)}`;
    const today = this.used.get(dayKey) ?? 0;
    const week = this.used.get(weekKey) ?? 0;
    const points = Math.max(0, Math.min(r.points * quantity, r.dailyCap - today, r.weeklyCap == null ? Infinity : r.weeklyCap - week));
    this.used.set(dayKey, today + points);
    this.used.set(weekKey, week + points);
    this.rows.push({ memberId: member.id, orgPath: member.orgPath, rule, sourceType, sourceId, points, occurredOn: day, createdAt: iso(when) });
    return points;
  }

  /** In the order the awards happened, so ledger ids follow time; the totals trigger runs once per batch. */
  async flush(tx: Tx): Promise<void> {
    this.rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    await bulkInsert(tx, 'points_ledger', [
      { name: 'member_id', type: 'bigint', value: (r) => r.memberId },
      { name: 'org_path', type: 'ltree', value: (r) => r.orgPath },
      { name: 'rule', type: 'text', value: (r) => r.rule },
      { name: 'source_type', type: 'text', value: (r) => r.sourceType },
      { name: 'source_id', type: 'text', value: (r) => r.sourceId },
      { name: 'points', type: 'int', value: (r) => r.points },
      { name: 'occurred_on', type: 'date', value: (r) => r.occurredOn },
      { name: 'created_at', type: 'timestamptz', value: (r) => r.createdAt },
    ], this.rows, { batchSize: 20_000 });
  }
}

/** Inserts rows with ids taken from the table's sequence first, so that children can refer to them. */
async function insertWithIds<T extends { id: string }>(tx: Tx, table: string, columns: readonly (BulkColumn & { value: (row: T) => Cell })[], rows: (Omit<T, 'id'>)[]): Promise<T[]> {
  const ids = await reserveIds(tx, table, rows.length);
  const withIds = rows.map((r, i) => ({ ...r, id: ids[i]! }) as T);
  await bulkInsert(tx, table, [{ name: 'id', type: 'bigint', value: (r: T) => r.id }, ...columns], withIds, { overridingIds: true, batchSize: 20_000 });
  return withIds;
}

// ---------- question bank ----------

interface BankQuestion extends QuestionSnapshot { isDaily: boolean; difficulty: string }

/** The bank, owned by the work committee and imported by the platform admin four months ago; all but the hardest are in the daily quiz. */
async function seedQuestions(ctx: DemoContext, users: Users, audits: AuditRow[]): Promise<BankQuestion[]> {
  const created = iso(at(addDays(ctx.today, -120), 10 * 60 + 12));
  // tags are an array column: one multi-row VALUES statement (150 rows) rather than the column-array loader
  const ids = await reserveIds(ctx.tx, 'questions', DEMO_QUESTIONS.length);
  const rows = DEMO_QUESTIONS.map((q, i) => ({ id: ids[i]!, q }));
  await ctx.tx.execute(sql`
    insert into questions (id, org_id, org_path, type, stem, options, answer, tags, difficulty, explanation, is_daily, created_by, created_at, updated_at) overriding system value
    values ${sql.join(rows.map(({ id, q }) => sql`(${id}, ${ctx.root.id}, ${ctx.root.path}::ltree, ${q.type}, ${q.stem}, ${JSON.stringify(q.options)}::jsonb, ${JSON.stringify(q.answer)}::jsonb,
      ${`{${q.tags.join(',')}}`}::text[], ${q.difficulty}, ${q.explanation}, ${q.difficulty !== 'hard'}, ${users.admin.id}, ${created}::timestamptz, ${created}::timestamptz)`), sql`, `)}`);
  audits.push({ at: created, user: users.admin, action: 'question.import', targetType: 'question', targetId: null, orgPath: ctx.root.path, detail: { created: rows.length, failed: 0 } });
  return rows.map(({ id, q }) => ({ id, type: q.type, stem: q.stem, options: q.options, answer: q.answer, explanation: q.explanation, score: 1, isDaily: q.difficulty !== 'hard', difficulty: q.difficulty }));
}

/** The response a member's app sends: the key when right, a plausible mistake when wrong. */
function responseTo(q: QuestionSnapshot, right: boolean, random: Random): Response {
  const answer = q.answer as AnswerKey;
  if (q.type === 'fill_blank') {
    const key = answer as string[][];
    return right ? key.map((alternatives) => alternatives[0]!) : key.map(() => random.pick(['不清楚', '三', '支部委员会']));
  }
  if (right) return answer as Response;
  if (q.type === 'true_false') return !answer;
  if (q.type === 'single') return random.pick(q.options.map((o) => o.key).filter((k) => k !== answer));
  // multiple: one key short (all or nothing), or a wrong one added
  const keys = answer as string[];
  const extra = q.options.map((o) => o.key).find((k) => !keys.includes(k));
  return extra && random.chance(0.5) ? [...keys, extra] : keys.slice(0, keys.length - 1);
}

// ---------- daily quiz ----------

/** Weeks of quiz history before this one. */
const QUIZ_WEEKS = 1;

/**
 * The quiz from the Monday QUIZ_WEEKS weeks ago up to today: each week's bank frozen on its Monday,
 * each member's questions of a day drawn by the quiz's own function, streaks counted over
 * consecutive days, the points decided at submission under the rule's caps and written to the
 * ledger by the same statement (so dated and timed with the submission). Today, only those who
 * answered before now have; the demo member has not, so that they can.
 */
async function seedDailyQuiz(ctx: DemoContext, now: number, bank: BankQuestion[], people: Person[], ledger: Ledger): Promise<void> {
  const { tx, random, today } = ctx;
  const perDay = Number((await tx.execute<{ n: number } & Record<string, unknown>>(sql`select questions_per_day as n from daily_quiz_settings where id = 1`)).rows[0]!.n);
  const dailyIds = bank.filter((q) => q.isDaily).map((q) => q.id).sort((a, b) => Number(a) - Number(b));
  const byId = new Map(bank.map((q) => [q.id, q]));
  const first = addDays(weekStartOf(today), -7 * QUIZ_WEEKS);
  const weeks: string[] = [];
  for (let w = first; w <= today; w = addDays(w, 7)) weeks.push(w);
  const weekBank = { questionIds: dailyIds, questionsPerDay: Math.min(perDay, dailyIds.length) };
  await tx.execute(sql`insert into daily_quiz_weeks (week_start, question_ids, questions_per_day, created_at) values
    ${sql.join(weeks.map((w) => sql`(${w}::date, ${`{${dailyIds.join(',')}}`}::bigint[], ${weekBank.questionsPerDay}, ${iso(at(w, 7 * 60 + 1))}::timestamptz)`), sql`, `)}`);

  interface Submission { id: string; member: Person; date: string; answers: string; correct: number; count: number; streak: number; points: number | null; submittedAt: Date }
  const submissions: Omit<Submission, 'id' | 'points'>[] = [];
  const days = Math.round((Date.parse(today) - Date.parse(first)) / DAY) + 1;
  for (const person of people) {
    if (person.engagement === 0) continue;
    let streak = 0;
    for (let d = 0; d < days; d++) {
      const date = addDays(first, d);
      const takes = random.chance(person.engagement);
      const when = takes ? timeOn(random, date, now) : null;
      if (!when || (date === today && person.id === ctx.members.member)) { streak = 0; continue; }
      streak++;
      const questions = questionIdsFor(person.id, date, weekBank).map((id) => byId.get(id)!);
      let correct = 0;
      const answers = questions.map((q) => {
        const response = responseTo(q, random.chance(person.skill), random);
        if (isCorrect(q, response)) correct++;
        return { questionId: q.id, response };
      });
      submissions.push({ member: person, date, answers: JSON.stringify(answers), correct, count: questions.length, streak, submittedAt: when });
    }
  }
  const ids = await reserveIds(tx, 'daily_quiz_submissions', submissions.length);
  const rows: Submission[] = submissions.map((s, i) => ({ ...s, id: ids[i]!, points: null }));
  for (const s of rows) {
    if (s.correct > 0) s.points = ledger.award(s.member, 'daily_quiz_correct', 'daily_quiz_submission', s.id, s.submittedAt, s.correct);
  }
  await bulkInsert(tx, 'daily_quiz_submissions', [
    { name: 'id', type: 'bigint', value: (s) => s.id },
    { name: 'member_id', type: 'bigint', value: (s) => s.member.id },
    { name: 'org_path', type: 'ltree', value: (s) => s.member.orgPath },
    { name: 'quiz_date', type: 'date', value: (s) => s.date },
    { name: 'answers', type: 'jsonb', value: (s) => s.answers },
    { name: 'correct_count', type: 'int', value: (s) => s.correct },
    { name: 'question_count', type: 'int', value: (s) => s.count },
    { name: 'streak', type: 'int', value: (s) => s.streak },
    { name: 'points', type: 'int', value: (s) => s.points },
    { name: 'submitted_at', type: 'timestamptz', value: (s) => iso(s.submittedAt) },
  ], rows, { overridingIds: true, batchSize: 20_000 });
}

// ---------- clock-ins and reading shares ----------

const CLOCK_IN_NOTES = [
  '学习《中国共产党章程》总纲，重温党的性质和宗旨。', '学习党章第一章“党员”，对照党员八项义务查找差距。', '阅读党的二十大报告第十五部分，体会全面从严治党的新要求。',
  '学习《中国共产党支部工作条例（试行）》，梳理本支部“三会一课”落实情况。', '观看专题党课视频，做了学习笔记两页。', '学习《关于中国共产党党费收缴、使用和管理的规定》，核对本人交纳基数。',
  '重温入党誓词，撰写心得体会一篇。', '学习《中国共产党纪律处分条例》典型案例通报，引以为戒。', '完成每日答题后，复习错题涉及的党章条文。',
  '学习习近平总书记关于调查研究的重要论述，结合预算编制工作思考。', '阅读《中国共产党简史》第三章。', '学习《中国共产党党员教育管理工作条例》。',
];
const SHARES: [string, string][] = [
  ['重读党章的几点体会', '利用周末系统重读了党章。总纲部分对党的性质、宗旨、指导思想的表述层层递进，越读越觉得党员身份不只是一个称号，更是一份沉甸甸的责任。结合预算编制工作，我体会到“以人民为中心”要落实在每一笔支出的绩效上。'],
  ['《中国共产党简史》读书笔记', '读到党在极端困难条件下坚持调查研究的章节，很受触动。现在我们做财政资金绩效评价，也要多下基层、多看现场，不能只看报表。'],
  ['从“三会一课”记录本说起', '整理支部近三年的“三会一课”记录时发现，会议质量高的时候，往往是议题聚焦、准备充分、人人发言的时候。建议下季度党员大会提前一周公布议题。'],
  ['学习党费管理规定的一点收获', '过去只知道按比例交党费，这次系统学习了党费收缴、使用和管理的规定，明白了按月交纳、足额交纳本身就是党员意识的体现。'],
  ['读《之江新语》有感', '短小精悍的文章里讲的都是实实在在的工作方法。“为官一任、造福一方”，对我们机关干部同样适用。'],
];

async function seedClockInsAndShares(ctx: DemoContext, now: number, people: Person[], ledger: Ledger): Promise<void> {
  const { tx, random, today } = ctx;
  const first = addDays(weekStartOf(today), -7 * QUIZ_WEEKS);
  const days = Math.round((Date.parse(today) - Date.parse(first)) / DAY) + 1;
  const clockIns: { member: Person; day: string; note: string; at: Date }[] = [];
  for (const person of people) {
    // the keener quiz-takers (the demo accounts among them) also clock in, on about half of the days
    const demoAccount = Object.values(ctx.members).includes(person.id);
    if (person.engagement < 0.5) continue;
    if (!random.chance(0.6) && !demoAccount) continue;
    for (let d = 0; d < days; d++) {
      const day = addDays(first, d);
      if (!random.chance(0.4) || (day === today && person.id === ctx.members.member)) continue;
      const when = timeOn(random, day, now, 6.5 * 60, 23 * 60);
      if (when) clockIns.push({ member: person, day, note: random.pick(CLOCK_IN_NOTES), at: when });
    }
  }
  const rows = await insertWithIds<{ id: string; member: Person; day: string; note: string; at: Date }>(tx, 'clock_ins', [
    { name: 'member_id', type: 'bigint', value: (c) => c.member.id },
    { name: 'org_path', type: 'ltree', value: (c) => c.member.orgPath },
    { name: 'day', type: 'date', value: (c) => c.day },
    { name: 'note', type: 'text', value: (c) => c.note },
    { name: 'created_at', type: 'timestamptz', value: (c) => iso(c.at) },
  ], clockIns);
  for (const c of rows) ledger.award(c.member, 'clock_in', 'clock_in', c.id, c.at);

  // reading shares in the demo branch, liked by colleagues
  const branch = people.filter((p) => p.orgPath === ctx.branch.path);
  const authors = [ctx.members.secretary, ...branch.filter((p) => p.id !== ctx.members.secretary && p.id !== ctx.members.member).map((p) => p.id)].slice(0, SHARES.length);
  const shares = SHARES.slice(0, authors.length).map(([title, content], i) => {
    const member = branch.find((p) => p.id === authors[i])!;
    const likers = branch.filter((p) => p.id !== member.id && random.chance(0.4));
    return { member, title, content, at: at(addDays(today, -(3 + i * 9)), 20 * 60 + random.int(0, 90)), likers };
  });
  const shareRows = await insertWithIds<(typeof shares)[number] & { id: string }>(tx, 'reading_shares', [
    { name: 'member_id', type: 'bigint', value: (s) => s.member.id },
    { name: 'branch_path', type: 'ltree', value: () => ctx.branch.path },
    { name: 'title', type: 'text', value: (s) => s.title },
    { name: 'content', type: 'text', value: (s) => s.content },
    { name: 'like_count', type: 'int', value: (s) => s.likers.length },
    { name: 'created_at', type: 'timestamptz', value: (s) => iso(s.at) },
  ], shares);
  for (const s of shareRows) ledger.award(s.member, 'reading_share', 'reading_share', s.id, s.at);
  await bulkInsert(tx, 'reading_share_likes', [
    { name: 'share_id', type: 'bigint', value: (l: { share: string; member: string; at: string }) => l.share },
    { name: 'member_id', type: 'bigint', value: (l) => l.member },
    { name: 'created_at', type: 'timestamptz', value: (l) => l.at },
  ], shareRows.flatMap((s) => s.likers.map((p, k) => ({ share: s.id, member: p.id, at: iso(new Date(Math.min(now - MINUTE, s.at.getTime() + (k + 1) * 47 * MINUTE))) }))));
}

// ---------- articles ----------

const ARTICLES: { by: 'root' | 'committee'; daysAgo: number; title: string; source: string; body: string }[] = [
  { by: 'root', daysAgo: 80, title: '把党的创新理论学习引向深入——市直机关理论学习工作要点', source: '市直机关工委宣传部',
    body: '理论学习是机关党建的基础性工作。各机关党组织要坚持把学习党的创新理论作为首要政治任务，落实党组（党委）理论学习中心组学习制度，用好“三会一课”、主题党日等载体，推动学习往深里走、往心里走、往实里走。\n\n要坚持学用结合，围绕本部门中心工作确定调研课题，把学习成效转化为推动工作的具体举措。各党支部每季度至少开展一次专题学习研讨，党员每年撰写学习体会不少于两篇。' },
  { by: 'root', daysAgo: 62, title: '机关党支部“三会一课”规范化建设指引', source: '市直机关工委组织部',
    body: '“三会一课”是党的组织生活的基本制度。支部党员大会一般每季度召开一次，党支部委员会会议一般每月召开一次，党小组会一般每月召开一次，党课一般每季度至少一次。\n\n会前要确定议题、提前通知；会中要如实记录出席、请假和缺席情况；会后要及时整理会议记录，需要落实的事项明确责任人和完成时限。主题党日每月相对固定一天，可与“三会一课”结合开展。' },
  { by: 'root', daysAgo: 45, title: '党费收缴、使用和管理常见问题解答', source: '市直机关工委组织部',
    body: '问：党费按什么基数计算？答：在职党员以每月工资收入（税后）为计算基数，按规定比例交纳；离退休党员以基本离退休费为计算基数。\n\n问：可以由单位代交党费吗？答：不可以。党费应当由党员本人交纳，体现党员意识。\n\n问：党费可以用于哪些方面？答：党费必须用于党的活动，主要用于培训党员、订阅党员教育报刊资料、表彰先进、补助生活困难党员等。' },
  { by: 'root', daysAgo: 30, title: '做好年度组织生活会和民主评议党员工作的通知', source: '市直机关工委',
    body: '各机关党组织要在每年年底前后召开组织生活会，开展民主评议党员。会前要组织党员认真学习，广泛征求意见，开展谈心谈话；会上党员逐一对照检查，开展批评和自我批评；会后要制定整改措施，抓好落实。\n\n民主评议党员要坚持标准，实事求是，评议结果作为党员年度考核和表彰的重要依据。' },
  { by: 'root', daysAgo: 12, title: '机关党员干部如何在调查研究中践行群众路线', source: '市直机关工委宣传部',
    body: '调查研究是谋事之基、成事之道。机关党员干部要带着问题下基层，到群众意见多、工作推进难的地方去，听真话、察实情。\n\n调研成果要转化为解决问题的具体措施，对群众反映强烈的问题建立清单、逐项销号，做到件件有着落、事事有回音。' },
  { by: 'committee', daysAgo: 55, title: '财政系统党员干部廉洁从政提醒', source: '市财政局机关党委',
    body: '财政部门管钱管账，廉政风险点多。全体党员干部要严守政治纪律和政治规矩，严格执行中央八项规定及其实施细则精神，在预算编制、资金拨付、政府采购、绩效评价等环节严格按制度办事。\n\n节假日期间要特别注意，不收受可能影响公正执行公务的礼品礼金，不接受管理服务对象的宴请。' },
  { by: 'committee', daysAgo: 24, title: '市财政局机关党委关于开展“业务党建双提升”活动的方案', source: '市财政局机关党委',
    body: '为推动党建工作与业务工作深度融合，机关党委决定在各党支部开展“业务党建双提升”活动。各支部结合处室职能确定一个攻坚项目，由支部书记牵头，党员骨干领衔，形成项目清单。\n\n机关党委每季度听取一次进展情况汇报，年底组织评比，评选结果与支部考核挂钩。' },
  { by: 'committee', daysAgo: 6, title: '预算绩效管理中的“党员先锋岗”实践', source: '市财政局机关党委',
    body: '预算处党支部在绩效目标审核岗位设立党员先锋岗，党员带头对重点项目开展事前绩效评估，今年以来共审核项目数百个，提出调整建议并推动压减低效支出。\n\n实践表明，把支部建在业务链条上，让党员在关键岗位上亮身份、作表率，是机关党建与业务融合的有效途径。' },
];

async function seedArticles(ctx: DemoContext, now: number, people: Person[], ledger: Ledger, users: Users, audits: AuditRow[]): Promise<void> {
  const { tx, random, today } = ctx;
  const articles = await insertWithIds<{ id: string; org: DemoPlace; user: User; title: string; body: string; source: string; at: Date }>(tx, 'articles', [
    { name: 'org_id', type: 'bigint', value: (a) => a.org.id },
    { name: 'org_path', type: 'ltree', value: (a) => a.org.path },
    { name: 'title', type: 'text', value: (a) => a.title },
    { name: 'body', type: 'text', value: (a) => a.body },
    { name: 'source', type: 'text', value: (a) => a.source },
    { name: 'published_at', type: 'timestamptz', value: (a) => iso(a.at) },
    { name: 'created_by', type: 'bigint', value: (a) => a.user.id },
  ], ARTICLES.map((a) => ({
    org: a.by === 'root' ? ctx.root : ctx.committee, user: a.by === 'root' ? users.admin : users.bureau, title: a.title, body: a.body, source: a.source,
    at: at(addDays(today, -a.daysAgo), 9 * 60 + 30),
  })));
  for (const a of articles) audits.push({ at: iso(a.at), user: a.user, action: 'article.create', targetType: 'article', targetId: a.id, orgPath: a.org.path, detail: { title: a.title } });
  const reads: { article: string; member: Person; at: Date }[] = [];
  for (const a of articles) {
    const span = now - a.at.getTime();
    for (const p of people) {
      if (!within(p.orgPath, a.org.path) || !random.chance(0.05 + p.engagement * 0.5)) continue;
      // most read it within days of publication
      const t = new Date(a.at.getTime() + Math.min(span - MINUTE, Math.floor(Math.pow(random.next(), 3) * span)));
      reads.push({ article: a.id, member: p, at: t });
    }
  }
  reads.sort((x, y) => x.at.getTime() - y.at.getTime());
  const rows = await insertWithIds<(typeof reads)[number] & { id: string }>(tx, 'article_reads', [
    { name: 'article_id', type: 'bigint', value: (r) => r.article },
    { name: 'member_id', type: 'bigint', value: (r) => r.member.id },
    { name: 'read_at', type: 'timestamptz', value: (r) => iso(r.at) },
  ], reads);
  for (const r of rows) ledger.award(r.member, 'article_read', 'article_read', r.id, r.at);
}

// ---------- courses ----------

interface CourseSpec {
  by: 'root' | 'committee'; daysAgo: number; title: string; description: string; kind: 'series' | 'link' | 'live'; url?: string;
  live?: { inDays: number; from: number; to: number }; lessons?: [title: string, minutes: number][];
}
const COURSES: CourseSpec[] = [
  { by: 'root', daysAgo: 75, kind: 'series', title: '深入学习贯彻党的二十大精神系列专题课', description: '围绕党的二十大报告的主要内容，分六讲系统辅导，适合党员自学和支部集中学习。',
    lessons: [['第一讲 过去五年的工作和新时代十年的伟大变革', 45], ['第二讲 开辟马克思主义中国化时代化新境界', 50], ['第三讲 新时代新征程中国共产党的使命任务', 40],
      ['第四讲 发展全过程人民民主', 35], ['第五讲 推进国家安全体系和能力现代化', 40], ['第六讲 坚定不移全面从严治党', 50]] },
  { by: 'root', daysAgo: 50, kind: 'link', title: '《中国共产党章程》逐章解读', description: '共产党员网党章学习专栏，逐章解读党章条文。', url: 'https://www.12371.cn/' },
  { by: 'root', daysAgo: 20, kind: 'series', title: '机关党务工作者基本功', description: '面向党支部书记和支部委员的业务培训：组织生活、党员发展、党费管理与党建台账。',
    lessons: [['“三会一课”的组织与记录', 30], ['发展党员工作流程', 40], ['党费收缴与台账管理', 25], ['党组织换届选举', 35]] },
  { by: 'root', daysAgo: 3, kind: 'live', title: '年度组织生活会和民主评议党员工作专题辅导（直播）', description: '市直机关工委组织部负责同志在线辅导，会后提供回看。', url: 'https://www.12371.cn/',
    live: { inDays: 6, from: 14 * 60 + 30, to: 16 * 60 + 30 } },
  { by: 'committee', daysAgo: 40, kind: 'series', title: '财政干部廉洁教育微课堂', description: '结合财政业务特点的廉洁从政教育，每讲约二十分钟。',
    lessons: [['预算编制环节的廉政风险', 20], ['政府采购中的纪律要求', 25], ['以案为鉴：违规发放津补贴典型案例', 20], ['家风建设与廉洁自律', 15]] },
  { by: 'committee', daysAgo: 14, kind: 'link', title: '《中国共产党纪律处分条例》专题解读', description: '学习强国平台专题，党员自学。', url: 'https://www.xuexi.cn/' },
];

async function seedCourses(ctx: DemoContext, now: number, people: Person[], ledger: Ledger, users: Users, audits: AuditRow[]): Promise<void> {
  const { tx, random, today } = ctx;
  const courses = await insertWithIds<{ id: string; spec: CourseSpec; org: DemoPlace; user: User; at: Date }>(tx, 'courses', [
    { name: 'org_id', type: 'bigint', value: (c) => c.org.id },
    { name: 'org_path', type: 'ltree', value: (c) => c.org.path },
    { name: 'title', type: 'text', value: (c) => c.spec.title },
    { name: 'description', type: 'text', value: (c) => c.spec.description },
    { name: 'kind', type: 'text', value: (c) => c.spec.kind },
    { name: 'url', type: 'text', value: (c) => c.spec.url ?? null },
    { name: 'live_starts_at', type: 'timestamptz', value: (c) => (c.spec.live ? iso(at(addDays(today, c.spec.live.inDays), c.spec.live.from)) : null) },
    { name: 'live_ends_at', type: 'timestamptz', value: (c) => (c.spec.live ? iso(at(addDays(today, c.spec.live.inDays), c.spec.live.to)) : null) },
    { name: 'created_by', type: 'bigint', value: (c) => c.user.id },
    { name: 'created_at', type: 'timestamptz', value: (c) => iso(c.at) },
  ], COURSES.map((spec) => ({ spec, org: spec.by === 'root' ? ctx.root : ctx.committee, user: spec.by === 'root' ? users.admin : users.bureau, at: at(addDays(today, -spec.daysAgo), 10 * 60) })));
  // a single link or broadcast is a course of one lesson mirroring it, as the service creates it
  const lessonSpecs = courses.flatMap((c) => (c.spec.lessons ?? ([[c.spec.title, null]] as [string, number | null][])).map(([title, minutes], i) => ({
    course: c, position: i + 1, title, minutes, url: c.spec.kind === 'series' ? `https://www.12371.cn/special/djxx/${c.id}-${i + 1}/` : c.spec.url!,
  })));
  const lessons = await insertWithIds<(typeof lessonSpecs)[number] & { id: string }>(tx, 'course_lessons', [
    { name: 'course_id', type: 'bigint', value: (l) => l.course.id },
    { name: 'position', type: 'int', value: (l) => l.position },
    { name: 'title', type: 'text', value: (l) => l.title },
    { name: 'url', type: 'text', value: (l) => l.url },
    { name: 'duration_minutes', type: 'int', value: (l) => l.minutes },
  ], lessonSpecs);
  for (const c of courses) {
    audits.push({ at: iso(c.at), user: c.user, action: 'course.create', targetType: 'course', targetId: c.id, orgPath: c.org.path,
      detail: { title: c.spec.title, kind: c.spec.kind, lessons: lessons.filter((l) => l.course === c).length } });
  }

  // progress: a broadcast not yet held has none; elsewhere some members finish, some are part way
  const progress: { lesson: string; course: string; member: Person; at: Date }[] = [];
  const completions: { course: string; member: Person; at: Date }[] = [];
  for (const c of courses) {
    if (c.spec.kind === 'live') continue;
    const own = lessons.filter((l) => l.course === c);
    const span = now - c.at.getTime();
    for (const p of people) {
      if (!within(p.orgPath, c.org.path)) continue;
      const demo = p.id === ctx.members.member;
      // the demo member finished the committee's course and is half way through the series of the work committee
      const share = demo ? (c.spec.by === 'committee' && c.spec.kind === 'series' ? 1 : c.spec.daysAgo === 75 ? 0.5 : 0) : random.chance(0.15 + p.engagement * 0.45) ? (random.chance(0.55) ? 1 : random.next()) : 0;
      const done = Math.min(own.length, Math.floor(share * own.length + (share === 1 ? 0 : 0.5)));
      if (done === 0) continue;
      let t = c.at.getTime() + Math.floor(random.next() * span * 0.5);
      for (let k = 0; k < done; k++) {
        t = Math.min(now - MINUTE, t + Math.floor(random.next() * 4 * DAY) + 30 * MINUTE);
        progress.push({ lesson: own[k]!.id, course: c.id, member: p, at: new Date(t) });
      }
      if (done === own.length) completions.push({ course: c.id, member: p, at: new Date(t) });
    }
  }
  await bulkInsert(tx, 'lesson_progress', [
    { name: 'lesson_id', type: 'bigint', value: (p: (typeof progress)[number]) => p.lesson },
    { name: 'member_id', type: 'bigint', value: (p) => p.member.id },
    { name: 'course_id', type: 'bigint', value: (p) => p.course },
    { name: 'completed_at', type: 'timestamptz', value: (p) => iso(p.at) },
  ], progress, { batchSize: 20_000 });
  const done = await insertWithIds<(typeof completions)[number] & { id: string }>(tx, 'course_completions', [
    { name: 'course_id', type: 'bigint', value: (c) => c.course },
    { name: 'member_id', type: 'bigint', value: (c) => c.member.id },
    { name: 'completed_at', type: 'timestamptz', value: (c) => iso(c.at) },
  ], completions);
  for (const c of done) ledger.award(c.member, 'course_complete', 'course_completion', c.id, c.at);
}

// ---------- study plans ----------

async function seedStudyPlans(ctx: DemoContext, now: number, people: Person[], ledger: Ledger, users: Users, audits: AuditRow[]): Promise<void> {
  const { tx, random, today } = ctx;
  const quarterStart = addDays(today, -56);
  const monthStart = addDays(today, -9);
  const plans = [
    { org: ctx.committee, user: users.bureau, title: '市财政局机关党委第四季度理论学习计划', description: '各党支部组织党员按章节自学，支部每月集中研讨一次，季度末机关党委组织交流。',
      startsOn: quarterStart, endsOn: addDays(today, 26), created: at(addDays(quarterStart, -3), 16 * 60),
      items: [
        ['学习《中国共产党章程》总纲', '通读总纲，重点理解党的性质、宗旨、指导思想和党的建设基本要求。', 0],
        ['学习党章第一章“党员”', '对照党员八项义务、八项权利，查找自身差距。', 14],
        ['学习《中国共产党支部工作条例（试行）》', '结合本支部“三会一课”落实情况开展讨论。', 28],
        ['学习《中国共产党纪律处分条例》', '重点学习六项纪律的有关规定，观看警示教育片。', 42],
        ['学习《关于中国共产党党费收缴、使用和管理的规定》', '核对本人党费交纳基数，了解党费使用范围。', 56],
        ['撰写季度学习心得', '结合本职工作撰写不少于一千字的学习体会，交支部汇总。', 80],
      ] as [string, string, number][] },
    { org: ctx.branch, user: users.secretary, title: `${ctx.branch.name}${Number(today.slice(5, 7))}月份学习计划`, description: '本月围绕年度组织生活会做好学习准备，党员按期完成各章节学习并在平台标记。',
      startsOn: monthStart, endsOn: addDays(today, 21), created: at(addDays(monthStart, -1), 17 * 60),
      items: [
        ['重温入党誓词和入党志愿书', '回顾入党初心，为组织生活会对照检查做准备。', 2],
        ['学习党的二十大报告第十五部分', '领会全面从严治党的新要求。', 8],
        ['学习年度组织生活会有关通知', '了解会议程序和对照检查的重点。', 15],
        ['撰写对照检查材料提纲', '围绕学习、工作、作风、纪律四个方面列出问题清单。', 28],
      ] as [string, string, number][] },
  ];
  const planRows = await insertWithIds<(typeof plans)[number] & { id: string }>(tx, 'study_plans', [
    { name: 'org_id', type: 'bigint', value: (p) => p.org.id },
    { name: 'org_path', type: 'ltree', value: (p) => p.org.path },
    { name: 'title', type: 'text', value: (p) => p.title },
    { name: 'description', type: 'text', value: (p) => p.description },
    { name: 'starts_on', type: 'date', value: (p) => p.startsOn },
    { name: 'ends_on', type: 'date', value: (p) => p.endsOn },
    { name: 'created_by', type: 'bigint', value: (p) => p.user.id },
    { name: 'created_at', type: 'timestamptz', value: (p) => iso(p.created) },
  ], plans);
  const itemSpecs = planRows.flatMap((p) => p.items.map(([title, content, offset], i) => ({ plan: p, position: i + 1, title, content, dueOn: addDays(p.startsOn, Math.min(offset + 7, Math.round((Date.parse(p.endsOn) - Date.parse(p.startsOn)) / DAY))) })));
  const items = await insertWithIds<(typeof itemSpecs)[number] & { id: string }>(tx, 'study_plan_items', [
    { name: 'plan_id', type: 'bigint', value: (i) => i.plan.id },
    { name: 'position', type: 'int', value: (i) => i.position },
    { name: 'title', type: 'text', value: (i) => i.title },
    { name: 'content', type: 'text', value: (i) => i.content },
    { name: 'due_on', type: 'date', value: (i) => i.dueOn },
  ], itemSpecs);
  for (const p of planRows) {
    audits.push({ at: iso(p.created), user: p.user, action: 'study_plan.create', targetType: 'study_plan', targetId: p.id, orgPath: p.org.path, detail: { title: p.title, items: p.items.length } });
  }
  // a quarter keep ahead of the dates, most keep up with what is due (some lag a chapter), a few have not started
  const progress: { item: string; plan: string; member: Person; at: Date; note: string | null }[] = [];
  for (const plan of planRows) {
    const own = items.filter((i) => i.plan === plan);
    const start = Date.parse(`${plan.startsOn}T09:00:00+08:00`);
    for (const p of people) {
      if (!within(p.orgPath, plan.org.path)) continue;
      const demo = p.id === ctx.members.member;
      const roll = random.next();
      const pace = demo ? 'behind' : roll < 0.12 + p.engagement * 0.2 ? 'ahead' : roll < 0.85 ? (random.chance(0.6) ? 'on' : 'behind') : 'none';
      if (pace === 'none') continue;
      let t = start;
      for (const item of own) {
        const due = Date.parse(`${item.dueOn}T18:00:00+08:00`);
        const isDue = due <= now;
        if (pace === 'on' && !isDue) break;
        if (pace === 'behind' && (!isDue || due > now - 5 * DAY)) break;
        t = Math.min(now - MINUTE, Math.max(t, due - 7 * DAY) + Math.floor(random.next() * 6 * DAY));
        progress.push({ item: item.id, plan: plan.id, member: p, at: new Date(t), note: random.chance(0.2) ? '已学习并做笔记' : null });
      }
    }
  }
  const rows = await insertWithIds<(typeof progress)[number] & { id: string }>(tx, 'study_plan_progress', [
    { name: 'item_id', type: 'bigint', value: (g) => g.item },
    { name: 'plan_id', type: 'bigint', value: (g) => g.plan },
    { name: 'member_id', type: 'bigint', value: (g) => g.member.id },
    { name: 'note', type: 'text', value: (g) => g.note },
    { name: 'done_at', type: 'timestamptz', value: (g) => iso(g.at) },
  ], progress);
  for (const g of rows) ledger.award(g.member, 'study_plan_item', 'study_plan_progress', g.id, g.at);
}

// ---------- papers, exams ----------

type Quota = { type: QuestionSnapshot['type']; count: number; score: number };
const snapshot = (q: BankQuestion, score: number): QuestionSnapshot => ({ id: q.id, type: q.type, stem: q.stem, options: q.options, answer: q.answer, explanation: q.explanation, score });

/** Ten draws of a random paper, as drawVariants makes them when an exam or contest is published (seeded here). */
function drawRandom(random: Random, bank: BankQuestion[], quotas: Quota[], count = 10): QuestionSnapshot[][] {
  return Array.from({ length: count }, () => quotas.flatMap((quota) =>
    shuffled(bank.filter((q) => q.type === quota.type), random.int(0, 0x7ffffffe)).slice(0, quota.count).map((q) => snapshot(q, quota.score))));
}

interface Attempt { id: string; exam: string; member: Person; variantNo: number; seed: number; startedAt: Date; deadlineAt: Date; submittedAt: Date | null; auto: boolean; score: number | null; passed: boolean | null }
interface ExamSpec { id: string; title: string; opensAt: Date; closesAt: Date; limit: number; pass: number; variants: QuestionSnapshot[][] }

/**
 * Attempts as members make them: started inside the window, answered question by question, submitted
 * before the member's deadline (a few ran out of time and were closed at it), graded all or nothing per
 * question; the first pass earns the exam's points on the day it was submitted.
 */
function sit(random: Random, exam: ExamSpec, taker: Person, attemptId: string, answers: (string | number | boolean | null)[][], ledger: Ledger, window: { from: number; to: number }): Attempt {
  const seed = random.int(1, 0x7ffffffe);
  const variantNo = seed % exam.variants.length;
  const questions = exam.variants[variantNo]!;
  const startedAt = new Date(window.from + Math.floor(random.next() * (window.to - window.from)));
  const deadlineAt = new Date(Math.min(startedAt.getTime() + exam.limit * MINUTE, exam.closesAt.getTime()));
  const ranOut = random.chance(0.03);
  const took = ranOut ? deadlineAt.getTime() - startedAt.getTime() : Math.min(deadlineAt.getTime() - startedAt.getTime() - MINUTE, (exam.limit * (0.3 + random.next() * 0.55)) * MINUTE);
  const submittedAt = new Date(startedAt.getTime() + took);
  let score = 0;
  const skill = Math.min(0.97, taker.skill + 0.05);
  questions.forEach((q, k) => {
    if (ranOut && k >= questions.length * 0.7) return;
    const response = responseTo(q, random.chance(skill), random);
    const correct = isCorrect(q, response);
    if (correct) score += q.score;
    const answeredAt = new Date(startedAt.getTime() + Math.floor(((k + 1) / (questions.length + 1)) * took));
    answers.push([attemptId, q.id, JSON.stringify(response), correct, correct ? q.score : 0, iso(answeredAt)]);
  });
  const passed = score >= exam.pass;
  if (passed) ledger.award(taker, 'exam_pass', 'exam_attempt', attemptId, submittedAt);
  return { id: attemptId, exam: exam.id, member: taker, variantNo, seed, startedAt, deadlineAt, submittedAt, auto: ranOut, score, passed };
}

async function seedExams(ctx: DemoContext, now: number, bank: BankQuestion[], people: Person[], ledger: Ledger, users: Users, audits: AuditRow[]): Promise<void> {
  const { tx, random, today } = ctx;
  const committee = people.filter((p) => within(p.orgPath, ctx.committee.path));

  // a fixed paper for the year's test, a random one for this month's
  const fixedPicks = [
    ...shuffled(bank.filter((q) => q.type === 'single'), random.int(1, 1e9)).slice(0, 10).map((q) => snapshot(q, 5)),
    ...shuffled(bank.filter((q) => q.type === 'multiple'), random.int(1, 1e9)).slice(0, 5).map((q) => snapshot(q, 6)),
    ...shuffled(bank.filter((q) => q.type === 'true_false'), random.int(1, 1e9)).slice(0, 5).map((q) => snapshot(q, 4)),
  ];
  const quotas: Quota[] = [{ type: 'single', count: 10, score: 5 }, { type: 'multiple', count: 5, score: 6 }, { type: 'true_false', count: 5, score: 4 }];
  const papers = await insertWithIds<{ id: string; title: string; mode: 'fixed' | 'random'; quotas: Quota[]; at: Date }>(tx, 'papers', [
    { name: 'org_id', type: 'bigint', value: () => ctx.committee.id },
    { name: 'org_path', type: 'ltree', value: () => ctx.committee.path },
    { name: 'title', type: 'text', value: (p) => p.title },
    { name: 'mode', type: 'text', value: (p) => p.mode },
    { name: 'quotas', type: 'jsonb', value: (p) => JSON.stringify(p.quotas) },
    { name: 'created_by', type: 'bigint', value: () => users.bureau.id },
    { name: 'created_at', type: 'timestamptz', value: (p) => iso(p.at) },
  ], [
    { title: '党章党规知识测试卷（A卷）', mode: 'fixed', quotas: [], at: at(addDays(today, -40), 15 * 60) },
    { title: '应知应会随机组卷（单选10、多选5、判断5）', mode: 'random', quotas, at: at(addDays(today, -4), 11 * 60) },
  ]);
  const [fixedPaper, randomPaper] = papers as [(typeof papers)[number], (typeof papers)[number]];
  await bulkInsert(tx, 'paper_questions', [
    { name: 'paper_id', type: 'bigint', value: () => fixedPaper.id },
    { name: 'question_id', type: 'bigint', value: (q: QuestionSnapshot & { position: number }) => q.id },
    { name: 'position', type: 'int', value: (q) => q.position },
    { name: 'score', type: 'int', value: (q) => q.score },
  ], fixedPicks.map((q, i) => ({ ...q, position: i + 1 })));
  for (const p of papers) audits.push({ at: iso(p.at), user: users.bureau, action: 'paper.create', targetType: 'paper', targetId: p.id, orgPath: ctx.committee.path, detail: { title: p.title, mode: p.mode } });

  const total = 100;
  const specs = [
    { title: `${ctx.committee.name}${today.slice(0, 4)}年度党章党规知识测试`, description: '机关党委统一组织，全体党员参加，60分合格。', paper: fixedPaper, variants: [fixedPicks],
      opensAt: at(addDays(today, -35), 9 * 60), closesAt: at(addDays(today, -28), 18 * 60), limit: 60, created: at(addDays(today, -38), 10 * 60), makeUpOf: null as string | null, org: ctx.committee, by: users.bureau },
    { title: `${ctx.committee.name}${today.slice(0, 4)}年度党章党规知识测试（补考）`, description: '机关党委统一组织，全体党员参加，60分合格。', paper: fixedPaper, variants: [fixedPicks],
      opensAt: at(addDays(today, -20), 9 * 60), closesAt: at(addDays(today, -18), 18 * 60), limit: 60, created: at(addDays(today, -26), 15 * 60), makeUpOf: 'main', org: ctx.committee, by: users.bureau },
    { title: `${Number(today.slice(5, 7))}月份学习贯彻党的二十大精神应知应会测试`, description: '随机组卷，每人一次机会，限时30分钟，60分合格。', paper: randomPaper, variants: drawRandom(random, bank, quotas),
      opensAt: at(addDays(today, -2), 9 * 60), closesAt: at(addDays(today, 5), 18 * 60), limit: 30, created: at(addDays(today, -3), 16 * 60), makeUpOf: null, org: ctx.committee, by: users.bureau },
    // the demo branch's own quiz after its theme day, set by its secretary on the committee's paper
    { title: `${ctx.branch.name}主题党日学习成效小测`, description: '支部自行组织，本支部党员参加，限时20分钟，60分合格。', paper: fixedPaper, variants: [fixedPicks],
      opensAt: at(addDays(today, -14), 14 * 60), closesAt: at(addDays(today, -12), 18 * 60), limit: 20, created: at(addDays(today, -15), 17 * 60), makeUpOf: null, org: ctx.branch, by: users.secretary },
  ];
  const examIds = await reserveIds(tx, 'exams', specs.length);
  const exams = specs.map((s, i) => ({ ...s, id: examIds[i]!, pass: 60, makeUpOf: s.makeUpOf ? examIds[0]! : null }));
  await bulkInsert(tx, 'exams', [
    { name: 'id', type: 'bigint', value: (e: (typeof exams)[number]) => e.id },
    { name: 'org_id', type: 'bigint', value: (e) => e.org.id },
    { name: 'org_path', type: 'ltree', value: (e) => e.org.path },
    { name: 'paper_id', type: 'bigint', value: (e) => e.paper.id },
    { name: 'title', type: 'text', value: (e) => e.title },
    { name: 'description', type: 'text', value: (e) => e.description },
    { name: 'opens_at', type: 'timestamptz', value: (e) => iso(e.opensAt) },
    { name: 'closes_at', type: 'timestamptz', value: (e) => iso(e.closesAt) },
    { name: 'time_limit_minutes', type: 'int', value: (e) => e.limit },
    { name: 'max_attempts', type: 'int', value: () => 1 },
    { name: 'pass_score', type: 'int', value: (e) => e.pass },
    { name: 'total_score', type: 'int', value: () => total },
    { name: 'variant_count', type: 'int', value: (e) => e.variants.length },
    { name: 'make_up_of', type: 'bigint', value: (e) => e.makeUpOf },
    { name: 'created_by', type: 'bigint', value: (e) => e.by.id },
    { name: 'created_at', type: 'timestamptz', value: (e) => iso(e.created) },
  ], exams, { overridingIds: true });
  await bulkInsert(tx, 'exam_variants', [
    { name: 'exam_id', type: 'bigint', value: (v: { exam: string; no: number; questions: QuestionSnapshot[] }) => v.exam },
    { name: 'variant_no', type: 'int', value: (v) => v.no },
    { name: 'questions', type: 'jsonb', value: (v) => JSON.stringify(v.questions) },
  ], exams.flatMap((e) => e.variants.map((questions, no) => ({ exam: e.id, no, questions }))));

  const [main, makeUp, open, branchQuiz] = exams as [(typeof exams)[number], (typeof exams)[number], (typeof exams)[number], (typeof exams)[number]];
  // the year's test: nearly everyone sat it (the demo accounts among them); the absentees were called to the make-up
  const absent = new Set(committee.filter((p) => p.id !== ctx.members.member && p.id !== ctx.members.secretary && p.id !== ctx.members.bureau && random.chance(0.08)).map((p) => p.id));
  const mainTakers = committee.filter((p) => !absent.has(p.id));
  const makeUpCalled = committee.filter((p) => absent.has(p.id));
  const makeUpTakers = makeUpCalled.filter(() => random.chance(0.65));
  // this month's: about a third have already taken it; the demo member has not
  const openTakers = committee.filter((p) => p.id !== ctx.members.member && random.chance(0.3 + p.engagement * 0.2));
  // the branch's quiz: its members, nearly all of whom sat it
  const branch = committee.filter((p) => within(p.orgPath, ctx.branch.path));
  const branchTakers = branch.filter((p) => Object.values(ctx.members).includes(p.id) || random.chance(0.85));
  const participants = [
    ...committee.map((p) => ({ exam: main.id, member: p })),
    ...makeUpCalled.map((p) => ({ exam: makeUp.id, member: p })),
    ...committee.map((p) => ({ exam: open.id, member: p })),
    ...branch.map((p) => ({ exam: branchQuiz.id, member: p })),
  ];
  await bulkInsert(tx, 'exam_participants', [
    { name: 'exam_id', type: 'bigint', value: (p: (typeof participants)[number]) => p.exam },
    { name: 'member_id', type: 'bigint', value: (p) => p.member.id },
    { name: 'org_path', type: 'ltree', value: (p) => p.member.orgPath },
  ], participants);

  const attemptIds = await reserveIds(tx, 'exam_attempts', mainTakers.length + makeUpTakers.length + openTakers.length + branchTakers.length);
  let next = 0;
  const answers: (string | number | boolean | null)[][] = [];
  const windowOf = (e: ExamSpec, until = e.closesAt.getTime()) => ({ from: e.opensAt.getTime(), to: Math.min(until, e.closesAt.getTime()) - e.limit * MINUTE });
  const attempts = [
    ...mainTakers.map((p) => sit(random, main, p, attemptIds[next++]!, answers, ledger, windowOf(main))),
    ...makeUpTakers.map((p) => sit(random, makeUp, p, attemptIds[next++]!, answers, ledger, windowOf(makeUp))),
    // started early enough to be submitted by now
    ...openTakers.map((p) => sit(random, open, p, attemptIds[next++]!, answers, ledger, windowOf(open, now - 5 * MINUTE))),
    ...branchTakers.map((p) => sit(random, branchQuiz, p, attemptIds[next++]!, answers, ledger, windowOf(branchQuiz))),
  ];
  await bulkInsert(tx, 'exam_attempts', [
    { name: 'id', type: 'bigint', value: (a: Attempt) => a.id },
    { name: 'exam_id', type: 'bigint', value: (a) => a.exam },
    { name: 'member_id', type: 'bigint', value: (a) => a.member.id },
    { name: 'attempt_no', type: 'int', value: () => 1 },
    { name: 'variant_no', type: 'int', value: (a) => a.variantNo },
    { name: 'seed', type: 'int', value: (a) => a.seed },
    { name: 'started_at', type: 'timestamptz', value: (a) => iso(a.startedAt) },
    { name: 'deadline_at', type: 'timestamptz', value: (a) => iso(a.deadlineAt) },
    { name: 'submitted_at', type: 'timestamptz', value: (a) => (a.submittedAt ? iso(a.submittedAt) : null) },
    { name: 'is_auto_submitted', type: 'boolean', value: (a) => String(a.auto) },
    { name: 'score', type: 'int', value: (a) => a.score },
    { name: 'is_passed', type: 'boolean', value: (a) => (a.passed == null ? null : String(a.passed)) },
  ], attempts, { overridingIds: true });
  await bulkInsert(tx, 'exam_answers', [
    { name: 'attempt_id', type: 'bigint', value: (a: (string | number | boolean | null)[]) => a[0] as string },
    { name: 'question_id', type: 'bigint', value: (a) => a[1] as string },
    { name: 'response', type: 'jsonb', value: (a) => a[2] as string },
    { name: 'is_correct', type: 'boolean', value: (a) => String(a[3]) },
    { name: 'score', type: 'int', value: (a) => a[4] as number },
    { name: 'answered_at', type: 'timestamptz', value: (a) => a[5] as string },
  ], answers, { batchSize: 20_000 });

  for (const [e, called] of [[main, committee], [open, committee], [branchQuiz, branch]] as const) {
    audits.push({ at: iso(e.created), user: e.by, action: 'exam.create', targetType: 'exam', targetId: e.id, orgPath: e.org.path,
      detail: { title: e.title, opensAt: iso(e.opensAt), closesAt: iso(e.closesAt), participants: called.length } });
  }
  audits.push({ at: iso(makeUp.created), user: users.bureau, action: 'exam.issue_make_up', targetType: 'exam', targetId: makeUp.id, orgPath: ctx.committee.path,
    detail: { makeUpOf: main.id, participants: makeUpCalled.map((p) => p.id), opensAt: iso(makeUp.opensAt), closesAt: iso(makeUp.closesAt) } });
}

// ---------- contests ----------

async function seedContests(ctx: DemoContext, bank: BankQuestion[], people: Person[], ledger: Ledger, users: Users, audits: AuditRow[]): Promise<void> {
  const { tx, random, today } = ctx;
  const quotas: Quota[] = [{ type: 'single', count: 10, score: 5 }, { type: 'multiple', count: 5, score: 6 }, { type: 'true_false', count: 5, score: 4 }];
  const papers = await insertWithIds<{ id: string; org: DemoPlace; user: User; title: string; at: Date }>(tx, 'papers', [
    { name: 'org_id', type: 'bigint', value: (p) => p.org.id },
    { name: 'org_path', type: 'ltree', value: (p) => p.org.path },
    { name: 'title', type: 'text', value: (p) => p.title },
    { name: 'mode', type: 'text', value: () => 'random' },
    { name: 'quotas', type: 'jsonb', value: () => JSON.stringify(quotas) },
    { name: 'created_by', type: 'bigint', value: (p) => p.user.id },
    { name: 'created_at', type: 'timestamptz', value: (p) => iso(p.at) },
  ], [
    { org: ctx.root, user: users.admin, title: '“学党章 守党规”知识竞赛题库组卷', at: at(addDays(today, -68), 15 * 60) },
    { org: ctx.committee, user: users.bureau, title: '财政系统党建知识竞赛组卷', at: at(addDays(today, -2), 10 * 60) },
  ]);
  const specs = [
    { org: ctx.root, user: users.admin, paper: papers[0]!, title: `市直机关“学党章 守党规”知识竞赛`, startsAt: at(addDays(today, -60), 9 * 60), endsAt: at(addDays(today, -53), 18 * 60),
      limit: 900, created: at(addDays(today, -65), 10 * 60), variants: drawRandom(random, bank, quotas) },
    { org: ctx.committee, user: users.bureau, paper: papers[1]!, title: `${ctx.committee.name}“喜迎新年”党建知识竞赛`, startsAt: at(addDays(today, 9), 9 * 60), endsAt: at(addDays(today, 11), 18 * 60),
      limit: 600, created: at(addDays(today, -1), 16 * 60), variants: drawRandom(random, bank, quotas) },
  ];
  const contests = await insertWithIds<(typeof specs)[number] & { id: string }>(tx, 'contests', [
    { name: 'org_id', type: 'bigint', value: (c) => c.org.id },
    { name: 'org_path', type: 'ltree', value: (c) => c.org.path },
    { name: 'paper_id', type: 'bigint', value: (c) => c.paper.id },
    { name: 'title', type: 'text', value: (c) => c.title },
    { name: 'starts_at', type: 'timestamptz', value: (c) => iso(c.startsAt) },
    { name: 'ends_at', type: 'timestamptz', value: (c) => iso(c.endsAt) },
    { name: 'time_limit_seconds', type: 'int', value: (c) => c.limit },
    { name: 'variants', type: 'jsonb', value: (c) => JSON.stringify(c.variants) },
    { name: 'created_by', type: 'bigint', value: (c) => c.user.id },
    { name: 'created_at', type: 'timestamptz', value: (c) => iso(c.created) },
  ], specs);
  await bulkInsert(tx, 'contest_orgs', [
    { name: 'contest_id', type: 'bigint', value: (c: (typeof contests)[number]) => c.id },
    { name: 'org_id', type: 'bigint', value: (c) => c.org.id },
    { name: 'org_path', type: 'ltree', value: (c) => c.org.path },
    { name: 'include_subtree', type: 'boolean', value: () => 'true' },
  ], contests);
  for (const p of papers) audits.push({ at: iso(p.at), user: p.user, action: 'paper.create', targetType: 'paper', targetId: p.id, orgPath: p.org.path, detail: { title: p.title, mode: 'random' } });
  for (const c of contests) {
    audits.push({ at: iso(c.created), user: c.user, action: 'contest.create', targetType: 'contest', targetId: c.id, orgPath: c.org.path,
      detail: { title: c.title, orgs: [{ orgId: c.org.id, includeSubtree: true }] } });
  }

  // the past contest: about a quarter of the city's members took part, the demo accounts among them
  const past = contests[0]!;
  const entrants = people.filter((p) => p.id === ctx.members.member || p.id === ctx.members.secretary || random.chance(0.12 + p.engagement * 0.25));
  const entries = entrants.map((p) => {
    const seed = random.int(1, 0x7ffffffe);
    const variantNo = seed % past.variants.length;
    const questions = shuffled(past.variants[variantNo]!, seed);
    const startedAt = new Date(past.startsAt.getTime() + Math.floor(random.next() * (past.endsAt.getTime() - past.startsAt.getTime() - past.limit * 1000)));
    const deadlineAt = new Date(Math.min(startedAt.getTime() + past.limit * 1000, past.endsAt.getTime()));
    const durationMs = Math.floor((past.limit * 1000 - 5000) * (0.25 + random.next() * 0.7));
    let score = 0;
    const answers = questions.map((q) => {
      const response = responseTo(q, random.chance(p.skill), random);
      if (isCorrect(q, response)) score += q.score;
      return { questionId: q.id, response };
    });
    return { member: p, seed, variantNo, startedAt, deadlineAt, submittedAt: new Date(startedAt.getTime() + durationMs), answers: JSON.stringify(answers), score, durationMs };
  });
  const rows = await insertWithIds<(typeof entries)[number] & { id: string }>(tx, 'contest_entries', [
    { name: 'contest_id', type: 'bigint', value: () => past.id },
    { name: 'member_id', type: 'bigint', value: (e) => e.member.id },
    { name: 'org_path', type: 'ltree', value: (e) => e.member.orgPath },
    { name: 'seed', type: 'int', value: (e) => e.seed },
    { name: 'variant_no', type: 'int', value: (e) => e.variantNo },
    { name: 'started_at', type: 'timestamptz', value: (e) => iso(e.startedAt) },
    { name: 'deadline_at', type: 'timestamptz', value: (e) => iso(e.deadlineAt) },
    { name: 'submitted_at', type: 'timestamptz', value: (e) => iso(e.submittedAt) },
    { name: 'answers', type: 'jsonb', value: (e) => e.answers },
    { name: 'score', type: 'int', value: (e) => e.score },
    { name: 'duration_ms', type: 'int', value: (e) => e.durationMs },
  ], entries);
  for (const e of rows) ledger.award(e.member, 'contest_join', 'contest_entry', e.id, e.submittedAt);
}
