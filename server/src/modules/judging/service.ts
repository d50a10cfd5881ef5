import { sql, type SQL } from 'drizzle-orm';
import {
  DEFAULT_TIE_BREAK, RubricCriterionSchema, TRIM_FROM_JUDGES,
  type DraftScore, type JudgeEntry, type JudgeEntryDetail, type JudgeEntryPage, type JudgeEntriesQuery, type JudgePanel, type JudgeTotal,
  type JudgingTaskPage, type PanelJudge, type PanelResult, type PanelResults, type PanelState, type RubricCriterion, type TieBreakRule,
} from '../../../../contracts/judging.js';
import type { PageRequest } from '../../platform/sql.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { enabledUsers, judgeHomePaths } from '../users/judge-home.js';
import { canCreatePanel, canReadPanelResults, isConflicted, judgesPanel, notConflicted } from './policy.js';

export type { PanelResult, RubricCriterion, TieBreakRule } from '../../../../contracts/judging.js';

/**
 * The judging engine other modules call inside their own transactions (擂台赛, 述职评议, 星级评审…):
 * they keep their record and the panel's id; judges score through this module's routes.
 */
export interface CreatePanelInput {
  ownerModule: string;
  /** the owning record's id (for the judge's task list link) */
  ownerRef: string;
  title: string;
  /** organizing org: its administrators (and those above) read the results */
  orgId: string;
  /** weights sum to 1 or to 100 (or anything: the engine normalises by their sum) */
  criteria: RubricCriterion[];
  /** entrants' names and orgs hidden from judges, who see 作品 1, 2… */
  blind: boolean;
  /** users holding the judge role, or any user when the owner allows */
  judgeUserIds: string[];
  opensAt?: string | null;
  closesAt?: string | null;
  /** the declared tie-break order; 'earlier_entry' always ends it. Default: DEFAULT_TIE_BREAK */
  tieBreak?: TieBreakRule[];
}
/** ref = the owner's entry id; summary = what judges read about it (kept anonymous by the owner on a blind panel) */
export interface PanelEntryInput { ref: string; orgId: string; title: string; summary?: string | null }

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const num = (v: unknown) => (v == null ? null : Number(v));
const ID = /^[1-9]\d{0,17}$/;
const MAX_CRITERIA = 20;
const MAX_ENTRIES = 1000;

interface PanelRow extends Row {
  id: string; org_id: string; org_path: string; org_name: string; owner_module: string; owner_ref: string; title: string;
  criteria: RubricCriterion[] | string; blind: boolean; tie_break: TieBreakRule[] | string; opens_at: Time; closes_at: Time; closed_at: Time; state: PanelState;
}

const stateOf = sql`case when p.closed_at is not null or p.closes_at <= now() then 'closed' when p.opens_at > now() then 'upcoming' else 'open' end`;
const panelColumns = sql`p.id::text, p.org_id::text, p.org_path::text, o.name as org_name, p.owner_module, p.owner_ref, p.title, p.criteria, p.blind,
  p.tie_break, p.opens_at, p.closes_at, p.closed_at, ${stateOf} as state`;

const criteriaOf = (row: PanelRow): RubricCriterion[] => (typeof row.criteria === 'string' ? JSON.parse(row.criteria) as RubricCriterion[] : row.criteria);
/** node-postgres answers text[] as an array; PGlite may answer its literal */
const tieBreakOf = (row: PanelRow): TieBreakRule[] =>
  (Array.isArray(row.tie_break) ? row.tie_break : String(row.tie_break).replace(/[{}]/g, '').split(',').filter(Boolean)) as TieBreakRule[];

async function loadPanel(q: Queryable, panelId: string, lock = false): Promise<PanelRow | undefined> {
  if (!ID.test(panelId)) return undefined;
  return (await q.execute<PanelRow>(sql`select ${panelColumns} from judging_panels p join orgs o on o.id = p.org_id
    where p.id = ${panelId} ${lock ? sql`for update of p` : sql``}`)).rows[0];
}

