import { sql, type SQL } from 'drizzle-orm';
import type {
  Check, Grade, Reason, Rereview, Review, Round, RoundDistribution, RoundPage, RoundQuery, RoundStatus, RoundSummary, RoundSummaryQuery, SelfAssessment,
} from '../../../../contracts/standardization.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { conflict, forbidden, invalidField, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit } from '../../platform/sql.js';
import { computedValues, meetsThreshold, periodOfYear, recordsLink, suggestLevel } from './grading.js';
import { awaitingBranch, awaitingReviewBy, canReviewRound, isAboveBranch, isBranchSide, pathInScope, roundsInScope, type PolicyRound } from './policy.js';
import { rectificationsOf } from './rectifications.js';
import { roundsWaiting } from './todos.js';
import { criteriaOf, findScheme, insertChecks, parseGrades } from './schemes.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export type RoundRow = {
  id: string; scheme_id: string; scheme_name: string; year: number; grades: Grade[] | string; org_id: string; org_path: string; org_name: string;
  status: RoundStatus; proposed_level: number | null; grade_level: number | null; grade_name: string | null; grade_is_low: boolean | null;
  appealed_at: Time; previous_round_id: string | null; superseded_at: Time; submitted_at: Time; published_at: Time; open_rectifications: number;
  submitted_by: string | null; reviewed_by: string | null; self_summary: string | null; return_reason: string | null; review_comment: string | null;
  reviewer_name: string | null; reviewed_at: Time; appeal_reason: string | null; appeal_response: string | null; original_grade_level: number | null; final_at: Time;
} & Row;

const roundColumns = sql`r.id::text, r.scheme_id::text, s.name as scheme_name, s.year, s.grades, r.org_id::text, r.org_path::text, o.name as org_name, r.status,
  r.proposed_level, r.grade_level, r.grade_name, r.grade_is_low, r.appealed_at, r.previous_round_id::text, r.superseded_at, r.submitted_at, r.published_at,
  (select count(*)::int from grading_rectifications t where t.round_id = r.id and t.status = 'open') as open_rectifications,
  r.submitted_by::text, r.reviewed_by::text, r.self_summary, r.return_reason, r.review_comment, r.reviewer_name, r.reviewed_at, r.appeal_reason,
  r.appeal_response, r.original_grade_level, r.final_at`;
const roundFrom = sql`grading_rounds r join grading_schemes s on s.id = r.scheme_id join orgs o on o.id = r.org_id`;

const policyRound = (r: RoundRow): PolicyRound => ({ orgPath: r.org_path, submittedBy: r.submitted_by, reviewedBy: r.reviewed_by });

const toSummary = (r: RoundRow): RoundSummary => ({
  id: r.id, schemeId: r.scheme_id, schemeName: r.scheme_name, year: Number(r.year), orgId: r.org_id, orgName: r.org_name, status: r.status,
  proposedLevel: num(r.proposed_level), gradeLevel: num(r.grade_level), gradeName: r.grade_name, gradeIsLow: r.grade_is_low, appealed: r.appealed_at !== null,
  previousRoundId: r.previous_round_id, superseded: r.superseded_at !== null, submittedAt: iso(r.submitted_at), publishedAt: iso(r.published_at),
  openRectifications: Number(r.open_rectifications),
});

/** The filters a list and its distribution share, so that a figure is the total of the list it opens. */
async function roundConditions(q: Queryable, actor: Actor, query: { schemeId?: string; orgId?: string; includeSuperseded?: '0' | '1' }): Promise<SQL[]> {
  const conditions: SQL[] = [roundsInScope(actor, 'r')];
  if (query.schemeId) conditions.push(sql`r.scheme_id = ${query.schemeId}`);
  if (query.orgId) {
    const org = await managedOrg(q, actor, query.orgId, { allowDissolved: true });
    conditions.push(sql`r.org_path <@ ${org.path}::ltree`);
  }
  if (query.includeSuperseded !== '1') conditions.push(sql`r.superseded_at is null`);
  return conditions;
}

