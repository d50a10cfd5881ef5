import { sql, type SQL } from 'drizzle-orm';
import type {
  Board, BoardQuery, BoardRow, ManualScorePage, ManualScoresInput, ManualScoresQuery, OrgBreakdown, PeerGroup, PublishedBoardPage, RankingCampaign,
  RankingCampaignInput, RankingCampaignListQuery, RankingCampaignUpdate, RankingCampaignPage, RankingCampaignSummary, RankingDimension, RankingEvent, RankingEventInput,
  RankedOrgPage, RankingIndicatorList, RankingPeriod, RankingPeriodDetail, RankingPeriodKind, RankingPeriodStatus,
} from '../../../../contracts/rankings.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Db, type Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { computeIndicatorValues, listIndicatorSources } from '../assessment/indicators-service.js';
import { boardReaders, managedCampaigns, mayReadBoard, ownOrgIds } from './policy.js';
import { closeEventPanel, eventScores, openEventPanel } from './panels.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const day = (v: Time) => (v == null ? '' : typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10));
const num = (v: unknown) => Number(v);

// ---------- periods of a year ----------

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The year's periods in time order: 12 months (2026-01 …) or 4 quarters (2026-Q1 …). */
export function periodsOf(kind: RankingPeriodKind, year: number): { seq: number; label: string; from: string; to: string }[] {
  if (kind === 'monthly') {
    return Array.from({ length: 12 }, (_, i) => ({ seq: i + 1, label: `${year}-${pad(i + 1)}`, from: `${year}-${pad(i + 1)}-01`, to: `${year}-${pad(i + 1)}-${pad(lastDay(year, i + 1))}` }));
  }
  return Array.from({ length: 4 }, (_, i) => ({ seq: i + 1, label: `${year}-Q${i + 1}`, from: `${year}-${pad(3 * i + 1)}-01`, to: `${year}-${pad(3 * i + 3)}-${pad(lastDay(year, 3 * i + 3))}` }));
}

export function listIndicators(): RankingIndicatorList {
  return { items: listIndicatorSources().map((s) => ({ code: s.code, name: s.name, unit: s.unit, formula: s.formula })) };
}

// ---------- campaigns ----------

type CampaignRow = {
  id: string; org_id: string; org_path: string; org_name: string; name: string; period_kind: RankingPeriodKind; year: number; status: 'active' | 'closed';
  published_periods: number; created_at: Time;
} & Row;
const campaignColumns = sql`c.id::text, c.org_id::text, c.org_path::text, o.name as org_name, c.name, c.period_kind, c.year, c.status, c.created_at,
  (select count(*)::int from ranking_periods pp where pp.campaign_id = c.id and pp.status = 'published') as published_periods`;

const toSummary = (r: CampaignRow): RankingCampaignSummary => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, periodKind: r.period_kind, year: num(r.year), status: r.status,
  publishedPeriods: num(r.published_periods), createdAt: iso(r.created_at)!,
});

async function findManagedCampaign(q: Queryable, actor: Actor, id: string): Promise<CampaignRow> {
  const row = (await q.execute<CampaignRow>(sql`select ${campaignColumns} from ranking_campaigns c join orgs o on o.id = c.org_id
    where c.id = ${id} and ${managedCampaigns(actor)}`)).rows[0];
  if (!row) throw notFound('ranking.not_found');
  return row;
}

async function campaignParts(q: Queryable, campaignId: string): Promise<Pick<RankingCampaign, 'dimensions' | 'peerGroups' | 'periods'>> {
  const [dims, groups, periods] = await Promise.all([
    q.execute<{ id: string; position: number; name: string; weight: string; source: RankingDimension['source']; indicator_code: string | null; higher_is_better: boolean } & Row>(sql`
      select id::text, position, name, weight, source, indicator_code, higher_is_better from ranking_dimensions where campaign_id = ${campaignId} order by position`),
    q.execute<{ id: string; position: number; name: string; rule_kind: PeerGroup['ruleKind']; rule_depth: number | null; rule_type: string | null; org_count: number } & Row>(sql`
      select g.id::text, g.position, g.name, g.rule_kind, g.rule_depth, g.rule_type,
             (select count(*)::int from ranking_group_members m where m.group_id = g.id) as org_count
      from ranking_peer_groups g where g.campaign_id = ${campaignId} order by g.position`),
    q.execute<PeriodRow>(sql`select ${periodColumns} from ranking_periods p where p.campaign_id = ${campaignId} order by p.seq`),
  ]);
  return {
    dimensions: dims.rows.map((d) => ({ id: d.id, position: num(d.position), name: d.name, weight: num(d.weight), source: d.source, indicatorCode: d.indicator_code, higherIsBetter: d.higher_is_better })),
    peerGroups: groups.rows.map((g) => ({ id: g.id, position: num(g.position), name: g.name, ruleKind: g.rule_kind, depth: g.rule_depth, orgType: g.rule_type, orgCount: num(g.org_count) })),
    periods: periods.rows.map(toPeriod),
  };
}

export async function getCampaign(db: Queryable, actor: Actor, id: string): Promise<RankingCampaign> {
  const row = await findManagedCampaign(db, actor, id);
  return { ...toSummary(row), ...(await campaignParts(db, id)) };
}

