import { sql, type SQL } from 'drizzle-orm';
import { LEADERBOARD_COUNT_CAP } from '../../../../contracts/points.js';
import type {
  LeaderboardQuery, LedgerEntry, LedgerPage, LedgerQuery, MemberLeaderboard, MyPoints, OrgLeaderboard, PointRule, PointRuleCode,
  ReverseEntry, UpdatePointRule,
} from '../../../../contracts/points.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { executePrepared, type Db, type Queryable, type Tx } from '../../platform/db.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { loadMemberContext, periodOf, requireMember, weekStartOf, addDays } from './member-context.js';
import { epochOf, readEpochs, rowsKeptUnder, type EpochSource, type Epochs } from '../../platform/epochs.js';
import { canConfigureRules, canReverseEntry, canViewBoardOf, canViewLedgerOf, ledgerInScope } from './policy.js';
import './messages.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import { inSubtreeByKey, pageLimit, partialUpdate } from '../../platform/sql.js';

type N = number | string;
const num = (v: N | null | undefined) => Number(v ?? 0);
const iso = (v: Date | string) => new Date(v).toISOString();

// ---------- awarding ----------

export interface Award {
  memberId: string;
  rule: PointRuleCode;
  /** The record that earned the points (e.g. 'article_read' + its row id): it scores once, ever. */
  sourceType: string;
  sourceId: string;
  /** Multiplier of the rule's points, e.g. the number of correct answers. */
  quantity?: number;
  /** The day the action happened (Asia/Shanghai); default today. */
  occurredOn?: string;
}

export interface AwardResult {
  /** Points written to the ledger (0 when capped or the rule is off). */
  points: number;
  /** The source had already scored: nothing was written. */
  isDuplicate: boolean;
  /** The day's or week's cap cut the award. */
  isCapped: boolean;
}

// Two-key advisory lock class 'PT': awards of one member are serialised within a transaction, so
// two concurrent awards never both see room under the cap.
const AWARD_LOCK_CLASS = 0x5054;

/**
 * The one way points enter the ledger. Call it inside the transaction that writes the source
 * record, so the record and its points commit together. The amount comes from the rule, never
 * from the client; caps apply per member per day (and week), and a source scores only once.
 */
export async function awardPoints(tx: Tx, award: Award): Promise<AwardResult> {
  const day = award.occurredOn ?? todayInChina();
  const quantity = Math.max(0, Math.floor(award.quantity ?? 1));
  await tx.execute(sql`select pg_advisory_xact_lock(${AWARD_LOCK_CLASS}, (${award.memberId}::bigint % 2147483647)::int)`);
  const r = await tx.execute<{ points: number; wanted: number } & Record<string, unknown>>(sql`
    with ${capsOf(award.memberId, award.rule, day)}
    insert into points_ledger (member_id, org_path, rule, source_type, source_id, points, occurred_on)
    select m.id, m.org_path, ${award.rule}, ${award.sourceType}, ${award.sourceId}, ${pointsUnderCaps(quantity)}, ${day}::date
      from members m, rule, used
     where m.id = ${award.memberId}
    on conflict (rule, source_type, source_id) do nothing
    returning points, (select points * ${quantity}::int from rule) as wanted`);
  const row = r.rows[0];
  if (!row) {
    const exists = await tx.execute(sql`select 1 from points_ledger where rule = ${award.rule} and source_type = ${award.sourceType} and source_id = ${award.sourceId}`);
    return { points: 0, isDuplicate: exists.rows.length > 0, isCapped: false };
  }
  return { points: num(row.points), isDuplicate: false, isCapped: num(row.points) < num(row.wanted) };
}

/**
 * The caps of a rule for one member on one day, as two CTEs for a statement's `with`: `rule` (the
 * rule's points and caps; no row when it is disabled) and `used` (the member's points of that rule
 * on the day and in its week).
 */
export function capsOf(memberId: string, rule: PointRuleCode, day: string): SQL {
  const weekStart = weekStartOf(day);
  return sql`rule as (${ruleOf(rule)}),
    used as (${usedOf(sql`${memberId}`, rule, sql`${day}::date`, { from: sql`${weekStart}::date`, to: sql`${addDays(weekStart, 6)}::date` })})`;
}

/** The rule's points and caps; no row when it is disabled. */
export function ruleOf(rule: PointRuleCode): SQL {
  return sql`select points, daily_cap, weekly_cap from point_rules where code = ${rule} and is_enabled`;
}

