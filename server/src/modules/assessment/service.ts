import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  CreateIndicator, CreateScheme, Indicator, IndicatorQuerySchema, IndicatorRecordPage, IndicatorRecordsQuerySchema, IndicatorUnit, ManualScore,
  ManualScoreInput, ManualScoreQuerySchema, ResultPage, ResultRow, ReviewManualScoreSchema, Scheme, SchemeQuerySchema, SchemeStatus, UpdateScheme,
} from '../../../../contracts/assessment.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { likeContaining, pageLimit, pageOffset, textArray } from '../../platform/sql.js';
import { findIndicatorSource } from './indicator-registry.js';
import { computeIndicatorValues } from './indicators-service.js';
import { pendingManualScores } from './todos.js';
import { canEnterManualScore, canManageScheme, canReadResults, canReviewManualScore, participatingSchemes, visibleIndicators, visibleManualScores } from './policy.js';

export { computeIndicatorValues, listIndicatorSources } from './indicators-service.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const num = (v: unknown) => (v == null ? null : Number(v));

// ---------- indicator library ----------

type IndicatorRow = {
  id: string; org_id: string; org_name: string; code: string; kind: 'computed' | 'manual'; source_code: string | null; name: string; formula: string;
  unit: IndicatorUnit; period_kind: Indicator['periodKind']; default_weight: string; higher_is_better: boolean; created_at: Time;
} & Row;

const indicatorColumns = sql`i.id::text, i.org_id::text, o.name as org_name, i.code, i.kind, i.source_code, i.name, i.formula, i.unit, i.period_kind,
  i.default_weight::text, i.higher_is_better, i.created_at`;

const toIndicator = (r: IndicatorRow): Indicator => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, code: r.code, kind: r.kind, sourceCode: r.source_code, name: r.name, formula: r.formula, unit: r.unit,
  periodKind: r.period_kind, defaultWeight: Number(r.default_weight), higherIsBetter: r.higher_is_better, createdAt: iso(r.created_at)!,
});