/** A panel the actor administers (through its org), for the owner's writes and the results. */
async function managedPanel(q: Queryable, actor: Actor, panelId: string, lock = false): Promise<PanelRow> {
  const panel = await loadPanel(q, panelId, lock);
  if (!panel || !canReadPanelResults(actor, { orgPath: panel.org_path })) throw notFound('judging.panel_not_found');
  return panel;
}

function checkCriteria(criteria: RubricCriterion[]): RubricCriterion[] {
  if (!Array.isArray(criteria) || criteria.length === 0) throw invalidField('criteria', 'judging.criteria_required');
  if (criteria.length > MAX_CRITERIA) throw invalidField('criteria', 'field.too_many', { max: MAX_CRITERIA });
  const seen = new Set<string>();
  return criteria.map((c, i) => {
    const parsed = RubricCriterionSchema.safeParse(c);
    if (!parsed.success) throw invalidField(`criteria.${i}.${String(parsed.error.issues[0]?.path[0] ?? 'key')}`, 'judging.criterion_invalid');
    if (seen.has(parsed.data.key)) throw invalidField(`criteria.${i}.key`, 'judging.criterion_duplicate');
    seen.add(parsed.data.key);
    return parsed.data;
  });
}

function checkTieBreak(rules: TieBreakRule[] | undefined): TieBreakRule[] {
  const chosen = [...new Set(rules ?? DEFAULT_TIE_BREAK)].filter((r) => DEFAULT_TIE_BREAK.includes(r) && r !== 'earlier_entry');
  return [...chosen, 'earlier_entry'];
}

async function checkJudges(q: Queryable, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.some((id) => !ID.test(id))) throw invalidField('judgeUserIds', 'judging.judge_not_found');
  const found = await enabledUsers(q, unique);
  if (found.size !== unique.length) throw invalidField('judgeUserIds', 'judging.judge_not_found');
  return unique;
}

export async function createPanel(tx: Tx, actor: Actor, input: CreatePanelInput): Promise<{ panelId: string }> {
  const title = input.title?.trim() ?? '';
  if (!title || title.length > 200) throw invalidField('title', 'judging.title_required');
  const criteria = checkCriteria(input.criteria);
  if (!ID.test(input.orgId)) throw invalidField('orgId', 'org.not_found');
  const org = (await tx.execute<{ path: string } & Row>(sql`select path::text from orgs where id = ${input.orgId} and dissolved_at is null for share`)).rows[0];
  if (!org || !canCreatePanel(actor, org)) throw invalidField('orgId', 'org.not_found');
  const opensAt = input.opensAt ? new Date(input.opensAt) : null;
  const closesAt = input.closesAt ? new Date(input.closesAt) : null;
  if (opensAt && Number.isNaN(opensAt.getTime())) throw invalidField('opensAt', 'field.datetime');
  if (closesAt && Number.isNaN(closesAt.getTime())) throw invalidField('closesAt', 'field.datetime');
  if (opensAt && closesAt && closesAt <= opensAt) throw invalidField('closesAt', 'judging.closes_before_opens');
  const judges = await checkJudges(tx, input.judgeUserIds ?? []);
  const tieBreak = checkTieBreak(input.tieBreak);
  const panel = (await tx.execute<{ id: string } & Row>(sql`
    insert into judging_panels (org_id, org_path, owner_module, owner_ref, title, criteria, blind, tie_break, opens_at, closes_at, created_by)
    values (${input.orgId}, ${org.path}::ltree, ${input.ownerModule}, ${input.ownerRef}, ${title}, ${JSON.stringify(criteria)}::jsonb, ${input.blind},
            ${textArray(tieBreak)}::text[], ${opensAt}, ${closesAt}, ${actor.userId})
    returning id::text`)).rows[0]!;
  if (judges.length) {
    await tx.execute(sql`insert into judging_panel_judges (panel_id, user_id) select ${panel.id}, unnest(${textArray(judges)}::bigint[])`);
  }
  await audit(tx, actor, {
    action: 'judging.create_panel', targetType: 'judging_panel', targetId: panel.id, orgPath: org.path,
    detail: { title, ownerModule: input.ownerModule, ownerRef: input.ownerRef, blind: input.blind, judges: judges.length, criteria: criteria.length },
  });
  return { panelId: panel.id };
}