export async function listCampaigns(db: Db, actor: Actor, query: RankingCampaignListQuery): Promise<RankingCampaignPage> {
  const conditions: SQL[] = [managedCampaigns(actor)];
  if (query.year) conditions.push(sql`c.year = ${query.year}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<CampaignRow>(sql`select ${campaignColumns} from ranking_campaigns c join orgs o on o.id = c.org_id where ${where}
      order by c.year desc, c.created_at desc, c.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from ranking_campaigns c where ${where}`),
  ]);
  return { items: rows.rows.map(toSummary), total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** The orgs a peer group's rule chooses, below the campaign's org and not dissolved. */
function candidatesOf(group: RankingCampaignInput['peerGroups'][number], campaignPath: string): SQL {
  const below = sql`o.path <@ ${campaignPath}::ltree and o.path <> ${campaignPath}::ltree and o.dissolved_at is null`;
  if (group.ruleKind === 'level') return sql`select o.id from orgs o where ${below} and nlevel(o.path) = nlevel(${campaignPath}::ltree) + ${group.depth ?? 1}`;
  if (group.ruleKind === 'type') return sql`select o.id from orgs o where ${below} and o.type = ${group.orgType ?? ''}`;
  return sql`select o.id from orgs o where ${below} and o.id = any(${textArray([...new Set(group.orgIds)])}::bigint[])`;
}

function checkIndicators(dimensions: RankingCampaignInput['dimensions']): void {
  const known = new Set(listIndicatorSources().map((s) => s.code));
  dimensions.forEach((d, i) => {
    if (d.source === 'indicator' && !known.has(d.indicatorCode ?? '')) throw invalidField(`dimensions.${i}.indicatorCode`, 'ranking.indicator_unknown');
  });
}

async function insertDimensions(tx: Queryable, campaignId: string, d: RankingCampaignInput['dimensions']): Promise<void> {
  await tx.execute(sql`insert into ranking_dimensions (campaign_id, position, name, weight, source, indicator_code, higher_is_better)
    select ${campaignId}, t.position, t.name, t.weight, t.source, nullif(t.code, ''), t.higher
    from unnest(${textArray(d.map((_, i) => String(i + 1)))}::int[], ${textArray(d.map((x) => x.name))}::text[], ${textArray(d.map((x) => String(x.weight)))}::numeric[],
                ${textArray(d.map((x) => x.source))}::text[], ${textArray(d.map((x) => (x.source === 'indicator' ? x.indicatorCode ?? '' : '')))}::text[],
                ${textArray(d.map((x) => String(x.higherIsBetter)))}::boolean[]) t (position, name, weight, source, code, higher)`);
}

async function insertPeerGroups(tx: Queryable, campaignId: string, campaignPath: string, groups: RankingCampaignInput['peerGroups']): Promise<void> {
  for (const [i, g] of groups.entries()) {
    const group = (await tx.execute<{ id: string } & Row>(sql`insert into ranking_peer_groups (campaign_id, position, name, rule_kind, rule_depth, rule_type)
      values (${campaignId}, ${i + 1}, ${g.name}, ${g.ruleKind}, ${g.ruleKind === 'level' ? g.depth ?? null : null}, ${g.ruleKind === 'type' ? g.orgType ?? null : null})
      returning id::text`)).rows[0]!;
    const counted = (await tx.execute<{ candidates: number; inserted: number } & Row>(sql`
      with c as (${candidatesOf(g, campaignPath)}),
           ins as (insert into ranking_group_members (campaign_id, group_id, org_id) select ${campaignId}, ${group.id}, c.id from c
                   on conflict (campaign_id, org_id) do nothing returning 1)
      select (select count(*)::int from c) as candidates, (select count(*)::int from ins) as inserted`)).rows[0]!;
    if (g.ruleKind === 'orgs' && num(counted.candidates) < new Set(g.orgIds).size) throw invalidField(`peerGroups.${i}.orgIds`, 'ranking.org_outside');
    if (num(counted.candidates) === 0) throw invalidField(`peerGroups.${i}.ruleKind`, 'ranking.group_empty');
    if (num(counted.inserted) < num(counted.candidates)) throw invalidField(`peerGroups.${i}.ruleKind`, 'ranking.group_overlap');
  }
}

async function insertPeriods(tx: Queryable, campaignId: string, kind: RankingPeriodKind, year: number): Promise<void> {
  const periods = periodsOf(kind, year);
  await tx.execute(sql`insert into ranking_periods (campaign_id, seq, label, from_date, to_date)
    select ${campaignId}, t.seq, t.label, t.f, t.t from unnest(${textArray(periods.map((p) => String(p.seq)))}::int[], ${textArray(periods.map((p) => p.label))}::text[],
      ${textArray(periods.map((p) => p.from))}::date[], ${textArray(periods.map((p) => p.to))}::date[]) t (seq, label, f, t)`);
}

export async function createCampaign(db: Db, actor: Actor, input: RankingCampaignInput): Promise<RankingCampaign> {
  checkIndicators(input.dimensions);
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId', notFoundKey: 'ranking.org_not_found' });
    const campaign = (await tx.execute<{ id: string } & Row>(sql`
      insert into ranking_campaigns (org_id, org_path, name, period_kind, year, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.periodKind}, ${input.year}, ${actor.userId}) returning id::text`)).rows[0]!;
    await insertDimensions(tx, campaign.id, input.dimensions);
    await insertPeerGroups(tx, campaign.id, org.path, input.peerGroups);
    await insertPeriods(tx, campaign.id, input.periodKind, input.year);
    await audit(tx, actor, { action: 'ranking.create_campaign', targetType: 'ranking_campaign', targetId: campaign.id, orgPath: org.path, detail: { name: input.name } });
    return campaign.id;
  });
  return getCampaign(db, actor, id);
}

/** The campaign locked for a change, with what it has gathered so far. */
async function lockCampaignForChange(tx: Queryable, actor: Actor, id: string) {
  const campaign = await findManagedCampaign(tx, actor, id);
  await tx.execute(sql`select id from ranking_campaigns where id = ${campaign.id} for update`);
  const state = (await tx.execute<{ computed: number; published: number; scored: number } & Row>(sql`select
      (select count(*)::int from ranking_periods where campaign_id = ${campaign.id} and status <> 'open') as computed,
      (select count(*)::int from ranking_periods where campaign_id = ${campaign.id} and status = 'published') as published,
      (select count(*)::int from ranking_manual_scores s join ranking_periods p on p.id = s.period_id where p.campaign_id = ${campaign.id})
      + (select count(*)::int from ranking_events e join ranking_periods p on p.id = e.period_id where p.campaign_id = ${campaign.id}) as scored`)).rows[0]!;
  return { campaign, computed: num(state.computed), published: num(state.published), scored: num(state.scored) };
}

/**
 * A campaign is corrected until its first period is computed: after that, results exist that were
 * worked out on the old definition. Dimensions, peer groups and periods are replaced only while no
 * score or 擂台赛 has been entered, since those hang on the old dimensions and periods.
 */
export async function updateCampaign(db: Db, actor: Actor, id: string, input: RankingCampaignUpdate): Promise<RankingCampaign> {
  if (input.dimensions) checkIndicators(input.dimensions);
  await db.transaction(async (tx) => {
    const { campaign, computed, scored } = await lockCampaignForChange(tx, actor, id);
    if (computed > 0) throw conflict('ranking.campaign_computed');
    const restructures = input.dimensions !== undefined || input.peerGroups !== undefined || input.periodKind !== undefined || input.year !== undefined;
    if (restructures && scored > 0) throw conflict('ranking.campaign_scored');
    const periodKind = input.periodKind ?? campaign.period_kind;
    const year = input.year ?? num(campaign.year);
    await tx.execute(sql`update ranking_campaigns set name = ${input.name ?? campaign.name}, period_kind = ${periodKind}, year = ${year} where id = ${campaign.id}`);
    if (input.dimensions) {
      await tx.execute(sql`delete from ranking_dimensions where campaign_id = ${campaign.id}`);
      await insertDimensions(tx, campaign.id, input.dimensions);
    }
    if (input.peerGroups) {
      await tx.execute(sql`delete from ranking_peer_groups where campaign_id = ${campaign.id}`);
      await insertPeerGroups(tx, campaign.id, campaign.org_path, input.peerGroups);
    }
    if (periodKind !== campaign.period_kind || year !== num(campaign.year)) {
      await tx.execute(sql`delete from ranking_periods where campaign_id = ${campaign.id}`);
      await insertPeriods(tx, campaign.id, periodKind, year);
    }
    await audit(tx, actor, { action: 'ranking.update_campaign', targetType: 'ranking_campaign', targetId: campaign.id, orgPath: campaign.org_path,
      detail: { name: input.name ?? campaign.name, changed: Object.keys(input) } });
  });
  return getCampaign(db, actor, id);
}

/** A campaign goes while nothing of it has been published: a board once shown stays on record. */
export async function deleteCampaign(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { campaign, published, scored } = await lockCampaignForChange(tx, actor, id);
    if (published > 0) throw conflict('ranking.campaign_published');
    // 擂台赛 panels live in the judging module: once one exists the campaign is kept (its judges have tasks).
    const events = (await tx.execute<{ n: number } & Row>(sql`select count(*)::int as n from ranking_events e join ranking_periods p on p.id = e.period_id
      where p.campaign_id = ${campaign.id}`)).rows[0]!;
    if (num(events.n) > 0) throw conflict('ranking.campaign_has_events');
    await tx.execute(sql`delete from ranking_campaigns where id = ${campaign.id}`);
    await audit(tx, actor, { action: 'ranking.delete_campaign', targetType: 'ranking_campaign', targetId: campaign.id, orgPath: campaign.org_path,
      detail: { name: campaign.name, year: num(campaign.year), scored } });
  });
}

// ---------- periods ----------

type PeriodRow = { id: string; campaign_id: string; seq: number; label: string; from_date: Time; to_date: Time; status: RankingPeriodStatus; computed_at: Time; published_at: Time } & Row;
const periodColumns = sql`p.id::text, p.campaign_id::text, p.seq, p.label, p.from_date::text, p.to_date::text, p.status, p.computed_at, p.published_at`;
const toPeriod = (p: PeriodRow): RankingPeriod => ({
  id: p.id, seq: num(p.seq), label: p.label, from: day(p.from_date), to: day(p.to_date), status: p.status, computedAt: iso(p.computed_at), publishedAt: iso(p.published_at),
});

/** A period of a campaign the actor runs (locked when it is about to change). */
async function findManagedPeriod(q: Queryable, actor: Actor, id: string, lock = false): Promise<PeriodRow & { org_id: string; org_path: string }> {
  const row = (await q.execute<PeriodRow & { org_id: string; org_path: string }>(sql`
    select ${periodColumns}, c.org_id::text, c.org_path::text from ranking_periods p join ranking_campaigns c on c.id = p.campaign_id
    where p.id = ${id} and ${managedCampaigns(actor)} ${lock ? sql`for update of p` : sql``}`)).rows[0];
  if (!row) throw notFound('ranking.period_not_found');
  return row;
}

const notPublished = (p: { status: RankingPeriodStatus }) => {
  if (p.status === 'published') throw conflict('ranking.period_published');
};

async function eventsOf(q: Queryable, periodId: string): Promise<RankingEvent[]> {
  const rows = await q.execute<{ id: string; dimension_id: string; title: string; event_date: Time; panel_id: string | null; orgs: { id: string; name: string }[] | string | null } & Row>(sql`
    select e.id::text, e.dimension_id::text, e.title, e.event_date::text, e.panel_id,
           (select json_agg(json_build_object('id', o.id::text, 'name', o.name) order by o.path) from ranking_event_orgs eo join orgs o on o.id = eo.org_id where eo.event_id = e.id) as orgs
    from ranking_events e where e.period_id = ${periodId} order by e.event_date, e.id`);
  return rows.rows.map((e) => ({
    id: e.id, dimensionId: e.dimension_id, title: e.title, date: day(e.event_date), panelId: e.panel_id,
    orgs: (typeof e.orgs === 'string' ? JSON.parse(e.orgs) as { id: string; name: string }[] : e.orgs) ?? [],
  }));
}

export async function getPeriod(db: Queryable, actor: Actor, id: string): Promise<RankingPeriodDetail> {
  const period = await findManagedPeriod(db, actor, id);
  const [campaign, events, counts, ranked] = await Promise.all([
    getCampaign(db, actor, period.campaign_id),
    eventsOf(db, id),
    db.execute<{ dimension_id: string; scored: number } & Row>(sql`select dimension_id::text, count(*)::int as scored from ranking_manual_scores
      where period_id = ${id} group by dimension_id`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from ranking_group_members where campaign_id = ${period.campaign_id}`),
  ]);
  const scored = new Map(counts.rows.map((r) => [r.dimension_id, num(r.scored)]));
  return {
    ...toPeriod(period), campaign, events,
    manualCounts: campaign.dimensions.filter((d) => d.source === 'manual').map((d) => ({ dimensionId: d.id, scored: scored.get(d.id) ?? 0 })),
    rankedOrgs: num(ranked.rows[0]?.n ?? 0),
  };
}