export async function listIndicators(db: Db, actor: Actor, query: z.infer<typeof IndicatorQuerySchema>) {
  const where = sql`i.archived_at is null and ${visibleIndicators(actor)}
    ${query.kind ? sql`and i.kind = ${query.kind}` : sql``}
    ${query.q ? sql`and (i.name like ${likeContaining(query.q)} or i.code like ${likeContaining(query.q)})` : sql``}`;
  const rows = await db.execute<IndicatorRow & { total: number }>(sql`
    select ${indicatorColumns}, count(*) over ()::int as total from assessment_indicators i join orgs o on o.id = i.org_id
     where ${where} order by nlevel(i.org_path), i.org_id, i.code ${pageLimit(query)}`);
  return { items: rows.rows.map(toIndicator), total: Number(rows.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function createIndicator(db: Db, actor: Actor, input: CreateIndicator): Promise<Indicator> {
  return db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId', notFoundKey: 'assessment.org_not_found' });
    let unit: IndicatorUnit = input.unit ?? 'score';
    let formula = input.formula ?? '';
    if (input.kind === 'computed') {
      const source = findIndicatorSource(input.sourceCode ?? '');
      if (!source) throw invalidField('sourceCode', 'assessment.unknown_source');
      unit = source.unit;
      formula = formula ? `${source.formula}\n${formula}` : source.formula;
    }
    const taken = await tx.execute(sql`select 1 from assessment_indicators where org_id = ${org.id} and code = ${input.code}`);
    if (taken.rows.length > 0) throw invalidField('code', 'assessment.code_taken');
    const id = (await tx.execute<{ id: string } & Row>(sql`
      insert into assessment_indicators (org_id, org_path, code, kind, source_code, name, formula, unit, period_kind, default_weight, higher_is_better, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.code}, ${input.kind}, ${input.kind === 'computed' ? input.sourceCode! : null}, ${input.name}, ${formula},
              ${unit}, ${input.periodKind}, ${input.defaultWeight}, ${input.higherIsBetter}, ${actor.userId})
      returning id::text`)).rows[0]!.id;
    await audit(tx, actor, { action: 'assessment.create_indicator', targetType: 'assessment_indicator', targetId: id, orgPath: org.path, detail: { code: input.code, name: input.name, kind: input.kind } });
    const row = (await tx.execute<IndicatorRow>(sql`select ${indicatorColumns} from assessment_indicators i join orgs o on o.id = i.org_id where i.id = ${id}`)).rows[0]!;
    return toIndicator(row);
  });
}

// ---------- schemes ----------

type SchemeRow = {
  id: string; org_id: string; org_path: string; org_name: string; name: string; period_start: string; period_end: string; status: SchemeStatus;
  computed_at: Time; frozen_at: Time; published_at: Time; org_count: number;
} & Row;

const schemeColumns = sql`s.id::text, s.org_id::text, s.org_path::text, o.name as org_name, s.name, s.period_start::text, s.period_end::text, s.status,
  s.computed_at, s.frozen_at, s.published_at, (select count(*)::int from scheme_orgs c where c.scheme_id = s.id) as org_count`;


async function findScheme(q: Queryable, actor: Actor, id: string, lock = false): Promise<SchemeRow> {
  const row = (await q.execute<SchemeRow>(sql`select ${schemeColumns} from assessment_schemes s join orgs o on o.id = s.org_id
    where s.id = ${id} and ${participatingSchemes(actor)} ${lock ? sql`for update of s` : sql``}`)).rows[0];
  if (!row) throw notFound('assessment.scheme_not_found');
  return row;
}

async function findManagedScheme(q: Queryable, actor: Actor, id: string, lock = false): Promise<SchemeRow> {
  const row = await findScheme(q, actor, id, lock);
  if (!canManageScheme(actor, { orgPath: row.org_path })) throw notFound('assessment.scheme_not_found');
  return row;
}

type SchemeIndicatorRow = {
  indicator_id: string; code: string; name: string; kind: 'computed' | 'manual'; source_code: string | null; unit: IndicatorUnit; higher_is_better: boolean;
  weight: string; target: string;
} & Row;

async function schemeIndicators(q: Queryable, schemeId: string): Promise<SchemeIndicatorRow[]> {
  return (await q.execute<SchemeIndicatorRow>(sql`
    select si.indicator_id::text, i.code, i.name, i.kind, i.source_code, i.unit, i.higher_is_better, si.weight::text, si.target::text
      from scheme_indicators si join assessment_indicators i on i.id = si.indicator_id
     where si.scheme_id = ${schemeId} order by si.position`)).rows;
}

function toSchemeSummary(actor: Actor, r: SchemeRow): Omit<Scheme, 'indicators'> {
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, periodStart: r.period_start, periodEnd: r.period_end, status: r.status,
    computedAt: iso(r.computed_at), frozenAt: iso(r.frozen_at), publishedAt: iso(r.published_at), orgCount: Number(r.org_count),
    canManage: canManageScheme(actor, { orgPath: r.org_path }),
  };
}

async function toScheme(q: Queryable, actor: Actor, r: SchemeRow): Promise<Scheme> {
  const indicators = await schemeIndicators(q, r.id);
  return {
    ...toSchemeSummary(actor, r),
    indicators: indicators.map((i) => ({
      indicatorId: i.indicator_id, code: i.code, name: i.name, kind: i.kind, sourceCode: i.source_code, unit: i.unit, higherIsBetter: i.higher_is_better,
      weight: Number(i.weight), target: Number(i.target),
    })),
  };
}