export async function addPanelEntries(tx: Tx, actor: Actor, panelId: string, entries: PanelEntryInput[]): Promise<{ entryId: string; ref: string }[]> {
  const panel = await managedPanel(tx, actor, panelId, true);
  if (panel.closed_at) throw conflict('judging.panel_closed');
  if (!entries.length) return [];
  if (entries.length > MAX_ENTRIES) throw invalidField('entries', 'field.too_many', { max: MAX_ENTRIES });
  const refs = new Set<string>();
  entries.forEach((e, i) => {
    if (!e.ref || e.ref.length > 100 || refs.has(e.ref)) throw invalidField(`entries.${i}.ref`, 'judging.entry_duplicate');
    refs.add(e.ref);
    if (!e.title?.trim() || e.title.trim().length > 200) throw invalidField(`entries.${i}.title`, 'judging.title_required');
    if (!ID.test(e.orgId)) throw invalidField(`entries.${i}.orgId`, 'judging.entry_org_outside');
  });
  const orgIds = [...new Set(entries.map((e) => e.orgId))];
  const orgs = await tx.execute<{ id: string; path: string } & Row>(sql`select id::text, path::text from orgs
    where id = any(${textArray(orgIds)}::bigint[]) and dissolved_at is null and path <@ ${panel.org_path}::ltree for share`);
  const pathOf = new Map(orgs.rows.map((o) => [o.id, o.path]));
  entries.forEach((e, i) => { if (!pathOf.has(e.orgId)) throw invalidField(`entries.${i}.orgId`, 'judging.entry_org_outside'); });
  const taken = await tx.execute<{ ref: string } & Row>(sql`select ref from judging_entries where panel_id = ${panelId} and ref = any(${textArray([...refs])}::text[])`);
  if (taken.rows.length) throw invalidField(`entries.${entries.findIndex((e) => e.ref === taken.rows[0]!.ref)}.ref`, 'judging.entry_duplicate');
  // 作品 N: numbered after the panel's existing entries, in an order shuffled by a hash of the ref (stable, not the entry order)
  const rows = await tx.execute<{ id: string; ref: string } & Row>(sql`
    insert into judging_entries (panel_id, ref, org_id, org_path, title, summary, blind_label)
    select ${panelId}, t.ref, t.org_id, t.org_path::ltree, t.title, nullif(t.summary_text, ''),
           (select coalesce(max(blind_label), 0) from judging_entries where panel_id = ${panelId}) + row_number() over (order by md5(${panelId} || ':' || t.ref), t.ref)
      from unnest(${textArray(entries.map((e) => e.ref))}::text[], ${textArray(entries.map((e) => e.orgId))}::bigint[],
                  ${textArray(entries.map((e) => pathOf.get(e.orgId)!))}::text[], ${textArray(entries.map((e) => e.title.trim()))}::text[],
                  ${textArray(entries.map((e) => e.summary?.trim() ?? ''))}::text[]) t (ref, org_id, org_path, title, summary_text)
    returning id::text, ref`);
  await audit(tx, actor, { action: 'judging.add_entries', targetType: 'judging_panel', targetId: panelId, orgPath: panel.org_path, detail: { title: panel.title, entries: rows.rows.length } });
  const idOf = new Map(rows.rows.map((r) => [r.ref, r.id]));
  return entries.map((e) => ({ entryId: idOf.get(e.ref)!, ref: e.ref }));
}