export async function listRounds(db: Db, actor: Actor, query: RoundQuery): Promise<RoundPage> {
  const conditions = await roundConditions(db, actor, query);
  if (query.waiting) {
    const root = query.orgId ? (await managedOrg(db, actor, query.orgId, { allowDissolved: true })).path : null;
    conditions.push(roundsWaiting(query.waiting, root, (path) => pathInScope(actor, path)));
  }
  if (query.status) conditions.push(sql`r.status = ${query.status}`);
  if (query.gradeLevel) conditions.push(sql`r.status = 'published' and r.grade_level = ${query.gradeLevel}`);
  if (query.view === 'review') conditions.push(awaitingReviewBy(actor));
  if (query.view === 'branch') conditions.push(awaitingBranch(actor));
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<RoundRow>(sql`select ${roundColumns} from ${roundFrom} where ${where} order by s.year desc, r.org_path, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from grading_rounds r where ${where}`),
  ]);
  return { items: rows.rows.map(toSummary), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** A scheme's current rounds in a subtree, by status and (published) by grade: one GROUP BY over the list's own filter. */
export async function roundDistribution(db: Db, actor: Actor, query: RoundSummaryQuery): Promise<RoundDistribution> {
  const scheme = await findScheme(db, actor, query.schemeId);
  const where = sql.join(await roundConditions(db, actor, query), sql` and `);
  const rows = await db.execute<{ status: RoundStatus; grade_level: number | null; n: number } & Row>(sql`
    select r.status, case when r.status = 'published' then r.grade_level end as grade_level, count(*)::int as n
      from grading_rounds r where ${where} group by 1, 2`);
  const byStatus = new Map<RoundStatus, number>();
  const byGrade = new Map<number, number>();
  let total = 0;
  for (const r of rows.rows) {
    const n = Number(r.n);
    total += n;
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + n);
    if (r.grade_level !== null) byGrade.set(Number(r.grade_level), (byGrade.get(Number(r.grade_level)) ?? 0) + n);
  }
  const statuses: RoundStatus[] = ['self_assessing', 'submitted', 'graded', 'appealed', 'final', 'published'];
  return {
    total,
    byStatus: statuses.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
    byGrade: parseGrades(scheme.grades).map((g) => ({ level: g.level, name: g.name, isLow: g.isLow, count: byGrade.get(g.level) ?? 0 })),
  };
}

export async function findRound(q: Queryable, actor: Actor, id: string, lock = false): Promise<RoundRow> {
  const row = (await q.execute<RoundRow>(sql`select ${roundColumns} from ${roundFrom}
    where r.id = ${id} and ${roundsInScope(actor, 'r')}${lock ? sql` for update of r` : sql``}`)).rows[0];
  if (!row) throw notFound('standardization.round_not_found');
  return row;
}

type CheckRow = {
  criterion_id: string; self_met: boolean | null; evidence: string | null; computed_numerator: string | null; computed_denominator: string | null;
  computed_value: string | null; review_met: boolean | null; review_comment: string | null;
} & Row;