export async function listSchemes(db: Db, actor: Actor, query: z.infer<typeof SchemeQuerySchema>) {
  const rows = await db.execute<SchemeRow & { total: number }>(sql`
    select ${schemeColumns}, count(*) over ()::int as total from assessment_schemes s join orgs o on o.id = s.org_id
     where ${participatingSchemes(actor)} ${query.status ? sql`and s.status = ${query.status}` : sql``}
     order by s.period_end desc, s.id desc ${pageLimit(query)}`);
  return { items: rows.rows.map((r) => toSchemeSummary(actor, r)), total: Number(rows.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getScheme(db: Db, actor: Actor, id: string): Promise<Scheme> {
  return toScheme(db, actor, await findScheme(db, actor, id));
}

/** A rate earns the full score at 100 %, a manual score at 100; other amounts need their target. */
const defaultTarget = (unit: IndicatorUnit): number | null => (unit === 'rate' ? 1 : unit === 'score' ? 100 : null);

/** The scheme's indicators, each visible on the scheme's org's line, with its target (the unit's default when none is given). */
async function checkIndicators(tx: Queryable, actor: Actor, orgPath: string, input: CreateScheme['indicators']) {
  const ids = input.map((i) => i.indicatorId);
  const found = new Map((await tx.execute<{ id: string; unit: IndicatorUnit } & Row>(sql`
    select i.id::text, i.unit from assessment_indicators i
     where i.id = any(${textArray(ids)}::bigint[]) and i.archived_at is null
       and (${orgPath}::ltree <@ i.org_path or i.org_path <@ ${orgPath}::ltree) and ${visibleIndicators(actor)}`)).rows.map((r) => [r.id, r]));
  return input.map((i, k) => {
    const ind = found.get(i.indicatorId);
    if (!ind) throw invalidField(`indicators.${k}.indicatorId`, 'assessment.indicator_not_found');
    const target = i.target ?? defaultTarget(ind.unit);
    if (target === null) throw invalidField(`indicators.${k}.target`, 'assessment.target_required');
    return { ...i, target, position: k };
  });
}

async function checkOrgs(tx: Queryable, orgPath: string, input: string[]): Promise<string[]> {
  const orgIds = [...new Set(input)];
  const orgs = (await tx.execute<{ id: string; path: string } & Row>(sql`
    select id::text, path::text from orgs where id = any(${textArray(orgIds)}::bigint[]) and path <@ ${orgPath}::ltree and dissolved_at is null
     for share`)).rows;
  if (orgs.length !== orgIds.length) throw invalidField('orgIds', 'assessment.org_outside');
  return orgIds;
}

async function insertSchemeIndicators(tx: Queryable, schemeId: string, indicators: Awaited<ReturnType<typeof checkIndicators>>): Promise<void> {
  await tx.execute(sql`insert into scheme_indicators (scheme_id, indicator_id, position, weight, target)
    select ${schemeId}, x.id, x.position, x.weight, x.target
      from unnest(${textArray(indicators.map((i) => i.indicatorId))}::bigint[], ${textArray(indicators.map((i) => String(i.position)))}::int[],
                  ${textArray(indicators.map((i) => String(i.weight)))}::numeric[], ${textArray(indicators.map((i) => String(i.target)))}::numeric[])
           as x(id, position, weight, target)`);
}

async function insertSchemeOrgs(tx: Queryable, schemeId: string, orgIds: string[]): Promise<void> {
  await tx.execute(sql`insert into scheme_orgs (scheme_id, org_id, org_path)
    select ${schemeId}, o.id, o.path from orgs o where o.id = any(${textArray(orgIds)}::bigint[])`);
}

export async function createScheme(db: Db, actor: Actor, input: CreateScheme): Promise<Scheme> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId', notFoundKey: 'assessment.org_not_found' });
    const indicators = await checkIndicators(tx, actor, org.path, input.indicators);
    const orgIds = await checkOrgs(tx, org.path, input.orgIds);
    const schemeId = (await tx.execute<{ id: string } & Row>(sql`
      insert into assessment_schemes (org_id, org_path, name, period_start, period_end, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.periodStart}::date, ${input.periodEnd}::date, ${actor.userId}) returning id::text`)).rows[0]!.id;
    await insertSchemeIndicators(tx, schemeId, indicators);
    await insertSchemeOrgs(tx, schemeId, orgIds);
    await audit(tx, actor, {
      action: 'assessment.create_scheme', targetType: 'assessment_scheme', targetId: schemeId, orgPath: org.path,
      detail: { name: input.name, periodStart: input.periodStart, periodEnd: input.periodEnd, indicators: indicators.length, orgs: orgIds.length },
    });
    return schemeId;
  });
  return getScheme(db, actor, id);
}