/** Replaces the panel's judges; a judge who has submitted scores stays (their scores stand). */
export async function setPanelJudges(tx: Tx, actor: Actor, panelId: string, judgeUserIds: string[]): Promise<void> {
  const panel = await managedPanel(tx, actor, panelId, true);
  if (panel.closed_at) throw conflict('judging.panel_closed');
  const judges = await checkJudges(tx, judgeUserIds);
  const scored = await tx.execute<{ judge_id: string } & Row>(sql`select distinct s.judge_id::text from judging_scores s join judging_entries e on e.id = s.entry_id
    where e.panel_id = ${panelId} and s.locked and not (s.judge_id = any(${textArray(judges)}::bigint[]))`);
  if (scored.rows.length) throw invalidField('judgeUserIds', 'judging.judge_has_scores');
  const removed = await tx.execute<{ user_id: string } & Row>(sql`delete from judging_panel_judges where panel_id = ${panelId}
    and not (user_id = any(${textArray(judges)}::bigint[])) returning user_id::text`);
  if (removed.rows.length) {
    await tx.execute(sql`delete from judging_scores s using judging_entries e where e.id = s.entry_id and e.panel_id = ${panelId}
      and s.judge_id = any(${textArray(removed.rows.map((r) => r.user_id))}::bigint[]) and not s.locked`);
  }
  const added = judges.length ? await tx.execute(sql`insert into judging_panel_judges (panel_id, user_id)
    select ${panelId}, unnest(${textArray(judges)}::bigint[]) on conflict do nothing returning user_id`) : { rows: [] };
  await audit(tx, actor, {
    action: 'judging.set_judges', targetType: 'judging_panel', targetId: panelId, orgPath: panel.org_path,
    detail: { title: panel.title, judges: judges.length, added: added.rows.length, removed: removed.rows.length },
  });
}

/** No more scores; the results are final (drafts never count). */
export async function closePanel(tx: Tx, actor: Actor, panelId: string): Promise<void> {
  const panel = await managedPanel(tx, actor, panelId, true);
  if (panel.closed_at) throw conflict('judging.panel_closed');
  await tx.execute(sql`update judging_panels set closed_at = now() where id = ${panelId}`);
  await audit(tx, actor, { action: 'judging.close_panel', targetType: 'judging_panel', targetId: panelId, orgPath: panel.org_path, detail: { title: panel.title } });
}

// ---------- results ----------

/** The order of the declared tie-break rules, after the score. */
const tieBreakOrder: Record<TieBreakRule, SQL> = {
  top_criterion: sql`r.top_mean desc nulls last`,
  more_judges: sql`r.judge_count desc`,
  earlier_entry: sql`r.id asc`,
};

/**
 * Each entry's score: the mean of its judges' submitted totals (each rounded to hundredths), the
 * highest and the lowest dropped when TRIM_FROM_JUDGES or more judges submitted; per criterion the
 * mean over the same judges. Ranked by the score rounded to hundredths, then the panel's tie-break
 * rules; `tieBreak` names the rule that placed an entry below one with the same score.
 * Drafts never count. The owner module reads this once the panel is closed.
 */
