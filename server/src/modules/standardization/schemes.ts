import { sql, type SQL } from 'drizzle-orm';
import type {
  CreateScheme, Criterion, Grade, IndicatorOption, LaunchRounds, Scheme, SchemePage, SchemeQuery, SchemeStatus, SchemeSummary, UpdateScheme,
} from '../../../../contracts/standardization.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { conflict, invalidField, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { listIndicatorSources } from '../assessment/indicators-service.js';
import { indicatorInfo } from './grading.js';
import { canManageScheme, roundsInScope, visibleSchemes } from './policy.js';

type Row = Record<string, unknown>;

export type SchemeRow = {
  id: string; org_id: string; org_path: string; org_name: string; year: number; name: string; status: SchemeStatus; grades: Grade[] | string;
  criteria_count: number; round_count: number;
} & Row;

export const parseGrades = (grades: Grade[] | string): Grade[] => (typeof grades === 'string' ? (JSON.parse(grades) as Grade[]) : grades);

const schemeSelect = (actor: Actor) => sql`select s.id::text, s.org_id::text, s.org_path::text, o.name as org_name, s.year, s.name, s.status, s.grades,
  (select count(*)::int from grading_criteria c where c.scheme_id = s.id) as criteria_count,
  (select count(*)::int from grading_rounds r where r.scheme_id = s.id and r.superseded_at is null and ${roundsInScope(actor, 'r')}) as round_count
  from grading_schemes s join orgs o on o.id = s.org_id`;

const toSummary = (actor: Actor, r: SchemeRow): SchemeSummary => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, year: Number(r.year), name: r.name, status: r.status, grades: parseGrades(r.grades),
  criteriaCount: Number(r.criteria_count), roundCount: Number(r.round_count), canManage: canManageScheme(actor, { orgPath: r.org_path }),
});

export function listIndicatorOptions(): { items: IndicatorOption[] } {
  return { items: listIndicatorSources().map((s) => ({ code: s.code, name: s.name, unit: s.unit, formula: s.formula })) };
}