/**
 * A scheme is corrected until its results are frozen. Computed results were worked out on the old
 * definition, so a change clears them and the scheme is a draft again; manual scores stay for the
 * indicators and orgs still assessed.
 */
export async function updateScheme(db: Db, actor: Actor, id: string, input: UpdateScheme): Promise<Scheme> {
  await db.transaction(async (tx) => {
    const scheme = await findManagedScheme(tx, actor, id, true);
    if (scheme.status === 'frozen' || scheme.status === 'published') throw conflict('assessment.frozen');
    const periodStart = input.periodStart ?? scheme.period_start;
    const periodEnd = input.periodEnd ?? scheme.period_end;
    if (periodEnd < periodStart) throw invalidField('periodEnd', 'assessment.period_order');
    const indicators = input.indicators ? await checkIndicators(tx, actor, scheme.org_path, input.indicators) : null;
    const orgIds = input.orgIds ? await checkOrgs(tx, scheme.org_path, input.orgIds) : null;
    await tx.execute(sql`update assessment_schemes set name = ${input.name ?? scheme.name}, period_start = ${periodStart}::date, period_end = ${periodEnd}::date,
      status = 'draft', computed_at = null, updated_at = now() where id = ${scheme.id}`);
    await tx.execute(sql`delete from assessment_totals where scheme_id = ${scheme.id}`);
    await tx.execute(sql`delete from assessment_scores where scheme_id = ${scheme.id}`);
    if (indicators) {
      await tx.execute(sql`delete from scheme_indicators where scheme_id = ${scheme.id}`);
      await insertSchemeIndicators(tx, scheme.id, indicators);
    }
    if (orgIds) {
      await tx.execute(sql`delete from scheme_orgs where scheme_id = ${scheme.id}`);
      await insertSchemeOrgs(tx, scheme.id, orgIds);
    }
    if (indicators || orgIds) {
      await tx.execute(sql`delete from manual_scores m where m.scheme_id = ${scheme.id}
        and (not exists (select 1 from scheme_indicators si where si.scheme_id = m.scheme_id and si.indicator_id = m.indicator_id)
             or not exists (select 1 from scheme_orgs so where so.scheme_id = m.scheme_id and so.org_id = m.org_id))`);
    }
    await audit(tx, actor, { action: 'assessment.update_scheme', targetType: 'assessment_scheme', targetId: scheme.id, orgPath: scheme.org_path,
      detail: { name: input.name ?? scheme.name, changed: Object.keys(input), wasStatus: scheme.status } });
  });
  return getScheme(db, actor, id);
}

/** A scheme goes while its results are not frozen: frozen and published results stay on record. */
export async function deleteScheme(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const scheme = await findManagedScheme(tx, actor, id, true);
    if (scheme.status === 'frozen' || scheme.status === 'published') throw conflict('assessment.frozen_kept');
    await tx.execute(sql`delete from assessment_schemes where id = ${scheme.id}`);
    await audit(tx, actor, { action: 'assessment.delete_scheme', targetType: 'assessment_scheme', targetId: scheme.id, orgPath: scheme.org_path,
      detail: { name: scheme.name, status: scheme.status } });
  });
}

/** score = min(value / target, 1) × 100 (or min(target / value, 1) × 100 when lower is better), to 2 dp; no data, no score. */
export function scoreOf(value: number | null, target: number, higherIsBetter: boolean): number | null {
  if (value === null) return null;
  const ratio = higherIsBetter ? value / target : value <= 0 ? 1 : target / value;
  return Math.round(Math.min(Math.max(ratio, 0), 1) * 10_000) / 100;
}