export async function panelResults(q: Queryable, panelId: string): Promise<PanelResult[]> {
  const panel = await loadPanel(q, panelId);
  if (!panel) throw notFound('judging.panel_not_found');
  const criteria = criteriaOf(panel);
  const rules = tieBreakOf(panel);
  const weightSum = criteria.reduce((s, c) => s + c.weight, 0);
  const top = [...criteria].sort((a, b) => b.weight - a.weight)[0]!;
  const rows = await q.execute<{
    id: string; ref: string; org_id: string; org_name: string; title: string; blind_label: number; score: string | null; judge_count: number;
    means: Record<string, string | number | null> | string | null; top_mean: string | null; rank: string | null;
  } & Row>(sql`
    with s as (${countedScores(panelId)}),
    totals as (select entry_id, round(avg(total), 2) as score from s where counted group by entry_id),
    crit as (
      select s.entry_id, k.key, round(avg((s.scores ->> k.key)::numeric), 2) as mean
        from s cross join unnest(${textArray(criteria.map((c) => c.key))}::text[]) k (key)
       where s.counted group by s.entry_id, k.key
    ),
    agg as (select t.entry_id, t.score, (select jsonb_object_agg(c.key, c.mean) from crit c where c.entry_id = t.entry_id) as means from totals t),
    r as (
      select e.id, e.ref, e.org_id, o.name as org_name, e.title, e.blind_label, a.score, a.means, (a.means ->> ${top.key})::numeric as top_mean,
             coalesce((select max(n) from s where s.entry_id = e.id), 0)::int as judge_count
        from judging_entries e join orgs o on o.id = e.org_id left join agg a on a.entry_id = e.id
       where e.panel_id = ${panelId}
    )
    select r.id::text, r.ref, r.org_id::text, r.org_name, r.title, r.blind_label, r.score::text, r.judge_count, r.means, r.top_mean::text,
           case when r.score is null then null else row_number() over (order by r.score desc nulls last, ${sql.join(rules.map((rule) => tieBreakOrder[rule]), sql`, `)}) end as rank
      from r
     order by rank nulls last, r.blind_label`);
  const results: PanelResult[] = rows.rows.map((r) => {
    const means = (typeof r.means === 'string' ? JSON.parse(r.means) : r.means ?? {}) as Record<string, string | number | null>;
    const trimmed = r.judge_count >= TRIM_FROM_JUDGES;
    return {
      entryId: r.id, ref: r.ref, orgId: r.org_id, orgName: r.org_name, title: r.title, blindLabel: Number(r.blind_label),
      score: num(r.score), rank: num(r.rank), judgeCount: Number(r.judge_count), trimmed, tieBreak: null,
      perCriterion: criteria.map((c) => ({ key: c.key, name: c.name, weight: c.weight / weightSum, maxScore: c.maxScore, mean: num(means[c.key]), trimmed })),
    };
  });
  // the rule that told an entry from the one above it with the same score
  const topMean = new Map(rows.rows.map((r) => [r.id, r.top_mean]));
  for (let i = 1; i < results.length; i++) {
    const above = results[i - 1]!, here = results[i]!;
    if (here.score === null || above.score !== here.score) continue;
    here.tieBreak = rules.find((rule) => rule === 'earlier_entry'
      || (rule === 'top_criterion' && topMean.get(above.entryId) !== topMean.get(here.entryId))
      || (rule === 'more_judges' && above.judgeCount !== here.judgeCount)) ?? 'earlier_entry';
  }
  return results;
}

/**
 * The submitted scores of a panel's entries, each marked as counted or dropped: with n ≥ 5 totals on
 * an entry, the highest (`hi` = 1) and the lowest (`lo` = 1) are dropped — two different rows, the
 * orders being exact reverses of each other.
 */
function countedScores(panelId: string): SQL {
  return sql`
    select x.*, (x.n < ${TRIM_FROM_JUDGES} or (x.hi > 1 and x.lo > 1)) as counted from (
      select sc.entry_id, sc.judge_id, sc.total, sc.scores, sc.comment, sc.submitted_at,
             row_number() over (partition by sc.entry_id order by sc.total desc, sc.judge_id asc) as hi,
             row_number() over (partition by sc.entry_id order by sc.total asc, sc.judge_id desc) as lo,
             count(*) over (partition by sc.entry_id) as n
        from judging_scores sc join judging_entries e on e.id = sc.entry_id
       where e.panel_id = ${panelId} and sc.locked
    ) x`;
}