/** The round's checks in the scheme's order, with the computed criteria's values (live while the branch assesses itself). */
async function checksOf(q: Queryable, r: RoundRow): Promise<Check[]> {
  const [criteria, stored, files] = await Promise.all([
    criteriaOf(q, r.scheme_id),
    q.execute<CheckRow>(sql`select criterion_id::text, self_met, evidence, computed_numerator, computed_denominator, computed_value, review_met, review_comment
      from grading_checks where round_id = ${r.id}`),
    q.execute<{ id: string; criterion_id: string; file_name: string; mime_type: string; size_bytes: number } & Row>(sql`
      select id::text, criterion_id::text, file_name, mime_type, size_bytes from grading_evidence_files where round_id = ${r.id} order by id`),
  ]);
  const byCriterion = new Map(stored.rows.map((c) => [c.criterion_id, c]));
  const period = periodOfYear(Number(r.year));
  const live = r.status === 'self_assessing' ? await computedValues(q, criteria, { id: r.org_id, path: r.org_path }, period) : new Map();
  return criteria.map((c) => {
    const s = byCriterion.get(c.id);
    const computed = c.kind === 'computed';
    const value = live.get(c.id) ?? (s?.computed_numerator != null ? { value: num(s.computed_value), numerator: Number(s.computed_numerator), denominator: num(s.computed_denominator) } : null);
    return {
      criterionId: c.id, text: c.text, kind: c.kind, requiredForLevel: c.requiredForLevel, points: c.points, indicatorCode: c.indicatorCode, indicatorName: c.indicatorName, indicatorUnit: c.indicatorUnit,
      threshold: c.threshold, value: value?.value ?? null, numerator: value?.numerator ?? null, denominator: value?.denominator ?? null,
      recordsLink: computed && c.indicatorCode ? recordsLink(c.indicatorCode, r.org_id, period) : null,
      selfMet: computed && r.status === 'self_assessing' ? meetsThreshold(value?.value ?? null, c.threshold) : (s?.self_met ?? null),
      evidence: s?.evidence ?? null,
      files: files.rows.filter((f) => f.criterion_id === c.id).map((f) => ({
        id: f.id, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: Number(f.size_bytes), url: `/api/standardization/rounds/${r.id}/files/${f.id}`,
      })),
      reviewMet: s?.review_met ?? null, reviewComment: s?.review_comment ?? null,
    };
  });
}

export async function getRound(db: Queryable, actor: Actor, id: string): Promise<Round> {
  const r = await findRound(db, actor, id);
  const [checks, rectifications, next] = await Promise.all([
    checksOf(db, r),
    rectificationsOf(db, actor, sql`t.round_id = ${id}`),
    db.execute<{ id: string } & Row>(sql`select id::text from grading_rounds where previous_round_id = ${id} order by id limit 1`),
  ]);
  const grades = parseGrades(r.grades);
  const p = policyRound(r);
  const reviewer = canReviewRound(actor, p);
  const branch = isBranchSide(actor, p);
  const isLowFinal = (r.status === 'final' || r.status === 'published') && r.grade_is_low === true && r.superseded_at === null;
  return {
    ...toSummary(r), grades, checks, selfSummary: r.self_summary, returnReason: r.return_reason, reviewComment: r.review_comment, reviewerName: r.reviewer_name,
    reviewedAt: iso(r.reviewed_at), appealReason: r.appeal_reason, appealedAt: iso(r.appealed_at), appealResponse: r.appeal_response,
    originalGradeLevel: num(r.original_grade_level), finalAt: iso(r.final_at),
    suggestedSelfLevel: suggestLevel(grades, checks.map((c) => ({ requiredForLevel: c.requiredForLevel, points: c.points, met: c.selfMet }))),
    suggestedReviewLevel: suggestLevel(grades, checks.map((c) => ({ requiredForLevel: c.requiredForLevel, points: c.points, met: c.reviewMet }))),
    nextRoundId: next.rows[0]?.id ?? null,
    rectifications,
    period: periodOfYear(Number(r.year)),
    abilities: {
      selfAssess: branch && r.status === 'self_assessing',
      review: reviewer && r.status === 'submitted',
      appeal: branch && r.status === 'graded' && r.appealed_at === null,
      accept: branch && r.status === 'graded',
      rereview: reviewer && r.status === 'appealed',
      publish: reviewer && (r.status === 'graded' || r.status === 'final'),
      rectify: reviewer && isLowFinal,
      regrade: reviewer && r.status === 'published' && r.grade_is_low === true && r.superseded_at === null && rectifications.length > 0 && rectifications.every((t) => t.status === 'closed'),
    },
  };
}

// ---------- the flow ----------

const roundLabel = (r: RoundRow) => `${r.org_name} · ${r.scheme_name}`;

async function asBranchSide(tx: Tx, actor: Actor, id: string): Promise<RoundRow> {
  const r = await findRound(tx, actor, id, true);
  if (!isBranchSide(actor, policyRound(r))) throw forbidden('standardization.not_branch_side');
  return r;
}

async function asReviewer(tx: Tx, actor: Actor, id: string): Promise<RoundRow> {
  const r = await findRound(tx, actor, id, true);
  if (!isAboveBranch(actor, r.org_path)) throw forbidden('standardization.not_reviewer');
  if (r.submitted_by === actor.userId) throw forbidden('standardization.own_assessment');
  return r;
}