async function dimensionOf(q: Queryable, campaignId: string, dimensionId: string, source: 'manual' | 'judges'): Promise<void> {
  const dim = (await q.execute<{ source: string } & Row>(sql`select source from ranking_dimensions where id = ${dimensionId} and campaign_id = ${campaignId}`)).rows[0];
  if (!dim) throw invalidField('dimensionId', 'ranking.dimension_not_found');
  if (dim.source !== source) throw invalidField('dimensionId', source === 'manual' ? 'ranking.dimension_not_manual' : 'ranking.dimension_not_judges');
}


/** The ranked orgs (of one group, or all) with their manual score of the dimension, group by group in tree order. */
export async function listManualScores(db: Db, actor: Actor, periodId: string, query: ManualScoresQuery): Promise<ManualScorePage> {
  const period = await findManagedPeriod(db, actor, periodId);
  await dimensionOf(db, period.campaign_id, query.dimensionId, 'manual');
  const where = sql`m.campaign_id = ${period.campaign_id} ${query.groupId ? sql`and m.group_id = ${query.groupId}` : sql``}`;
  const [rows, total] = await Promise.all([
    db.execute<{ org_id: string; org_name: string; group_id: string; group_name: string; score: string | null } & Row>(sql`
      select m.org_id::text, o.name as org_name, g.id::text as group_id, g.name as group_name, s.score
      from ranking_group_members m join ranking_peer_groups g on g.id = m.group_id join orgs o on o.id = m.org_id
      left join ranking_manual_scores s on s.period_id = ${periodId} and s.dimension_id = ${query.dimensionId} and s.org_id = m.org_id
      where ${where} order by g.position, o.path ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from ranking_group_members m where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, groupId: r.group_id, groupName: r.group_name, score: r.score === null ? null : num(r.score) })),
    total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

/** Ranked orgs of the campaign among `ids` (the ones that are not answer 400 on `field`). */
async function checkRanked(q: Queryable, campaignId: string, ids: string[], field: string): Promise<{ id: string; name: string }[]> {
  const unique = [...new Set(ids)];
  const rows = (await q.execute<{ id: string; name: string } & Row>(sql`select o.id::text, o.name from ranking_group_members m join orgs o on o.id = m.org_id
    where m.campaign_id = ${campaignId} and m.org_id = any(${textArray(unique)}::bigint[]) order by o.path`)).rows;
  if (rows.length !== unique.length) throw invalidField(field, 'ranking.org_not_ranked');
  return rows;
}

/** Manual scores saved (a null clears one); a computed period goes back to open: its results no longer match. */
export async function saveManualScores(db: Db, actor: Actor, periodId: string, input: ManualScoresInput): Promise<{ saved: number }> {
  return db.transaction(async (tx) => {
    const period = await findManagedPeriod(tx, actor, periodId, true);
    notPublished(period);
    await dimensionOf(tx, period.campaign_id, input.dimensionId, 'manual');
    const latest = new Map(input.scores.map((s) => [s.orgId, s.score]));
    await checkRanked(tx, period.campaign_id, [...latest.keys()], 'scores');
    const set = [...latest].filter((e): e is [string, number] => e[1] !== null);
    const cleared = [...latest].filter(([, v]) => v === null).map(([k]) => k);
    if (set.length) {
      await tx.execute(sql`insert into ranking_manual_scores (period_id, dimension_id, org_id, score, updated_by)
        select ${periodId}, ${input.dimensionId}, t.o, t.s, ${actor.userId} from unnest(${textArray(set.map(([o]) => o))}::bigint[], ${textArray(set.map(([, v]) => String(v)))}::numeric[]) t (o, s)
        on conflict (period_id, dimension_id, org_id) do update set score = excluded.score, updated_by = excluded.updated_by, updated_at = now()`);
    }
    if (cleared.length) {
      await tx.execute(sql`delete from ranking_manual_scores where period_id = ${periodId} and dimension_id = ${input.dimensionId} and org_id = any(${textArray(cleared)}::bigint[])`);
    }
    await tx.execute(sql`update ranking_periods set status = 'open', computed_at = null where id = ${periodId} and status = 'computed'`);
    await audit(tx, actor, { action: 'ranking.enter_scores', targetType: 'ranking_period', targetId: periodId, orgPath: period.org_path, detail: { label: period.label, dimensionId: input.dimensionId, orgs: latest.size } });
    return { saved: latest.size };
  });
}

/** A 擂台赛: the registered orgs present, the judges score them on a judging panel whose id the event keeps. */
export async function createEvent(db: Db, actor: Actor, periodId: string, input: RankingEventInput): Promise<RankingEvent> {
  const id = await db.transaction(async (tx) => {
    const period = await findManagedPeriod(tx, actor, periodId, true);
    notPublished(period);
    await dimensionOf(tx, period.campaign_id, input.dimensionId, 'judges');
    if (input.date < day(period.from_date) || input.date > day(period.to_date)) throw invalidField('date', 'ranking.event_date_outside');
    const orgs = await checkRanked(tx, period.campaign_id, input.orgIds, 'orgIds');
    const event = (await tx.execute<{ id: string } & Row>(sql`insert into ranking_events (period_id, dimension_id, title, event_date)
      values (${periodId}, ${input.dimensionId}, ${input.title}, ${input.date}) returning id::text`)).rows[0]!;
    await tx.execute(sql`insert into ranking_event_orgs (event_id, org_id) select ${event.id}, o from unnest(${textArray(orgs.map((o) => o.id))}::bigint[]) o`);
    const panelId = await openEventPanel(tx, actor, { id: event.id, title: input.title, orgId: period.org_id, blind: input.blind, judgeUserIds: [...new Set(input.judgeUserIds)], orgs });
    await tx.execute(sql`update ranking_events set panel_id = ${panelId} where id = ${event.id}`);
    await audit(tx, actor, { action: 'ranking.create_event', targetType: 'ranking_event', targetId: event.id, orgPath: period.org_path, detail: { title: input.title, orgs: orgs.length } });
    return event.id;
  });
  return (await eventsOf(db, periodId)).find((e) => e.id === id)!;
}

// ---------- computing a period ----------

/**
 * The period's results in one set-based pass: each ranked org's raw value of every dimension (the
 * indicator's value, the manual score, the mean of its 擂台赛 scores), normalized within its peer
 * group — higher is better: 100 × value / the group's highest; lower is better: 100 × (highest −
 * value) / highest — no value counts 0; the total is the weighted mean of the normalized scores (2 dp);
 * the rank is by total within the group, equal totals sharing a rank; previous rank and movement come
 * from the period before. The next period's movement follows a recomputation. Answers the rows written.
 */
export async function computePeriodResults(tx: Queryable, periodId: string): Promise<number> {
  const period = (await tx.execute<PeriodRow>(sql`select ${periodColumns} from ranking_periods p where p.id = ${periodId}`)).rows[0];
  if (!period) throw notFound('ranking.period_not_found');
  const campaignId = period.campaign_id;
  const dims = (await tx.execute<{ id: string; source: string; indicator_code: string | null } & Row>(sql`
    select id::text, source, indicator_code from ranking_dimensions where campaign_id = ${campaignId} and source <> 'manual' order by position`)).rows;
  const supplied: { dim: string; org: string; value: number }[] = [];
  const indicatorDims = dims.filter((d) => d.source === 'indicator');
  if (indicatorDims.length) {
    const orgs = (await tx.execute<{ id: string; path: string } & Row>(sql`select o.id::text, o.path::text from ranking_group_members m join orgs o on o.id = m.org_id
      where m.campaign_id = ${campaignId}`)).rows;
    for (const d of indicatorDims) {
      for (const v of await computeIndicatorValues(tx, d.indicator_code!, orgs, { from: day(period.from_date), to: day(period.to_date) })) {
        if (v.value !== null) supplied.push({ dim: d.id, org: v.orgId, value: v.value });
      }
    }
  }
  const judged = dims.filter((d) => d.source === 'judges').map((d) => d.id);
  if (judged.length) {
    const events = (await tx.execute<{ dimension_id: string; panel_id: string } & Row>(sql`select dimension_id::text, panel_id from ranking_events
      where period_id = ${periodId} and panel_id is not null order by id`)).rows;
    const sums = new Map<string, { dim: string; org: string; sum: number; n: number }>();
    for (const e of events) {
      for (const [org, score] of await eventScores(tx, e.panel_id)) {
        if (score === null) continue;
        const key = `${e.dimension_id}:${org}`;
        const s = sums.get(key) ?? { dim: e.dimension_id, org, sum: 0, n: 0 };
        s.sum += score;
        s.n += 1;
        sums.set(key, s);
      }
    }
    for (const s of sums.values()) supplied.push({ dim: s.dim, org: s.org, value: Math.round((s.sum / s.n) * 100) / 100 });
  }
  const previous = (await tx.execute<{ id: string } & Row>(sql`select id::text from ranking_periods where campaign_id = ${campaignId} and seq = ${num(period.seq) - 1}`)).rows[0]?.id ?? null;
  await tx.execute(sql`delete from ranking_results where period_id = ${periodId}`);
  const written = await tx.execute<{ n: number } & Row>(sql`
    with dims as (select id, position, weight, higher_is_better from ranking_dimensions where campaign_id = ${campaignId}),
    supplied as (
      select dimension_id, org_id, score as value from ranking_manual_scores where period_id = ${periodId}
      union all
      select t.d, t.o, t.v from unnest(${textArray(supplied.map((s) => s.dim))}::bigint[], ${textArray(supplied.map((s) => s.org))}::bigint[],
                                       ${textArray(supplied.map((s) => String(s.value)))}::numeric[]) t (d, o, v)),
    raw as (
      select m.group_id, m.org_id, d.id as dimension_id, d.position, d.weight, d.higher_is_better, s.value
      from ranking_group_members m cross join dims d left join supplied s on s.dimension_id = d.id and s.org_id = m.org_id
      where m.campaign_id = ${campaignId}),
    normalized as (
      select r.*, case
        when r.value is null then 0
        when r.higher_is_better then case when max(r.value) over w > 0 then 100 * greatest(r.value, 0) / max(r.value) over w else 0 end
        else case when max(r.value) over w > 0 then 100 * (max(r.value) over w - greatest(r.value, 0)) / max(r.value) over w else 100 end
      end as score
      from raw r window w as (partition by r.group_id, r.dimension_id)),
    totals as (
      select group_id, org_id, array_agg(value order by position) as raw_scores, array_agg(round(score, 2) order by position) as scores,
             round(sum(weight * score) / sum(weight), 2) as total
      from normalized group by group_id, org_id),
    ranked as (select t.*, rank() over (partition by t.group_id order by t.total desc)::int as rank from totals t),
    ins as (
      insert into ranking_results (period_id, group_id, org_id, raw_scores, scores, total, rank, previous_rank, movement)
      select ${periodId}, r.group_id, r.org_id, r.raw_scores, r.scores, r.total, r.rank, prev.rank, prev.rank - r.rank
      from ranked r left join ranking_results prev on prev.period_id = ${previous}::bigint and prev.org_id = r.org_id and prev.group_id = r.group_id
      returning 1)
    select count(*)::int as n from ins`);
  // the period after, when already computed, measures its movement against these ranks
  await tx.execute(sql`with prev as (select r.org_id, r.group_id, r.rank from ranking_results r where r.period_id = ${periodId})
    update ranking_results n set previous_rank = (select prev.rank from prev where prev.org_id = n.org_id and prev.group_id = n.group_id),
      movement = (select prev.rank from prev where prev.org_id = n.org_id and prev.group_id = n.group_id) - n.rank
    where n.period_id = (select np.id from ranking_periods np where np.campaign_id = ${campaignId} and np.seq = ${num(period.seq) + 1})`);
  await tx.execute(sql`update ranking_periods set status = case when status = 'published' then status else 'computed' end, computed_at = now() where id = ${periodId}`);
  return num(written.rows[0]!.n);
}

export async function computePeriod(db: Db, actor: Actor, periodId: string): Promise<RankingPeriodDetail> {
  await db.transaction(async (tx) => {
    const period = await findManagedPeriod(tx, actor, periodId, true);
    notPublished(period);
    const rows = await computePeriodResults(tx, periodId);
    await audit(tx, actor, { action: 'ranking.compute', targetType: 'ranking_period', targetId: periodId, orgPath: period.org_path, detail: { label: period.label, rows } });
  });
  return getPeriod(db, actor, periodId);
}

/** Publishing shows the board to the orgs in the tree and makes the period's 擂台赛 results final. */
export async function publishPeriod(db: Db, actor: Actor, periodId: string): Promise<RankingPeriodDetail> {
  await db.transaction(async (tx) => {
    const period = await findManagedPeriod(tx, actor, periodId, true);
    notPublished(period);
    if (period.status !== 'computed') throw conflict('ranking.not_computed');
    const panels = (await tx.execute<{ panel_id: string } & Row>(sql`select panel_id from ranking_events where period_id = ${periodId} and panel_id is not null order by id`)).rows;
    for (const p of panels) await closeEventPanel(tx, actor, p.panel_id);
    await tx.execute(sql`update ranking_periods set status = 'published', published_at = now() where id = ${periodId}`);
    await audit(tx, actor, { action: 'ranking.publish', targetType: 'ranking_period', targetId: periodId, orgPath: period.org_path, detail: { label: period.label } });
  });
  return getPeriod(db, actor, periodId);
}

// ---------- the board ----------

type ResultRow = { part: string; org_id: string; org_name: string; group_id: string; rank: number; previous_rank: number | null; movement: number | null; total: string; scores: (string | number)[] | string; raw_scores: (string | number | null)[] | string } & Row;

/** numeric[] as text from some drivers: `{1.5,NULL,2}` */
function numbers(v: (string | number | null)[] | string): (number | null)[] {
  const items = typeof v === 'string' ? v.replace(/^\{|\}$/g, '').split(',').filter((x) => x !== '') : v;
  return items.map((x) => (x === null || x === 'NULL' ? null : Number(x)));
}

type PageRow = Pick<ResultRow, 'org_id' | 'org_name' | 'group_id' | 'rank' | 'previous_rank' | 'movement' | 'total' | 'scores'> & Row;
const toRow = (r: PageRow): BoardRow => ({
  orgId: r.org_id, orgName: r.org_name, groupId: r.group_id, rank: num(r.rank), previousRank: r.previous_rank === null ? null : num(r.previous_rank),
  movement: r.movement === null ? null : num(r.movement), total: num(r.total), scores: numbers(r.scores).map((x) => x ?? 0),
});
const resultColumns = sql`r.org_id::text, o.name as org_name, r.group_id::text, r.rank, r.previous_rank, r.movement, r.total, r.scores, r.raw_scores`;

type BoardHead = {
  id: string; label: string; status: RankingPeriodStatus; published_at: Time; campaign_id: string; campaign_name: string; org_name: string;
  dimensions: { id: string; name: string; weight: number; source: RankingDimension['source']; higherIsBetter: boolean }[] | string;
  groups: { id: string; name: string; size: number }[] | string;
} & Row;
const parsed = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) as T : v);

/** The period, its campaign's dimensions and groups (with their sizes), when the actor may read its board; 404 otherwise (an org's breakdown). */
async function boardHead(db: Queryable, actor: Actor, periodId: string): Promise<BoardHead> {
  const head = (await db.execute<BoardHead>(sql`
    select p.id::text, p.label, p.status, p.published_at, c.id::text as campaign_id, c.name as campaign_name, o.name as org_name,
      (select json_agg(json_build_object('id', d.id::text, 'name', d.name, 'weight', d.weight, 'source', d.source, 'higherIsBetter', d.higher_is_better) order by d.position)
         from ranking_dimensions d where d.campaign_id = c.id) as dimensions,
      (select json_agg(json_build_object('id', g.id::text, 'name', g.name,
                 'size', (select count(*) from ranking_results r where r.period_id = p.id and r.group_id = g.id)) order by g.position)
         from ranking_peer_groups g where g.campaign_id = c.id) as groups
    from ranking_periods p join ranking_campaigns c on c.id = p.campaign_id join orgs o on o.id = c.org_id
    where p.id = ${periodId} and ${boardReaders(actor)}`)).rows[0];
  if (!head) throw notFound('ranking.period_not_found');
  return head;
}


/**
 * The boards this process has read, each under the board version it read (migration 20261208001000
 * counts it up whenever anything kept here changes). A board is opened far more often than it
 * changes — every org of a 2,000-org campaign opens the same one — so a request reads the period's
 * version, status and publication (one row by primary key: planned once, unlike the statement that
 * builds a board) and answers from the copy; the board is read again only when the version moved.
 */
interface KeptBoard {
  version: string;
  label: string; campaignId: string; campaignName: string; orgName: string; orgPath: string;
  dimensions: Board['dimensions'];
  groups: Board['groups'];
  /** each group's rows in rank order */
  rows: Map<string, BoardRow[]>;
  /** each ranked org's row, and the group each org of the campaign is ranked in */
  byOrg: Map<string, BoardRow>;
  groupOf: Map<string, string>;
}
const keptBoards = new WeakMap<Db, Map<string, KeptBoard>>();
const BOARDS_KEPT = 50;

async function readBoard(db: Db, periodId: string, version: string): Promise<KeptBoard> {
  let boards = keptBoards.get(db);
  if (!boards) keptBoards.set(db, boards = new Map());
  const kept = boards.get(periodId);
  if (kept && kept.version === version) return kept;
  const head = (await db.execute<BoardHead & { org_path: string }>(sql`
    select p.id::text, p.label, c.id::text as campaign_id, c.name as campaign_name, o.name as org_name, c.org_path::text,
      (select json_agg(json_build_object('id', d.id::text, 'name', d.name, 'weight', d.weight) order by d.position)
         from ranking_dimensions d where d.campaign_id = c.id) as dimensions,
      (select json_agg(json_build_object('id', g.id::text, 'name', g.name, 'size', (select count(*) from ranking_results r where r.period_id = p.id and r.group_id = g.id)) order by g.position)
         from ranking_peer_groups g where g.campaign_id = c.id) as groups
    from ranking_periods p join ranking_campaigns c on c.id = p.campaign_id join orgs o on o.id = c.org_id
    where p.id = ${periodId}`)).rows[0];
  if (!head) throw notFound('ranking.period_not_found');
  const [results, members] = await Promise.all([
    db.execute<PageRow>(sql`
      select r.org_id::text, o.name as org_name, r.group_id::text, r.rank, r.previous_rank, r.movement, r.total, r.scores
        from ranking_results r join orgs o on o.id = r.org_id where r.period_id = ${periodId} order by r.group_id, r.rank, r.org_id`),
    db.execute<{ org_id: string; group_id: string } & Row>(sql`
      select m.org_id::text, m.group_id::text from ranking_group_members m join ranking_periods p on p.campaign_id = m.campaign_id
       where p.id = ${periodId} order by m.group_id`),
  ]);
  const rows = new Map<string, BoardRow[]>();
  const byOrg = new Map<string, BoardRow>();
  for (const r of results.rows) {
    const row = toRow(r);
    byOrg.set(row.orgId, row);
    const group = rows.get(row.groupId);
    if (group) group.push(row);
    else rows.set(row.groupId, [row]);
  }
  const board: KeptBoard = {
    version, label: head.label, campaignId: head.campaign_id, campaignName: head.campaign_name, orgName: head.org_name, orgPath: head.org_path,
    dimensions: (parsed(head.dimensions) ?? []).map((d) => ({ id: d.id, name: d.name, weight: num(d.weight) })),
    groups: (parsed(head.groups) ?? []).map((g) => ({ id: g.id, name: g.name, size: num(g.size) })),
    rows, byOrg, groupOf: new Map(members.rows.map((m) => [m.org_id, m.group_id])),
  };
  // a version read before rows newer than it: those rows are kept under it, and the next version reads them again
  if (boards.size >= BOARDS_KEPT) boards.clear();
  boards.set(periodId, board);
  return board;
}

/**
 * A page of a peer group's board in rank order, and the viewer's own org's row wherever it stands,
 * from the maintained results, never a recomputation. Without a group, the one the viewer's org is
 * ranked in, else the first.
 */
export async function getBoard(db: Db, actor: Actor, periodId: string, query: BoardQuery): Promise<Board> {
  const period = (await executePrepared<{ board_version: string; status: RankingPeriodStatus; published_at: Time } & Row>(db, sql`
    select board_version::text, status, published_at from ranking_periods where id = ${periodId}`))[0];
  if (!period) throw notFound('ranking.period_not_found');
  const board = await readBoard(db, periodId, period.board_version);
  if (!mayReadBoard(actor, board.orgPath, period.status)) throw notFound('ranking.period_not_found');
  const own = ownOrgIds(actor);
  let groupId: string | null;
  if (query.groupId) {
    if (!board.groups.some((g) => g.id === query.groupId)) throw invalidField('groupId', 'ranking.group_not_found');
    groupId = query.groupId;
  } else {
    groupId = own.map((id) => board.groupOf.get(id)).filter((g): g is string => g !== undefined).sort((a, b) => Number(a) - Number(b))[0]
      ?? board.groups[0]?.id ?? null;
  }
  const rows = groupId === null ? [] : board.rows.get(groupId) ?? [];
  const from = (query.page - 1) * query.pageSize;
  const mine = own.map((id) => board.byOrg.get(id)).filter((r): r is BoardRow => r !== undefined)
    .sort((a, b) => Number(b.groupId === groupId) - Number(a.groupId === groupId) || a.rank - b.rank)[0] ?? null;
  return {
    period: { id: periodId, label: board.label, status: period.status, publishedAt: iso(period.published_at) },
    campaign: { id: board.campaignId, name: board.campaignName, orgName: board.orgName },
    dimensions: board.dimensions,
    groups: board.groups,
    groupId,
    items: rows.slice(from, from + query.pageSize),
    total: board.groups.find((g) => g.id === groupId)?.size ?? 0,
    page: query.page, pageSize: query.pageSize,
    mine,
  };
}

/** One org's row of the board, dimension by dimension: its raw value, the normalized score and the weight. */
export async function getOrgBreakdown(db: Db, actor: Actor, periodId: string, orgId: string): Promise<OrgBreakdown> {
  const head = await boardHead(db, actor, periodId);
  const row = (await db.execute<ResultRow>(sql`select 'one' as part, ${resultColumns} from ranking_results r join orgs o on o.id = r.org_id
    where r.period_id = ${periodId} and r.org_id = ${orgId}`)).rows[0];
  if (!row) throw notFound('ranking.org_not_found');
  const groups = parsed(head.groups) ?? [];
  const group = groups.find((g) => g.id === row.group_id);
  const raw = numbers(row.raw_scores);
  const base = toRow(row);
  return {
    ...base, groupName: group?.name ?? '', groupSize: num(group?.size ?? 0),
    dimensions: (parsed(head.dimensions) ?? []).map((d, i) => ({
      id: d.id, name: d.name, weight: num(d.weight), source: d.source, higherIsBetter: d.higherIsBetter, raw: raw[i] ?? null, score: base.scores[i] ?? 0,
    })),
  };
}

/** The published boards of the campaigns whose tree holds an org the viewer runs (and those they run), newest first. */
export async function listPublishedBoards(db: Db, actor: Actor, query: { page: number; pageSize: number }): Promise<PublishedBoardPage> {
  const from = sql`ranking_periods p join ranking_campaigns c on c.id = p.campaign_id where p.status = 'published' and ${boardReaders(actor)}`;
  const [rows, total] = await Promise.all([
    db.execute<{ period_id: string; label: string; campaign_id: string; campaign_name: string; org_name: string; published_at: Time } & Row>(sql`
      select p.id::text as period_id, p.label, c.id::text as campaign_id, c.name as campaign_name, o.name as org_name, p.published_at
      from ranking_periods p join ranking_campaigns c on c.id = p.campaign_id join orgs o on o.id = c.org_id
      where p.status = 'published' and ${boardReaders(actor)}
      order by p.published_at desc, p.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from ${from}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ periodId: r.period_id, label: r.label, campaignId: r.campaign_id, campaignName: r.campaign_name, orgName: r.org_name, publishedAt: iso(r.published_at) })),
    total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

/** The orgs the campaign ranks, group by group in tree order. */
export async function listRankedOrgs(db: Db, actor: Actor, campaignId: string, query: { page: number; pageSize: number; groupId?: string }): Promise<RankedOrgPage> {
  await findManagedCampaign(db, actor, campaignId);
  const where = sql`m.campaign_id = ${campaignId} ${query.groupId ? sql`and m.group_id = ${query.groupId}` : sql``}`;
  const [rows, total] = await Promise.all([
    db.execute<{ org_id: string; org_name: string; group_id: string; group_name: string } & Row>(sql`
      select m.org_id::text, o.name as org_name, g.id::text as group_id, g.name as group_name
      from ranking_group_members m join ranking_peer_groups g on g.id = m.group_id join orgs o on o.id = m.org_id
      where ${where} order by g.position, o.path ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from ranking_group_members m where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, groupId: r.group_id, groupName: r.group_name })),
    total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}