/** The results with every judge's totals and progress, for the panel org's administrators. */
export async function getPanelResults(db: Queryable, actor: Actor, panelId: string): Promise<PanelResults> {
  const panel = await managedPanel(db, actor, panelId);
  const [results, totals, judges, entries] = await Promise.all([
    panelResults(db, panelId),
    db.execute<{ entry_id: string; judge_id: string; judge_name: string; total: string; scores: Record<string, unknown> | string; comment: string | null;
      submitted_at: Time; n: number; hi: number; lo: number } & Row>(sql`
      with s as (${countedScores(panelId)})
      select s.entry_id::text, s.judge_id::text, u.display_name as judge_name, s.total::text, s.scores, s.comment, s.submitted_at, s.n::int, s.hi::int, s.lo::int
        from s join users u on u.id = s.judge_id order by s.entry_id, s.total desc, s.judge_id`),
    db.execute<{ user_id: string; name: string; submitted: number } & Row>(sql`
      select j.user_id::text, u.display_name as name,
             (select count(*)::int from judging_scores sc join judging_entries e on e.id = sc.entry_id where e.panel_id = j.panel_id and sc.judge_id = j.user_id and sc.locked) as submitted
        from judging_panel_judges j join users u on u.id = j.user_id where j.panel_id = ${panelId} order by u.display_name, j.user_id`),
    db.execute<{ org_path: string } & Row>(sql`select org_path::text from judging_entries where panel_id = ${panelId}`),
  ]);
  const homes = await judgeHomePaths(db, judges.rows.map((j) => j.user_id));
  const panelJudges: PanelJudge[] = judges.rows.map((j) => ({
    userId: j.user_id, name: j.name, submitted: Number(j.submitted),
    entries: entries.rows.filter((e) => !isConflicted(homes.get(j.user_id) ?? [], e.org_path)).length,
  }));
  const judgeTotals: JudgeTotal[] = totals.rows.map((t) => ({
    entryId: t.entry_id, judgeId: t.judge_id, judgeName: t.judge_name, total: Number(t.total),
    scores: Object.fromEntries(Object.entries(typeof t.scores === 'string' ? JSON.parse(t.scores) as Record<string, unknown> : t.scores).map(([k, v]) => [k, Number(v)])),
    comment: t.comment, submittedAt: iso(t.submitted_at)!,
    dropped: t.n >= TRIM_FROM_JUDGES ? (t.hi === 1 ? 'high' : t.lo === 1 ? 'low' : null) : null,
  }));
  return {
    panel: {
      id: panel.id, title: panel.title, orgId: panel.org_id, orgName: panel.org_name, ownerModule: panel.owner_module, ownerRef: panel.owner_ref,
      blind: panel.blind, state: panel.state, criteria: criteriaOf(panel), tieBreak: tieBreakOf(panel),
      opensAt: iso(panel.opens_at), closesAt: iso(panel.closes_at), closedAt: iso(panel.closed_at),
    },
    results, judges: panelJudges, totals: judgeTotals,
  };
}

// ---------- the judge ----------

async function homePathsOf(q: Queryable, actor: Actor): Promise<string[]> {
  return (await judgeHomePaths(q, [actor.userId])).get(actor.userId) ?? [];
}