/**
 * One row `(today, week)`: the member's points of a rule on `day` and in the week `from`–`to`; the
 * expressions may be columns of the statement (one row per member in a batch).
 */
export function usedOf(member: SQL, rule: PointRuleCode, day: SQL, week: { from: SQL; to: SQL }): SQL {
  return sql`select coalesce(sum(l.points) filter (where l.occurred_on = ${day}), 0)::int as today, coalesce(sum(l.points), 0)::int as week
               from points_ledger l
              where l.member_id = ${member} and l.rule = ${rule} and l.occurred_on between ${week.from} and ${week.to}`;
}

/** The points `quantity` times the rule earns under the caps of `rule` and `used`. */
export function pointsUnderCaps(quantity: number | SQL): SQL {
  return sql`greatest(0, least(rule.points * ${quantity}::int, rule.daily_cap - used.today, coalesce(rule.weekly_cap - used.week, 2147483647)))`;
}

// ---------- rules ----------

type RuleRow = { code: PointRuleCode; name: string; points: number; daily_cap: number; weekly_cap: number | null; is_enabled: boolean } & Record<string, unknown>;
const toRule = (r: RuleRow): PointRule => ({ code: r.code, name: r.name, points: num(r.points), dailyCap: num(r.daily_cap), weeklyCap: r.weekly_cap == null ? null : num(r.weekly_cap), isEnabled: r.is_enabled });

export async function listRules(db: Queryable): Promise<PointRule[]> {
  const r = await db.execute<RuleRow>(sql`select code, name, points, daily_cap, weekly_cap, is_enabled from point_rules order by sort_order, code`);
  return r.rows.map(toRule);
}

export async function updateRule(db: Db, actor: Actor, code: PointRuleCode, input: UpdatePointRule): Promise<PointRule> {
  if (!canConfigureRules(actor)) throw forbidden();
  return db.transaction(async (tx) => {
    const before = (await tx.execute<RuleRow>(sql`select code, name, points, daily_cap, weekly_cap, is_enabled from point_rules where code = ${code} for update`)).rows[0];
    if (!before) throw notFound('points.rule_not_found');
    const update = partialUpdate();
    update.set('name', input.name);
    update.set('points', input.points);
    update.set('daily_cap', input.dailyCap);
    update.set('weekly_cap', input.weeklyCap);
    update.set('is_enabled', input.isEnabled);
    if (update.isEmpty) return toRule(before);
    const after = (await tx.execute<RuleRow>(sql`update point_rules set ${update.toSql()}, updated_at = now() where code = ${code}
      returning code, name, points, daily_cap, weekly_cap, is_enabled`)).rows[0]!;
    await audit(tx, actor, { action: 'points.rule_update', targetType: 'point_rule', targetId: code, detail: { before: toRule(before), after: toRule(after) } });
    return toRule(after);
  });
}

// ---------- ledger ----------

type LedgerRow = {
  id: string; member_id: string; member_name: string; rule: string; source_type: string; source_id: string; points: N;
  occurred_on: string; created_at: Date | string; reverses_id: string | null; reversed_by_id: string | null; reason: string | null; total: N;
} & Record<string, unknown>;
const toEntry = (r: LedgerRow): LedgerEntry => ({
  id: r.id, memberId: r.member_id, memberName: r.member_name, rule: r.rule, sourceType: r.source_type, sourceId: r.source_id,
  points: num(r.points), occurredOn: r.occurred_on, createdAt: iso(r.created_at), reversesId: r.reverses_id, reversedById: r.reversed_by_id, reason: r.reason,
});

export async function getMyPoints(db: Db, actor: Actor): Promise<MyPoints> {
  const me = await requireMember(db, actor);
  const today = todayInChina();
  const week = periodOf('week', today), month = periodOf('month', today), year = periodOf('year', today);
  const r = await db.execute<{ rule: string | null; total: N; today: N; week: N; month: N; year: N } & Record<string, unknown>>(sql`
    select rule, sum(points)::int as total,
           coalesce(sum(points) filter (where occurred_on = ${today}::date), 0)::int as today,
           coalesce(sum(points) filter (where occurred_on between ${week.from}::date and ${week.to}::date), 0)::int as week,
           coalesce(sum(points) filter (where occurred_on between ${month.from}::date and ${month.to}::date), 0)::int as month,
           coalesce(sum(points) filter (where occurred_on between ${year.from}::date and ${year.to}::date), 0)::int as year
      from points_ledger where member_id = ${me.id} group by rollup (rule)`);
  const totals = r.rows.find((x) => x.rule === null);
  return {
    memberId: me.id,
    total: num(totals?.total), today: num(totals?.today), thisWeek: num(totals?.week), thisMonth: num(totals?.month), thisYear: num(totals?.year),
    byRule: r.rows.filter((x) => x.rule !== null).map((x) => ({ rule: x.rule!, points: num(x.total) })).sort((a, b) => b.points - a.points),
  };
}