/** A numeric[] literal with NULLs, for one parameter. */
const numericArray = (values: readonly (number | null)[]) => `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;

/**
 * 计算: each indicator in one set-based pass for all the assessed orgs (a computed one from its source, a
 * manual one from its approved scores), its score and weighted contribution, then every org's total and
 * competition rank (equal totals share a rank: 1, 1, 3). Rewrites the results until the scheme is frozen.
 */
export async function computeScheme(db: Db, actor: Actor, id: string): Promise<Scheme> {
  await db.transaction((tx) => computeSchemeIn(tx, actor, id));
  return getScheme(db, actor, id);
}

/** 计算 inside the caller's transaction (the demo seeds its schemes this way). */
export async function computeSchemeIn(tx: Queryable, actor: Actor, id: string): Promise<void> {
  {
    const scheme = await findManagedScheme(tx, actor, id, true);
    if (scheme.status === 'frozen' || scheme.status === 'published') throw conflict('assessment.frozen');
    const orgs = (await tx.execute<{ id: string; path: string } & Row>(sql`
      select org_id::text as id, org_path::text as path from scheme_orgs where scheme_id = ${id} order by org_path`)).rows;
    const pathOf = new Map(orgs.map((o) => [o.id, o.path]));
    const indicators = await schemeIndicators(tx, id);
    const totalWeight = indicators.reduce((s, i) => s + Number(i.weight), 0);
    const period = { from: scheme.period_start, to: scheme.period_end };
    const out = { org: [] as string[], path: [] as string[], indicator: [] as string[], value: [] as (number | null)[], numerator: [] as (number | null)[],
      denominator: [] as (number | null)[], score: [] as (number | null)[], contribution: [] as number[] };
    for (const ind of indicators) {
      const values = ind.kind === 'computed'
        ? await computeIndicatorValues(tx, ind.source_code!, orgs, period)
        : await approvedManualValues(tx, id, ind.indicator_id, orgs);
      for (const v of values) {
        const score = scoreOf(v.value, Number(ind.target), ind.higher_is_better);
        out.org.push(v.orgId);
        out.path.push(pathOf.get(v.orgId)!);
        out.indicator.push(ind.indicator_id);
        out.value.push(v.value);
        out.numerator.push(v.numerator);
        out.denominator.push(v.denominator);
        out.score.push(score);
        out.contribution.push(score === null ? 0 : Math.round((score * Number(ind.weight) / totalWeight) * 10_000) / 10_000);
      }
    }
    await tx.execute(sql`delete from assessment_totals where scheme_id = ${id}`);
    await tx.execute(sql`delete from assessment_scores where scheme_id = ${id}`);
    if (out.org.length > 0) {
      await tx.execute(sql`insert into assessment_scores (scheme_id, org_id, org_path, indicator_id, value, numerator, denominator, score, contribution)
        select ${id}, x.org_id, x.org_path, x.indicator_id, x.value, x.numerator, x.denominator, x.score, x.contribution
          from unnest(${textArray(out.org)}::bigint[], ${textArray(out.path)}::ltree[], ${textArray(out.indicator)}::bigint[], ${numericArray(out.value)}::numeric[],
                      ${numericArray(out.numerator)}::numeric[], ${numericArray(out.denominator)}::numeric[], ${numericArray(out.score)}::numeric[],
                      ${numericArray(out.contribution)}::numeric[])
               as x(org_id, org_path, indicator_id, value, numerator, denominator, score, contribution)`);
    }
    await tx.execute(sql`insert into assessment_totals (scheme_id, org_id, org_path, total, rank)
      select ${id}, t.org_id, t.org_path, t.total, rank() over (order by t.total desc)
        from (select so.org_id, so.org_path, round(coalesce(sum(sc.contribution), 0), 2) as total
                from scheme_orgs so left join assessment_scores sc on sc.scheme_id = so.scheme_id and sc.org_id = so.org_id
               where so.scheme_id = ${id} group by so.org_id, so.org_path) t`);
    await tx.execute(sql`update assessment_schemes set status = 'computed', computed_at = now(), updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'assessment.compute', targetType: 'assessment_scheme', targetId: id, orgPath: scheme.org_path, detail: { name: scheme.name, orgs: orgs.length, indicators: indicators.length } });
  }
}

async function approvedManualValues(q: Queryable, schemeId: string, indicatorId: string, orgs: { id: string }[]) {
  const found = new Map((await q.execute<{ org_id: string; value: string } & Row>(sql`
    select org_id::text, value::text from manual_scores where scheme_id = ${schemeId} and indicator_id = ${indicatorId} and review_status = 'approved'`))
    .rows.map((r) => [r.org_id, Number(r.value)]));
  return orgs.map((o) => {
    const value = found.get(o.id) ?? null;
    return { orgId: o.id, value, numerator: value, denominator: null };
  });
}