export async function listSchemes(db: Db, actor: Actor, query: SchemeQuery): Promise<SchemePage> {
  const conditions: SQL[] = [visibleSchemes(actor)];
  if (query.year) conditions.push(sql`s.year = ${query.year}`);
  if (query.status) conditions.push(sql`s.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<SchemeRow>(sql`${schemeSelect(actor)} where ${where} order by s.year desc, nlevel(s.org_path), s.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from grading_schemes s where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toSummary(actor, r)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function findScheme(q: Queryable, actor: Actor, id: string, options: { lock?: boolean; field?: string } = {}): Promise<SchemeRow> {
  const row = (await q.execute<SchemeRow>(sql`${schemeSelect(actor)} where s.id = ${id} and ${visibleSchemes(actor)}${options.lock ? sql` for update of s` : sql``}`)).rows[0];
  if (!row) throw options.field ? invalidField(options.field, 'standardization.scheme_not_found') : notFound('standardization.scheme_not_found');
  return row;
}

type CriterionRow = {
  id: string; position: number; text: string; kind: 'computed' | 'evidenced'; indicator_code: string | null; threshold: string | number | null;
  required_for_level: number | null; points: number;
} & Row;

export const toCriterion = (r: CriterionRow): Criterion => {
  const info = indicatorInfo(r.indicator_code);
  return {
    id: r.id, position: Number(r.position), text: r.text, kind: r.kind, indicatorCode: r.indicator_code, indicatorName: info?.name ?? null, indicatorUnit: info?.unit ?? null,
    threshold: r.threshold === null ? null : Number(r.threshold), requiredForLevel: r.required_for_level === null ? null : Number(r.required_for_level), points: Number(r.points),
  };
};

export async function criteriaOf(q: Queryable, schemeId: string): Promise<Criterion[]> {
  const rows = await q.execute<CriterionRow>(sql`select id::text, position, text, kind, indicator_code, threshold, required_for_level, points
    from grading_criteria where scheme_id = ${schemeId} order by position`);
  return rows.rows.map(toCriterion);
}

export async function getScheme(db: Queryable, actor: Actor, id: string): Promise<Scheme> {
  const row = await findScheme(db, actor, id);
  return { ...toSummary(actor, row), criteria: await criteriaOf(db, id) };
}

/** Grades best first (level = position + 1), and criteria whose computed indicator exists and whose required grade is one of them. */
function checkedContent(input: UpdateScheme): Grade[] {
  const problems: Record<string, FieldProblem> = {};
  const names = new Set<string>();
  input.grades.forEach((g, i) => {
    if (names.has(g.name)) problems[`grades.${i}.name`] = { key: 'standardization.grade_repeated' };
    names.add(g.name);
  });
  input.criteria.forEach((c, i) => {
    if (c.kind === 'computed') {
      if (!c.indicatorCode || !indicatorInfo(c.indicatorCode)) problems[`criteria.${i}.indicatorCode`] = { key: 'standardization.unknown_indicator' };
      if (c.threshold === null || c.threshold === undefined) problems[`criteria.${i}.threshold`] = { key: 'standardization.threshold_required' };
    }
    if (c.requiredForLevel && c.requiredForLevel > input.grades.length) problems[`criteria.${i}.requiredForLevel`] = { key: 'standardization.no_such_grade' };
  });
  if (Object.keys(problems).length) throw invalidFields(problems);
  return input.grades.map((g, i) => ({ level: i + 1, name: g.name, isLow: g.isLow, minPoints: g.minPoints ?? null }));
}

async function insertCriteria(tx: Tx, schemeId: string, input: UpdateScheme): Promise<void> {
  if (input.criteria.length === 0) return;
  await tx.execute(sql`insert into grading_criteria (scheme_id, position, text, kind, indicator_code, threshold, required_for_level, points) values
    ${sql.join(input.criteria.map((c, i) => sql`(${schemeId}, ${i + 1}, ${c.text}, ${c.kind}, ${c.kind === 'computed' ? c.indicatorCode! : null},
      ${c.kind === 'computed' ? c.threshold! : null}, ${c.requiredForLevel ?? null}, ${c.points})`), sql`, `)}`);
}

export async function createScheme(db: Db, actor: Actor, input: CreateScheme): Promise<Scheme> {
  const grades = checkedContent(input);
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const row = (await tx.execute<{ id: string } & Row>(sql`insert into grading_schemes (org_id, org_path, year, name, grades, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.year}, ${input.name}, ${JSON.stringify(grades)}::jsonb, ${actor.userId}) returning id::text`)).rows[0]!;
    await insertCriteria(tx, row.id, input);
    await audit(tx, actor, { action: 'standardization.create_scheme', targetType: 'grading_scheme', targetId: row.id, orgPath: org.path, detail: { name: input.name, year: input.year } });
    return row.id;
  });
  return getScheme(db, actor, id);
}

async function managedScheme(tx: Tx, actor: Actor, id: string): Promise<SchemeRow> {
  const scheme = await findScheme(tx, actor, id, { lock: true });
  if (!canManageScheme(actor, { orgPath: scheme.org_path })) throw notFound('standardization.scheme_not_found');
  return scheme;
}

export async function updateScheme(db: Db, actor: Actor, id: string, input: UpdateScheme): Promise<Scheme> {
  const grades = checkedContent(input);
  await db.transaction(async (tx) => {
    const scheme = await managedScheme(tx, actor, id);
    if (scheme.status !== 'draft') throw conflict('standardization.scheme_not_draft');
    await tx.execute(sql`update grading_schemes set name = ${input.name}, year = ${input.year}, grades = ${JSON.stringify(grades)}::jsonb where id = ${id}`);
    await tx.execute(sql`delete from grading_criteria where scheme_id = ${id}`);
    await insertCriteria(tx, id, input);
    await audit(tx, actor, { action: 'standardization.update_scheme', targetType: 'grading_scheme', targetId: id, orgPath: scheme.org_path, detail: { name: input.name } });
  });
  return getScheme(db, actor, id);
}