export async function listLedger(db: Db, actor: Actor, query: LedgerQuery): Promise<LedgerPage> {
  const conditions: SQL[] = [];
  if (query.memberId) {
    const member = await loadMemberContext(db, query.memberId);
    if (!member || !canViewLedgerOf(actor, member)) throw notFound('points.member_not_found');
    conditions.push(sql`l.member_id = ${member.id}`);
  } else if (actor.memberId) {
    conditions.push(sql`l.member_id = ${actor.memberId}`);
  } else {
    conditions.push(ledgerInScope(actor));
  }
  if (query.rule) conditions.push(sql`l.rule = ${query.rule}`);
  if (query.from) conditions.push(sql`l.occurred_on >= ${query.from}::date`);
  if (query.to) conditions.push(sql`l.occurred_on <= ${query.to}::date`);
  if (query.from && query.to && query.to < query.from) throw invalidField('to', 'points.to_before_from');
  const r = await db.execute<LedgerRow>(sql`
    select l.id::text, l.member_id::text, m.name as member_name, l.rule, l.source_type, l.source_id, l.points, l.occurred_on::text, l.created_at,
           l.reverses_id::text, rv.id::text as reversed_by_id, l.reason, count(*) over () as total
      from points_ledger l join members m on m.id = l.member_id
      left join points_ledger rv on rv.reverses_id = l.id
     where ${sql.join(conditions, sql` and `)}
     order by l.id desc ${pageLimit(query)}`);
  return { items: r.rows.map(toEntry), total: num(r.rows[0]?.total), page: query.page, pageSize: query.pageSize };
}