async function moveScheme(db: Db, actor: Actor, id: string, from: SchemeStatus, to: 'frozen' | 'published', refusal: string): Promise<Scheme> {
  await db.transaction(async (tx) => {
    const scheme = await findManagedScheme(tx, actor, id, true);
    if (scheme.status !== from) throw conflict(refusal);
    await tx.execute(to === 'frozen'
      ? sql`update assessment_schemes set status = 'frozen', frozen_at = now(), updated_at = now() where id = ${id}`
      : sql`update assessment_schemes set status = 'published', published_at = now(), updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: to === 'frozen' ? 'assessment.freeze' : 'assessment.publish', targetType: 'assessment_scheme', targetId: id, orgPath: scheme.org_path, detail: { name: scheme.name } });
  });
  return getScheme(db, actor, id);
}

/** 冻结: the results stand as computed; no more 计算 and no more manual scores. */
export const freezeScheme = (db: Db, actor: Actor, id: string) => moveScheme(db, actor, id, 'computed', 'frozen', 'assessment.not_computed');
/** 发布: the frozen results become visible to the admins of the assessed orgs. */
export const publishScheme = (db: Db, actor: Actor, id: string) => moveScheme(db, actor, id, 'frozen', 'published', 'assessment.not_frozen');

/** The results are read by the scheme's managers, and by the assessed orgs' admins once published. */
export async function findSchemeWithResults(q: Queryable, actor: Actor, id: string): Promise<SchemeRow> {
  const scheme = await findScheme(q, actor, id);
  if (!canReadResults(actor, { orgPath: scheme.org_path, status: scheme.status })) throw notFound('assessment.scheme_not_found');
  return scheme;
}

type ScoreRow = { org_id: string; indicator_id: string; value: string | null; numerator: string | null; denominator: string | null; score: string | null; contribution: string } & Row;

export async function resultsOf(q: Queryable, schemeId: string, page: { offset: number; limit: number }): Promise<{ items: ResultRow[]; total: number }> {
  const totals = (await q.execute<{ org_id: string; org_name: string; total: string; rank: number; n: number } & Row>(sql`
    select t.org_id::text, o.name as org_name, t.total::text, t.rank, count(*) over ()::int as n
      from assessment_totals t join orgs o on o.id = t.org_id
     where t.scheme_id = ${schemeId} order by t.rank, o.path limit ${page.limit} offset ${page.offset}`)).rows;
  const scores = totals.length === 0 ? [] : (await q.execute<ScoreRow>(sql`
    select sc.org_id::text, sc.indicator_id::text, sc.value::text, sc.numerator::text, sc.denominator::text, sc.score::text, sc.contribution::text
      from assessment_scores sc join scheme_indicators si on si.scheme_id = sc.scheme_id and si.indicator_id = sc.indicator_id
     where sc.scheme_id = ${schemeId} and sc.org_id = any(${textArray(totals.map((t) => t.org_id))}::bigint[]) order by si.position`)).rows;
  const byOrg = new Map<string, ResultRow['scores']>();
  for (const s of scores) {
    const list = byOrg.get(s.org_id) ?? [];
    list.push({ indicatorId: s.indicator_id, value: num(s.value), numerator: num(s.numerator), denominator: num(s.denominator), score: num(s.score), contribution: Number(s.contribution) });
    byOrg.set(s.org_id, list);
  }
  return {
    items: totals.map((t) => ({ orgId: t.org_id, orgName: t.org_name, total: Number(t.total), rank: Number(t.rank), scores: byOrg.get(t.org_id) ?? [] })),
    total: Number(totals[0]?.n ?? 0),
  };
}

export async function getResults(db: Db, actor: Actor, id: string, query: { page: number; pageSize: number }): Promise<ResultPage> {
  const scheme = await findSchemeWithResults(db, actor, id);
  const { items, total } = await resultsOf(db, id, { offset: pageOffset(query), limit: query.pageSize });
  return { items, total, page: query.page, pageSize: query.pageSize, scheme: await toScheme(db, actor, scheme) };
}

export { schemeIndicators };

// ---------- manual scores ----------

type ManualRow = {
  id: string; scheme_id: string; indicator_id: string; indicator_name: string; org_id: string; org_name: string; value: string; evidence_text: string;
  evidence_links: string[]; entered_by: string; entered_by_name: string; entered_at: Time; review_status: ManualScore['reviewStatus'];
  reviewed_by_name: string | null; reviewed_at: Time; review_note: string | null; scheme_path: string;
} & Row;

const manualColumns = sql`ms.id::text, ms.scheme_id::text, ms.indicator_id::text, i.name as indicator_name, ms.org_id::text, o.name as org_name,
  ms.value::text, ms.evidence_text, ms.evidence_links, ms.entered_by::text, eu.display_name as entered_by_name, ms.entered_at, ms.review_status,
  ru.display_name as reviewed_by_name, ms.reviewed_at, ms.review_note, s.org_path::text as scheme_path`;
const manualFrom = sql`manual_scores ms join assessment_schemes s on s.id = ms.scheme_id join assessment_indicators i on i.id = ms.indicator_id
  join orgs o on o.id = ms.org_id join users eu on eu.id = ms.entered_by left join users ru on ru.id = ms.reviewed_by`;

const toManualScore = (actor: Actor, r: ManualRow): ManualScore => ({
  id: r.id, schemeId: r.scheme_id, indicatorId: r.indicator_id, indicatorName: r.indicator_name, orgId: r.org_id, orgName: r.org_name, value: Number(r.value),
  evidenceText: r.evidence_text, evidenceLinks: r.evidence_links, enteredBy: r.entered_by_name, enteredAt: iso(r.entered_at)!, reviewStatus: r.review_status,
  reviewedBy: r.reviewed_by_name, reviewedAt: iso(r.reviewed_at), reviewNote: r.review_note,
  canReview: canReviewManualScore(actor, { orgPath: r.scheme_path }, { enteredBy: r.entered_by, reviewStatus: r.review_status }),
});

export async function listManualScores(db: Db, actor: Actor, schemeId: string, query: z.infer<typeof ManualScoreQuerySchema>) {
  await findScheme(db, actor, schemeId);
  const root = query.orgId ? sql`${(await managedOrg(db, actor, query.orgId, { allowDissolved: true })).path}::ltree` : null;
  const filters: SQL[] = query.reviewStatus === 'pending' ? [pendingManualScores(root)]
    : [...(query.reviewStatus ? [sql`ms.review_status = ${query.reviewStatus}`] : []), ...(root ? [sql`ms.org_path <@ ${root}`] : [])];
  const rows = await db.execute<ManualRow & { total: number }>(sql`
    select ${manualColumns}, count(*) over ()::int as total from ${manualFrom}
     where ms.scheme_id = ${schemeId} and ${visibleManualScores(actor)} ${sql.join(filters.map((f) => sql`and ${f}`), sql` `)}
     order by ms.entered_at desc, ms.id desc ${pageLimit(query)}`);
  return { items: rows.rows.map((r) => toManualScore(actor, r)), total: Number(rows.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

async function getManualScore(q: Queryable, actor: Actor, id: string): Promise<ManualScore> {
  const row = (await q.execute<ManualRow>(sql`select ${manualColumns} from ${manualFrom} where ms.id = ${id}`)).rows[0]!;
  return toManualScore(actor, row);
}

/** 填报: a value with its evidence, for a manual indicator of the scheme and an assessed org; waits for review. */
export async function enterManualScore(db: Db, actor: Actor, schemeId: string, input: ManualScoreInput): Promise<ManualScore> {
  const id = await db.transaction(async (tx) => {
    const scheme = await findScheme(tx, actor, schemeId, true);
    if (scheme.status === 'frozen' || scheme.status === 'published') throw conflict('assessment.frozen');
    const indicator = (await tx.execute<{ kind: string } & Row>(sql`select i.kind from scheme_indicators si join assessment_indicators i on i.id = si.indicator_id
      where si.scheme_id = ${schemeId} and si.indicator_id = ${input.indicatorId}`)).rows[0];
    if (!indicator || indicator.kind !== 'manual') throw invalidField('indicatorId', 'assessment.indicator_not_manual');
    const org = (await tx.execute<{ path: string } & Row>(sql`select org_path::text as path from scheme_orgs where scheme_id = ${schemeId} and org_id = ${input.orgId}`)).rows[0];
    if (!org || !canEnterManualScore(actor, { orgPath: scheme.org_path }, org)) throw invalidField('orgId', 'assessment.org_not_assessed');
    const scoreId = (await tx.execute<{ id: string } & Row>(sql`
      insert into manual_scores (scheme_id, indicator_id, org_id, org_path, value, evidence_text, evidence_links, entered_by)
      values (${schemeId}, ${input.indicatorId}, ${input.orgId}, ${org.path}::ltree, ${input.value}, ${input.evidenceText}, ${JSON.stringify(input.evidenceLinks)}::jsonb, ${actor.userId})
      on conflict (scheme_id, indicator_id, org_id) do update set value = excluded.value, evidence_text = excluded.evidence_text,
        evidence_links = excluded.evidence_links, entered_by = excluded.entered_by, entered_at = now(), review_status = 'pending',
        reviewed_by = null, reviewed_at = null, review_note = null
      returning id::text`)).rows[0]!.id;
    await audit(tx, actor, { action: 'assessment.enter_score', targetType: 'assessment_scheme', targetId: schemeId, orgPath: org.path, detail: { manualScoreId: scoreId, indicatorId: input.indicatorId, orgId: input.orgId, value: input.value } });
    return scoreId;
  });
  return getManualScore(db, actor, id);
}

/** 审核: a manager of the scheme other than the one who entered the value approves it (it counts at the next 计算) or rejects it. */
export async function reviewManualScore(db: Db, actor: Actor, id: string, input: z.infer<typeof ReviewManualScoreSchema>): Promise<ManualScore> {
  await db.transaction(async (tx) => {
    const row = (await tx.execute<{ scheme_id: string; scheme_path: string; status: SchemeStatus; entered_by: string; review_status: string; org_path: string } & Row>(sql`
      select ms.scheme_id::text, s.org_path::text as scheme_path, s.status, ms.entered_by::text, ms.review_status, ms.org_path::text
        from manual_scores ms join assessment_schemes s on s.id = ms.scheme_id
       where ms.id = ${id} and ${visibleManualScores(actor)} for update of ms, s`)).rows[0];
    if (!row || !canManageScheme(actor, { orgPath: row.scheme_path })) throw notFound('assessment.score_not_found');
    if (row.status === 'frozen' || row.status === 'published') throw conflict('assessment.frozen');
    if (row.review_status !== 'pending') throw conflict('assessment.already_reviewed');
    if (!canReviewManualScore(actor, { orgPath: row.scheme_path }, { enteredBy: row.entered_by, reviewStatus: row.review_status })) throw conflict('assessment.own_entry');
    await tx.execute(sql`update manual_scores set review_status = ${input.decision}, reviewed_by = ${actor.userId}, reviewed_at = now(), review_note = ${input.note ?? null}
      where id = ${id}`);
    await audit(tx, actor, { action: 'assessment.review_score', targetType: 'assessment_scheme', targetId: row.scheme_id, orgPath: row.org_path, detail: { manualScoreId: id, decision: input.decision } });
  });
  return getManualScore(db, actor, id);
}

// ---------- drill-down ----------

/** The records behind an org's computed value for the period: the same query as the value, a page at a time. */
export async function indicatorRecords(db: Db, actor: Actor, code: string, query: z.infer<typeof IndicatorRecordsQuerySchema>): Promise<IndicatorRecordPage> {
  const source = findIndicatorSource(code);
  if (!source) throw notFound('assessment.unknown_source');
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true, notFoundKey: 'assessment.org_not_found' });
  const { items, total } = await source.records(db, { id: org.id, path: org.path }, { from: query.from, to: query.to },
    { offset: pageOffset(query), limit: query.pageSize, onlyCounted: !!query.counted });
  return { items, total, page: query.page, pageSize: query.pageSize };
}