/** A scheme goes while no branch has been graded on it (a draft, or active with no round launched yet). */
export async function deleteScheme(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const scheme = await managedScheme(tx, actor, id);
    const used = await tx.execute(sql`select 1 from grading_rounds where scheme_id = ${id} limit 1`);
    if (used.rows.length > 0) throw conflict('standardization.scheme_used');
    await tx.execute(sql`delete from grading_schemes where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.delete_scheme', targetType: 'grading_scheme', targetId: id, orgPath: scheme.org_path,
      detail: { name: scheme.name, year: Number(scheme.year), status: scheme.status } });
  });
}

export async function activateScheme(db: Db, actor: Actor, id: string): Promise<Scheme> {
  await db.transaction(async (tx) => {
    const scheme = await managedScheme(tx, actor, id);
    if (scheme.status !== 'draft') throw conflict('standardization.scheme_not_draft');
    if (Number(scheme.criteria_count) === 0) throw conflict('standardization.scheme_empty');
    await tx.execute(sql`update grading_schemes set status = 'active', activated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.activate_scheme', targetType: 'grading_scheme', targetId: id, orgPath: scheme.org_path, detail: { name: scheme.name } });
  });
  return getScheme(db, actor, id);
}

export async function archiveScheme(db: Db, actor: Actor, id: string): Promise<Scheme> {
  await db.transaction(async (tx) => {
    const scheme = await managedScheme(tx, actor, id);
    if (scheme.status !== 'active') throw conflict('standardization.scheme_not_active');
    await tx.execute(sql`update grading_schemes set status = 'archived' where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.archive_scheme', targetType: 'grading_scheme', targetId: id, orgPath: scheme.org_path, detail: { name: scheme.name } });
  });
  return getScheme(db, actor, id);
}

/** Inserts each round's checks (one per criterion of its scheme), in one statement. */
export async function insertChecks(tx: Tx, roundIds: string[]): Promise<void> {
  if (roundIds.length === 0) return;
  await tx.execute(sql`insert into grading_checks (round_id, criterion_id)
    select r.id, c.id from grading_rounds r join grading_criteria c on c.scheme_id = r.scheme_id where r.id = any(${textArray(roundIds)}::bigint[])`);
}

/**
 * Opens a round of an active scheme for branches under its org: the ones named, or every branch
 * (党支部, 临时党支部) under it that has no current round of the scheme yet.
 */
export async function launchRounds(db: Db, actor: Actor, id: string, input: LaunchRounds): Promise<{ created: number }> {
  return db.transaction(async (tx) => {
    const scheme = await managedScheme(tx, actor, id);
    if (scheme.status !== 'active') throw conflict('standardization.scheme_not_active');
    let targets: SQL;
    if (input.orgIds) {
      const ids = [...new Set(input.orgIds)];
      const found = await tx.execute<{ id: string } & Row>(sql`select id::text from orgs where id = any(${textArray(ids)}::bigint[])
        and path <@ ${scheme.org_path}::ltree and path <> ${scheme.org_path}::ltree and dissolved_at is null for share`);
      if (found.rows.length !== ids.length) throw invalidField('orgIds', 'standardization.not_below_scheme');
      targets = sql`o.id = any(${textArray(ids)}::bigint[])`;
    } else {
      targets = sql`o.path <@ ${scheme.org_path}::ltree and o.path <> ${scheme.org_path}::ltree and o.type in ('branch', 'temporary_branch') and o.dissolved_at is null`;
    }
    const created = await tx.execute<{ id: string } & Row>(sql`insert into grading_rounds (scheme_id, org_id, org_path, created_by)
      select ${id}, o.id, o.path, ${actor.userId} from orgs o
       where ${targets} and not exists (select 1 from grading_rounds r where r.scheme_id = ${id} and r.org_id = o.id and r.superseded_at is null)
       order by o.path
      returning id::text`);
    const roundIds = created.rows.map((r) => r.id);
    await insertChecks(tx, roundIds);
    await audit(tx, actor, { action: 'standardization.launch_rounds', targetType: 'grading_scheme', targetId: id, orgPath: scheme.org_path, detail: { name: scheme.name, created: roundIds.length } });
    return { created: roundIds.length };
  });
}