/** An admin's correction: a new entry that cancels one award, with a reason, audited. Never an edit. */
export async function reverseEntry(db: Db, actor: Actor, id: string, input: ReverseEntry): Promise<LedgerEntry> {
  const newId = await db.transaction(async (tx) => {
    // who may reverse it: an administrator of the member's current place (the entry's path is history)
    const entry = (await tx.execute<{ id: string; member_id: string; org_path: string; member_path: string; rule: string; points: N; occurred_on: string } & Record<string, unknown>>(sql`
      select l.id::text, l.member_id::text, l.org_path::text, m.org_path::text as member_path, l.rule, l.points, l.occurred_on::text
        from points_ledger l join members m on m.id = l.member_id where l.id = ${id}`)).rows[0];
    if (!entry || !canReverseEntry(actor, { orgPath: entry.member_path })) throw notFound('points.entry_not_found');
    if (entry.rule === 'adjustment') throw conflict('points.cannot_reverse_adjustment');
    await tx.execute(sql`select pg_advisory_xact_lock(${AWARD_LOCK_CLASS}, (${entry.member_id}::bigint % 2147483647)::int)`);
    // dated like the entry it cancels, so the period's leaderboard is corrected
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into points_ledger (member_id, org_path, rule, source_type, source_id, points, occurred_on, reverses_id, reason, actor_user_id)
      values (${entry.member_id}, ${entry.org_path}::ltree, 'adjustment', 'points_ledger', ${entry.id}, ${-num(entry.points)}, ${entry.occurred_on}::date,
              ${entry.id}, ${input.reason}, ${actor.userId})
      on conflict (rule, source_type, source_id) do nothing returning id::text`);
    const created = inserted.rows[0];
    if (!created) throw conflict('points.already_reversed');
    await audit(tx, actor, { action: 'points.reverse', targetType: 'points_ledger', targetId: entry.id, orgPath: entry.org_path,
      detail: { memberId: entry.member_id, rule: entry.rule, points: num(entry.points), reason: input.reason, reversalId: created.id } });
    return created.id;
  });
  const r = await db.execute<LedgerRow>(sql`
    select l.id::text, l.member_id::text, m.name as member_name, l.rule, l.source_type, l.source_id, l.points, l.occurred_on::text, l.created_at,
           l.reverses_id::text, null::text as reversed_by_id, l.reason, 1 as total
      from points_ledger l join members m on m.id = l.member_id where l.id = ${newId}`);
  return toEntry(r.rows[0]!);
}

/**
 * Reverses every award whose source is one of `sourceIds` (a subquery of text ids) of `sourceType`,
 * e.g. the attempts of a cancelled exam: one adjustment per award, dated like it (so each period's
 * totals drop back), in the caller's transaction. An award already reversed is skipped (the ledger's
 * unique key), so calling it twice reverses nothing twice. Zero-point (capped) awards need no reversal.
 */
export async function reverseAwardsOf(tx: Tx, actor: Actor, source: { sourceType: string; sourceIds: SQL; reason: string }): Promise<{ entries: number; points: number }> {
  const r = await tx.execute<{ points: N } & Record<string, unknown>>(sql`
    insert into points_ledger (member_id, org_path, rule, source_type, source_id, points, occurred_on, reverses_id, reason, actor_user_id)
    select l.member_id, l.org_path, 'adjustment', 'points_ledger', l.id::text, -l.points, l.occurred_on, l.id, ${source.reason}, ${actor.userId}
      from points_ledger l
     where l.source_type = ${source.sourceType} and l.source_id in (${source.sourceIds}) and l.rule <> 'adjustment' and l.points <> 0
     order by l.member_id, l.id
    on conflict (rule, source_type, source_id) do nothing
    returning points`);
  return { entries: r.rows.length, points: -r.rows.reduce((sum, x) => sum + num(x.points), 0) };
}

// ---------- leaderboards ----------

/**
 * A week's board and the org it ranks are kept in this process under the version numbers of what they read
 * (platform/epochs.ts): the entries of points_week_ranks (a write to them, or to the points totals they are kept
 * from, bumps 'points'), the members' and orgs' names and paths. A district's board opened again and again costs
 * one query of the numbers while no points, member or org has changed; during a quiz's busy minutes the numbers
 * move with every submission and the statements run as before. What belongs to one member (their branch, their
 * own rank) is read each time, as prepared statements: kept, every member's reads would push the shared pages out
 * of the process's bounded store (KEPT_STATEMENTS).
 */
const WEEK_BOARD_SOURCES: readonly EpochSource[] = ['points', 'members', 'orgs'];

/** Runs a read-only statement, kept under the numbers when they were read (a week's board), else each time. */
type BoardRead = <T extends Record<string, unknown>>(query: SQL) => Promise<T[]>;
const readerOf = (db: Db, epochs: Epochs | null, sources: readonly EpochSource[]): BoardRead =>
  epochs
    ? (query) => rowsKeptUnder(db, epochOf(epochs, sources), query)
    : async <T extends Record<string, unknown>>(query: SQL) => (await db.execute<T>(query)).rows;

/**
 * The org whose subtree a board ranks: admins any org they administer; members their own branch (or part of it).
 * Without one asked for: the member's branch, else the viewer's top org. Null when there is none to rank under
 * (a site whose tree is still empty): that board is empty, not an error.
 */
async function boardScope(db: Db, actor: Actor, orgId: string | undefined, epochs: Epochs | null): Promise<{ id: string; path: string } | null> {
  const read = readerOf(db, epochs, ['orgs']);
  const member = actor.memberId ? await loadMemberContext(db, actor.memberId) : null;
  if (orgId) {
    const org = (await read<{ id: string; path: string }>(sql`select id::text, path::text from orgs where id = ${orgId}`))[0];
    if (!org || !canViewBoardOf(actor, org, member)) throw notFound('points.org_not_found');
    return org;
  }
  if (member) return { id: member.branchId, path: member.branchPath };
  const root = actor.isPlatformAdmin
    ? (await read<{ id: string; path: string }>(sql`select id::text, path::text from orgs where parent_id is null order by id limit 1`))[0]
    : actor.adminPaths[0] ? { path: actor.adminPaths[0], id: actor.adminPaths[0].split('.').pop()! } : undefined;
  return root ?? null;
}

type MemberRankRow = { member_id: string; name: string; org_name: string; points: N; rank: N | null } & Record<string, unknown>;

/** The totals of a period on the scope's range (migration 20261124110000): the members of the subtree with points. */
const scopeTotals = (period: string, from: string, scopePath: string) => sql`
  select t.member_id, t.points from points_totals t
   where t.period = ${period} and t.period_start = ${from}::date and ${inSubtreeByKey(sql`t.path`, scopePath)} and t.points > 0`;

/** A week's board of an org: its entries with points (migration 20261206100300), one btree range in rank order. */
const weekEntries = (weekStart: string, orgId: string) => sql`
  points_week_ranks b where b.week_start = ${weekStart}::date and b.org_id = ${orgId} and b.points > 0`;

/**
 * rank() gives equal points the same rank; paging orders by (points desc, member id) so pages never
 * overlap. Only members who earned points in the period are ranked, from the period's totals on the
 * scope's range: a member with none has no rank (not a shared last place), and a period nobody earned
 * points in is an empty board, not every member tied first. The board's length is the ranked count.
 */
export async function memberLeaderboard(db: Db, actor: Actor, query: LeaderboardQuery): Promise<MemberLeaderboard> {
  // read before anything they number: a week's board is kept under them (WEEK_BOARD_SOURCES)
  const epochs = query.period === 'week' ? await readEpochs(db) : null;
  const scope = await boardScope(db, actor, query.orgId, epochs);
  const { from, to } = periodOf(query.period, query.date ?? todayInChina());
  const { rows, total, mine }: BoardPage = !scope ? { rows: [], total: 0, mine: undefined }
    : query.period === 'week' ? await weekBoard(db, readerOf(db, epochs, WEEK_BOARD_SOURCES), actor, query, scope, from)
      : await periodBoard(db, actor, query, scope, from);
  const toRank = (r: MemberRankRow) => ({ rank: num(r.rank), memberId: r.member_id, memberName: r.name, orgName: r.org_name, points: num(r.points) });
  return {
    // a week's board counts up to the cap (weekBoard); a month's or year's count is exact
    items: rows.map(toRank), ...(query.period === 'week' ? { total: Math.min(total, LEADERBOARD_COUNT_CAP), isTotalCapped: total > LEADERBOARD_COUNT_CAP } : { total }),
    page: query.page, pageSize: query.pageSize, from, to, orgId: scope?.id ?? null,
    me: mine ? { ...toRank(mine), rank: mine.rank === null ? null : num(mine.rank) } : null,
  };
}

interface BoardPage { rows: MemberRankRow[]; total: number; mine: MemberRankRow | undefined }

/**
 * A week, from the board's index: the page is read in rank order and stops after it. A rank is one
 * plus the entries above it: counted on the index for the page's first points (the rows before the
 * page may share them), and for the page's lower points it is the offset plus the rank inside the page.
 * The board's length is counted up to the cap: a district ranks ~12,000 members, and counting them
 * all cost more than the rest of the request.
 */
async function weekBoard(db: Db, read: BoardRead, actor: Actor, query: LeaderboardQuery, scope: { id: string; path: string }, weekStart: string): Promise<BoardPage> {
  const offset = (query.page - 1) * query.pageSize;
  const page = await read<MemberRankRow & { total: N }>(sql`
    with page as (select b.member_id, b.points from ${weekEntries(weekStart, scope.id)} order by b.points desc, b.member_id ${pageLimit(query)}),
         top as (select max(p.points) as points from page p),
         above as (select count(*) as n from ${weekEntries(weekStart, scope.id)} and b.points > (select top.points from top))
    select p.member_id::text, m.name, o.name as org_name, p.points,
           case when p.points = top.points then 1 + above.n else ${offset}::int + rank() over (order by p.points desc) end as rank,
           (select count(*) from (select 1 from ${weekEntries(weekStart, scope.id)} limit ${LEADERBOARD_COUNT_CAP + 1}) capped) as total
      from page p cross join top cross join above join members m on m.id = p.member_id join orgs o on o.id = m.org_id
     order by p.points desc, p.member_id`);
  const total = page[0]?.total ?? (await read<{ n: N }>(
    sql`select count(*) as n from (select 1 from ${weekEntries(weekStart, scope.id)} limit ${LEADERBOARD_COUNT_CAP + 1}) capped`))[0]?.n;
  let mine: MemberRankRow | undefined;
  if (actor.memberId) {
    mine = (await executePrepared<MemberRankRow>(db, sql`
      select m.id::text as member_id, m.name, o.name as org_name, coalesce(mine.points, 0) as points,
             case when mine.points is null then null else 1 + (select count(*) from ${weekEntries(weekStart, scope.id)} and b.points > mine.points) end as rank
        from members m join orgs o on o.id = m.org_id
        left join points_week_ranks mine on mine.week_start = ${weekStart}::date and mine.org_id = ${scope.id} and mine.member_id = m.id and mine.points > 0
       where m.id = ${actor.memberId} and m.org_path <@ ${scope.path}::ltree and m.left_at is null`))[0];
  }
  return { rows: page, total: num(total), mine };
}

/** A month or a year: the period's totals on the scope's range, ranked. */
async function periodBoard(db: Db, actor: Actor, query: LeaderboardQuery, scope: { id: string; path: string }, from: string): Promise<BoardPage> {
  const page = await db.execute<MemberRankRow & { total: N }>(sql`
    with board as materialized (${scopeTotals(query.period, from, scope.path)}),
         ranked as (select b.member_id, b.points, rank() over (order by b.points desc) as rank, count(*) over () as total from board b
                     order by b.points desc, b.member_id ${pageLimit(query)})
    select r.member_id::text, m.name, o.name as org_name, r.points, r.rank, r.total
      from ranked r join members m on m.id = r.member_id join orgs o on o.id = m.org_id
     order by r.points desc, r.member_id`);
  let mine: MemberRankRow | undefined;
  if (actor.memberId) {
    mine = (await executePrepared<MemberRankRow>(db, sql`
      with board as materialized (${scopeTotals(query.period, from, scope.path)})
      select m.id::text as member_id, m.name, o.name as org_name, coalesce(b.points, 0) as points,
             case when b.points is null then null else 1 + (select count(*) from board x where x.points > b.points) end as rank
        from members m join orgs o on o.id = m.org_id left join board b on b.member_id = m.id
       where m.id = ${actor.memberId} and m.org_path <@ ${scope.path}::ltree and m.left_at is null`))[0];
  }
  const total = page.rows[0]?.total ?? (page.rows.length === 0 && query.page > 1
    ? (await db.execute<{ n: N } & Record<string, unknown>>(sql`select count(*) as n from (${scopeTotals(query.period, from, scope.path)}) b`)).rows[0]?.n
    : 0);
  return { rows: page.rows, total: num(total), mine };
}

type OrgRankRow = { id: string; name: string; member_count: N; total_points: N; average: N; rank: N; total: N } & Record<string, unknown>;

/** Orgs directly under the scope org with points in the period, ranked by points per member over each one's whole subtree. */
export async function orgLeaderboard(db: Db, actor: Actor, query: LeaderboardQuery): Promise<OrgLeaderboard> {
  const scope = await boardScope(db, actor, query.orgId, null);
  const { from, to } = periodOf(query.period, query.date ?? todayInChina());
  if (!scope) return { items: [], total: 0, page: query.page, pageSize: query.pageSize, from, to, orgId: null };
  const r = await db.execute<OrgRankRow>(sql`
    with children as (select o.id, o.name, o.path from orgs o where o.parent_id = ${scope.id} and o.dissolved_at is null),
         stats as (
           select c.id, c.name,
                  coalesce((select k.subtree_members from org_member_counts k where k.org_id = c.id), 0) as member_count,
                  (select coalesce(sum(t.points), 0) from points_totals t
                    where t.period = ${query.period} and t.period_start = ${from}::date
                      and t.path >= c.path::text || '.' and t.path < c.path::text || '/')::int as total_points
             from children c),
         ranked as (
           -- an org whose members earned nothing in the period is not ranked (not tied first with every other)
           select s.*, case when s.member_count = 0 then 0 else round(s.total_points::numeric / s.member_count, 2) end as average
             from stats s where s.total_points > 0)
    select id::text, name, member_count, total_points, average, rank() over (order by average desc) as rank, count(*) over () as total
      from ranked order by average desc, id ${pageLimit(query)}`);
  return {
    items: r.rows.map((x) => ({ rank: num(x.rank), orgId: x.id, orgName: x.name, memberCount: num(x.member_count), totalPoints: num(x.total_points), averagePoints: Number(x.average) })),
    total: num(r.rows[0]?.total), page: query.page, pageSize: query.pageSize, from, to, orgId: scope.id,
  };
}