export async function listMyTasks(db: Db, actor: Actor, query: PageRequest): Promise<JudgingTaskPage> {
  const homes = await homePathsOf(db, actor);
  const mine = judgesPanel(actor);
  const visible = notConflicted(homes);
  const [rows, counts] = await Promise.all([
    db.execute<{ id: string; title: string; owner_module: string; owner_ref: string; blind: boolean; state: PanelState; opens_at: Time; closes_at: Time;
      entries: number; submitted: number } & Row>(sql`
      select p.id::text, p.title, p.owner_module, p.owner_ref, p.blind, ${stateOf} as state, p.opens_at, p.closes_at,
             (select count(*)::int from judging_entries e where e.panel_id = p.id and ${visible}) as entries,
             (select count(*)::int from judging_entries e join judging_scores sc on sc.entry_id = e.id and sc.judge_id = ${actor.userId} and sc.locked
               where e.panel_id = p.id and ${visible}) as submitted
        from judging_panels p where ${mine}
       order by case ${stateOf} when 'open' then 0 when 'upcoming' then 1 else 2 end, p.closes_at nulls last, p.id desc ${pageLimit(query)}`),
    db.execute<{ n: number; to_score: number } & Row>(sql`
      select count(*)::int as n,
             coalesce(sum(case when ${stateOf} = 'open' then (select count(*) from judging_entries e where e.panel_id = p.id and ${visible}
               and not exists (select 1 from judging_scores sc where sc.entry_id = e.id and sc.judge_id = ${actor.userId} and sc.locked)) end), 0)::int as to_score
        from judging_panels p where ${mine}`),
  ]);
  return {
    items: rows.rows.map((r) => ({
      panelId: r.id, title: r.title, ownerModule: r.owner_module, ownerRef: r.owner_ref, blind: r.blind, state: r.state,
      opensAt: iso(r.opens_at), closesAt: iso(r.closes_at), entries: Number(r.entries), submitted: Number(r.submitted),
      toScore: r.state === 'open' ? Number(r.entries) - Number(r.submitted) : 0,
    })),
    total: Number(counts.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize, toScore: Number(counts.rows[0]?.to_score ?? 0),
  };
}

/** A panel the actor judges, as they see it. */
async function judgedPanel(q: Queryable, actor: Actor, panelId: string): Promise<PanelRow> {
  const panel = await loadPanel(q, panelId);
  if (!panel) throw notFound('judging.panel_not_found');
  const onPanel = await q.execute(sql`select 1 from judging_panel_judges where panel_id = ${panelId} and user_id = ${actor.userId}`);
  if (!onPanel.rows.length) throw notFound('judging.panel_not_found');
  return panel;
}

const toJudgePanel = (p: PanelRow): JudgePanel => ({
  id: p.id, title: p.title, blind: p.blind, state: p.state, opensAt: iso(p.opens_at), closesAt: iso(p.closes_at), criteria: criteriaOf(p),
});

type EntryRow = { id: string; panel_id: string; blind_label: number; title: string; org_name: string; summary: string | null; scores: Record<string, number> | string | null;
  comment: string | null; total: string | null; submitted_at: Time; locked: boolean | null } & Row;

const entryColumns = sql`e.id::text, e.panel_id::text, e.blind_label, e.title, o.name as org_name, e.summary, sc.scores, sc.comment, sc.total::text, sc.submitted_at, sc.locked`;

function toJudgeEntry(row: EntryRow, blind: boolean): JudgeEntry {
  return {
    id: row.id, blindLabel: Number(row.blind_label), title: blind ? null : row.title, orgName: blind ? null : row.org_name, summary: row.summary,
    mine: row.locked == null ? null : {
      scores: typeof row.scores === 'string' ? JSON.parse(row.scores) as Record<string, number> : row.scores ?? {},
      comment: row.comment, total: num(row.total), submittedAt: iso(row.submitted_at), locked: row.locked,
    },
  };
}

/** The entries a judge scores on a panel: those of their own subtree (or above it) are not shown. */
export async function listJudgeEntries(db: Db, actor: Actor, panelId: string, query: JudgeEntriesQuery): Promise<JudgeEntryPage> {
  const panel = await judgedPanel(db, actor, panelId);
  const where = sql`e.panel_id = ${panelId} and ${notConflicted(await homePathsOf(db, actor))}`;
  const [rows, total] = await Promise.all([
    db.execute<EntryRow>(sql`select ${entryColumns} from judging_entries e join orgs o on o.id = e.org_id
      left join judging_scores sc on sc.entry_id = e.id and sc.judge_id = ${actor.userId}
      where ${where} order by e.blind_label ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from judging_entries e where ${where}`),
  ]);
  return { panel: toJudgePanel(panel), items: rows.rows.map((r) => toJudgeEntry(r, panel.blind)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** One entry the actor judges (not of their own subtree), else 404. */
async function judgedEntry(q: Queryable, actor: Actor, entryId: string): Promise<{ panel: PanelRow; entry: EntryRow }> {
  if (!ID.test(entryId)) throw notFound('judging.entry_not_found');
  const entry = (await q.execute<EntryRow>(sql`select ${entryColumns} from judging_entries e join orgs o on o.id = e.org_id
      left join judging_scores sc on sc.entry_id = e.id and sc.judge_id = ${actor.userId}
     where e.id = ${entryId} and exists (select 1 from judging_panel_judges j where j.panel_id = e.panel_id and j.user_id = ${actor.userId})
       and ${notConflicted(await homePathsOf(q, actor))}`)).rows[0];
  if (!entry) throw notFound('judging.entry_not_found');
  const panel = (await loadPanel(q, entry.panel_id))!;
  return { panel, entry };
}

export async function getJudgeEntry(db: Db, actor: Actor, entryId: string): Promise<JudgeEntryDetail> {
  const { panel, entry } = await judgedEntry(db, actor, entryId);
  return { ...toJudgeEntry(entry, panel.blind), panel: toJudgePanel(panel) };
}

/** The scores checked against the rubric: known criteria, 0..maxScore, hundredths; on submit, every criterion. */
function checkScores(criteria: RubricCriterion[], input: DraftScore, complete: boolean): Record<string, number> {
  const byKey = new Map(criteria.map((c) => [c.key, c]));
  const scores: Record<string, number> = {};
  for (const [key, value] of Object.entries(input.scores)) {
    const criterion = byKey.get(key);
    if (!criterion) throw invalidField(`scores.${key}`, 'judging.unknown_criterion');
    if (value == null) continue;
    if (value > criterion.maxScore) throw invalidField(`scores.${key}`, 'judging.score_too_high', { max: criterion.maxScore });
    scores[key] = Math.round(value * 100) / 100;
  }
  if (complete) {
    const missing = criteria.find((c) => scores[c.key] === undefined);
    if (missing) throw invalidField(`scores.${missing.key}`, 'judging.score_required');
  }
  return scores;
}

/**
 * Saves a draft, or submits (`submit`): the judge's total is computed in SQL from the panel's rubric
 * (numeric, rounded to hundredths once); a submitted row is locked and never written again.
 */
export async function scoreEntry(db: Db, actor: Actor, entryId: string, input: DraftScore, submit: boolean): Promise<JudgeEntryDetail> {
  await db.transaction(async (tx) => {
    const { panel } = await judgedEntry(tx, actor, entryId);
    if (panel.state === 'closed') throw conflict('judging.panel_closed');
    if (panel.state === 'upcoming') throw conflict('judging.not_open');
    const scores = checkScores(criteriaOf(panel), input, submit);
    const json = JSON.stringify(scores);
    const saved = (await tx.execute<{ total: string | null } & Row>(sql`
      insert into judging_scores (entry_id, judge_id, scores, comment, total, submitted_at, locked)
      select ${entryId}, ${actor.userId}, ${json}::jsonb, ${input.comment ?? null}, t.total, ${submit ? sql`now()` : sql`null`}, ${submit}
        from (select case when bool_and((${json}::jsonb -> (c ->> 'key')) is not null)
                     then round(100 * sum((c ->> 'weight')::numeric * (${json}::jsonb ->> (c ->> 'key'))::numeric / (c ->> 'maxScore')::numeric)
                                / sum((c ->> 'weight')::numeric), 2) end as total
                from judging_panels p cross join jsonb_array_elements(p.criteria) c where p.id = ${panel.id}) t
      on conflict (entry_id, judge_id) do update set scores = excluded.scores, comment = excluded.comment, total = excluded.total,
        submitted_at = excluded.submitted_at, locked = excluded.locked, updated_at = now()
        where not judging_scores.locked
      returning total::text`)).rows[0];
    if (!saved) throw conflict('judging.already_submitted');
    await audit(tx, actor, {
      action: submit ? 'judging.submit' : 'judging.save_draft', targetType: 'judging_entry', targetId: entryId, orgPath: panel.org_path,
      detail: { panelId: panel.id, total: saved.total == null ? null : Number(saved.total) },
    });
  });
  return getJudgeEntry(db, actor, entryId);
}