const expectStatus = (r: RoundRow, ...statuses: RoundStatus[]) => {
  if (!statuses.includes(r.status)) throw conflict('standardization.wrong_state', { status: r.status });
};

function gradeAt(r: RoundRow, level: number, field: string): Grade {
  const grade = parseGrades(r.grades).find((g) => g.level === level);
  if (!grade) throw invalidField(field, 'standardization.no_such_grade');
  return grade;
}

export async function saveSelfAssessment(db: Db, actor: Actor, id: string, input: SelfAssessment): Promise<Round> {
  await db.transaction(async (tx) => {
    const r = await asBranchSide(tx, actor, id);
    expectStatus(r, 'self_assessing');
    const criteria = new Map((await criteriaOf(tx, r.scheme_id)).map((c) => [c.id, c]));
    const problems: Record<string, FieldProblem> = {};
    input.checks.forEach((c, i) => {
      if (!criteria.has(c.criterionId)) problems[`checks.${i}.criterionId`] = { key: 'standardization.criterion_not_in_scheme' };
    });
    if (input.proposedLevel && !parseGrades(r.grades).some((g) => g.level === input.proposedLevel)) problems.proposedLevel = { key: 'standardization.no_such_grade' };
    if (Object.keys(problems).length) throw invalidFields(problems);
    if (input.checks.length) {
      // a computed criterion's verdict is the indicator's, not the branch's: only its evidence is kept
      await tx.execute(sql`update grading_checks g set
          self_met = case when c.kind = 'computed' then g.self_met when v.met_sent then v.met else g.self_met end,
          evidence = case when v.evidence_sent then v.evidence else g.evidence end
        from (values ${sql.join(input.checks.map((c) => sql`(${c.criterionId}::bigint, ${c.met !== undefined}::boolean, ${c.met ?? null}::boolean,
          ${c.evidence !== undefined}::boolean, ${c.evidence ?? null}::text)`), sql`, `)}) v (criterion_id, met_sent, met, evidence_sent, evidence),
          grading_criteria c
       where g.round_id = ${id} and g.criterion_id = v.criterion_id and c.id = v.criterion_id`);
    }
    const assignments: SQL[] = [];
    if (input.proposedLevel !== undefined) assignments.push(sql`proposed_level = ${input.proposedLevel}`);
    if (input.summary !== undefined) assignments.push(sql`self_summary = ${input.summary}`);
    if (assignments.length) await tx.execute(sql`update grading_rounds set ${sql.join(assignments, sql`, `)} where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.self_assess', targetType: 'grading_round', targetId: id, orgPath: r.org_path, detail: { name: roundLabel(r), checks: input.checks.length } });
  });
  return getRound(db, actor, id);
}

/** The branch sends its self-assessment: every evidenced criterion answered and a grade proposed; the computed values are kept as they are now. */
export async function submitRound(db: Db, actor: Actor, id: string): Promise<Round> {
  await db.transaction(async (tx) => {
    const r = await asBranchSide(tx, actor, id);
    expectStatus(r, 'self_assessing');
    const criteria = await criteriaOf(tx, r.scheme_id);
    const stored = new Map((await tx.execute<{ criterion_id: string; self_met: boolean | null } & Row>(sql`
      select criterion_id::text, self_met from grading_checks where round_id = ${id}`)).rows.map((c) => [c.criterion_id, c.self_met]));
    const problems: Record<string, FieldProblem> = {};
    criteria.forEach((c, i) => {
      if (c.kind === 'evidenced' && (stored.get(c.id) ?? null) === null) problems[`checks.${i}.met`] = { key: 'standardization.check_unanswered' };
    });
    if (r.proposed_level === null) problems.proposedLevel = { key: 'standardization.proposed_grade_required' };
    if (Object.keys(problems).length) throw invalidFields(problems);
    const computed = criteria.filter((c) => c.kind === 'computed');
    if (computed.length) {
      const values = await computedValues(tx, computed, { id: r.org_id, path: r.org_path }, periodOfYear(Number(r.year)));
      await tx.execute(sql`update grading_checks g set computed_numerator = v.numerator, computed_denominator = v.denominator, computed_value = v.value, self_met = v.met
        from (values ${sql.join(computed.map((c) => {
          const v = values.get(c.id);
          return sql`(${c.id}::bigint, ${v?.numerator ?? 0}::numeric, ${v ? v.denominator : 0}::numeric, ${v?.value ?? null}::numeric, ${meetsThreshold(v?.value ?? null, c.threshold)}::boolean)`;
        }), sql`, `)}) v (criterion_id, numerator, denominator, value, met)
       where g.round_id = ${id} and g.criterion_id = v.criterion_id`);
    }
    await tx.execute(sql`update grading_rounds set status = 'submitted', submitted_at = now(), submitted_by = ${actor.userId}, return_reason = null where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.submit', targetType: 'grading_round', targetId: id, orgPath: r.org_path, detail: { name: roundLabel(r), proposedLevel: r.proposed_level } });
  });
  return getRound(db, actor, id);
}

/** The level above sends a self-assessment back to the branch, saying what is missing. */
export async function returnRound(db: Db, actor: Actor, id: string, input: Reason): Promise<Round> {
  await db.transaction(async (tx) => {
    const r = await asReviewer(tx, actor, id);
    expectStatus(r, 'submitted');
    await tx.execute(sql`update grading_rounds set status = 'self_assessing', return_reason = ${input.reason}, submitted_by = null where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.return', targetType: 'grading_round', targetId: id, orgPath: r.org_path, detail: { name: roundLabel(r), reason: input.reason } });
  });
  return getRound(db, actor, id);
}

/** The level above gives each criterion its verdict (a computed one keeps the indicator's unless overruled) and the grade. */
export async function reviewRound(db: Db, actor: Actor, id: string, input: Review): Promise<Round> {
  await db.transaction(async (tx) => {
    const r = await asReviewer(tx, actor, id);
    expectStatus(r, 'submitted');
    const grade = gradeAt(r, input.gradeLevel, 'gradeLevel');
    const criteria = await criteriaOf(tx, r.scheme_id);
    const known = new Set(criteria.map((c) => c.id));
    const given = new Set(input.checks.map((c) => c.criterionId));
    const problems: Record<string, FieldProblem> = {};
    input.checks.forEach((c, i) => {
      if (!known.has(c.criterionId)) problems[`checks.${i}.criterionId`] = { key: 'standardization.criterion_not_in_scheme' };
    });
    criteria.forEach((c, i) => {
      if (c.kind === 'evidenced' && !given.has(c.id)) problems[`checks.${i}.met`] = { key: 'standardization.verdict_required' };
    });
    if (Object.keys(problems).length) throw invalidFields(problems);
    await tx.execute(sql`update grading_checks g set review_met = g.self_met where g.round_id = ${id}`);
    if (input.checks.length) {
      await tx.execute(sql`update grading_checks g set review_met = v.met, review_comment = v.comment
        from (values ${sql.join(input.checks.map((c) => sql`(${c.criterionId}::bigint, ${c.met}::boolean, ${c.comment ?? null}::text)`), sql`, `)}) v (criterion_id, met, comment)
       where g.round_id = ${id} and g.criterion_id = v.criterion_id`);
    }
    await tx.execute(sql`update grading_rounds set status = 'graded', grade_level = ${grade.level}, grade_name = ${grade.name}, grade_is_low = ${grade.isLow},
      review_comment = ${input.comment ?? null}, reviewed_at = now(), reviewed_by = ${actor.userId}, reviewer_name = ${actor.displayName} where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.review', targetType: 'grading_round', targetId: id, orgPath: r.org_path, detail: { name: roundLabel(r), grade: grade.name } });
  });
  return getRound(db, actor, id);
}

/** The branch appeals its grade, once, with its reason. */
export async function appealRound(db: Db, actor: Actor, id: string, input: Reason): Promise<Round> {
  await db.transaction(async (tx) => {
    const r = await asBranchSide(tx, actor, id);
    if (r.appealed_at !== null) throw conflict('standardization.appeal_used');
    expectStatus(r, 'graded');
    await tx.execute(sql`update grading_rounds set status = 'appealed', appeal_reason = ${input.reason}, appealed_at = now(), appealed_by = ${actor.userId} where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.appeal', targetType: 'grading_round', targetId: id, orgPath: r.org_path, detail: { name: roundLabel(r), reason: input.reason } });
  });
  return getRound(db, actor, id);
}

/** The branch accepts its grade: final, no appeal. */
export async function acceptRound(db: Db, actor: Actor, id: string): Promise<Round> {
  await db.transaction(async (tx) => {
    const r = await asBranchSide(tx, actor, id);
    expectStatus(r, 'graded');
    await tx.execute(sql`update grading_rounds set status = 'final', final_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.accept', targetType: 'grading_round', targetId: id, orgPath: r.org_path, detail: { name: roundLabel(r), grade: r.grade_name } });
  });
  return getRound(db, actor, id);
}

/** The level above answers the appeal: the grade it gives now is final. */
export async function rereviewRound(db: Db, actor: Actor, id: string, input: Rereview): Promise<Round> {
  await db.transaction(async (tx) => {
    const r = await asReviewer(tx, actor, id);
    expectStatus(r, 'appealed');
    const grade = gradeAt(r, input.gradeLevel, 'gradeLevel');
    await tx.execute(sql`update grading_rounds set status = 'final', original_grade_level = grade_level, grade_level = ${grade.level}, grade_name = ${grade.name},
      grade_is_low = ${grade.isLow}, appeal_response = ${input.response}, rereviewed_at = now(), rereviewed_by = ${actor.userId}, final_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.rereview', targetType: 'grading_round', targetId: id, orgPath: r.org_path, detail: { name: roundLabel(r), grade: grade.name, before: r.grade_name } });
  });
  return getRound(db, actor, id);
}

/** The level above publishes the grade; publishing a graded round that was neither appealed nor accepted ends its chance to appeal. */
export async function publishRound(db: Db, actor: Actor, id: string): Promise<Round> {
  await db.transaction(async (tx) => {
    const r = await asReviewer(tx, actor, id);
    expectStatus(r, 'graded', 'final');
    await tx.execute(sql`update grading_rounds set status = 'published', final_at = coalesce(final_at, now()), published_at = now(), published_by = ${actor.userId} where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.publish', targetType: 'grading_round', targetId: id, orgPath: r.org_path, detail: { name: roundLabel(r), grade: r.grade_name } });
  });
  return getRound(db, actor, id);
}

/** After its rectification tasks are closed, a branch graded low is graded again in a new round that follows this one. */
export async function regradeRound(db: Db, actor: Actor, id: string): Promise<Round> {
  const newId = await db.transaction(async (tx) => {
    const r = await asReviewer(tx, actor, id);
    if (r.status !== 'published' || r.grade_is_low !== true || r.superseded_at !== null) throw conflict('standardization.not_regradable');
    const tasks = (await tx.execute<{ total: number; open: number } & Row>(sql`
      select count(*)::int as total, count(*) filter (where status = 'open')::int as open from grading_rectifications where round_id = ${id}`)).rows[0]!;
    if (Number(tasks.total) === 0 || Number(tasks.open) > 0) throw conflict('standardization.rectifications_open');
    await tx.execute(sql`update grading_rounds set superseded_at = now() where id = ${id}`);
    const created = (await tx.execute<{ id: string } & Row>(sql`insert into grading_rounds (scheme_id, org_id, org_path, previous_round_id, created_by)
      select scheme_id, org_id, org_path, id, ${actor.userId} from grading_rounds where id = ${id} returning id::text`)).rows[0]!;
    await insertChecks(tx, [created.id]);
    await audit(tx, actor, { action: 'standardization.regrade', targetType: 'grading_round', targetId: created.id, orgPath: r.org_path, detail: { name: roundLabel(r), previousRoundId: id } });
    return created.id;
  });
  return getRound(db, actor, newId);
}
