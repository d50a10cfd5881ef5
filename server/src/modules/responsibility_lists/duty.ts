import { sql, type SQL } from 'drizzle-orm';
import {
  DEFAULT_DUTY_CRITERIA, DEFAULT_GRADE_THRESHOLDS, gradeOf, type CreateDutyRound, type DutyReport, type DutyReportPage, type DutyReportQuery, type DutyResults,
  type DutyRound, type DutyRoundPage, type DutyRoundQuery, type GradeThresholds, type StartDutyReview, type SubmitDutyReport,
} from '../../../../contracts/responsibility_lists.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { addPanelEntries, closePanel, createPanel, panelResults } from '../judging/service.js';
import { canManageRound, canSubmitDutyReport, managedRounds, visibleDutyReports } from './policy.js';

/**
 * 述职评议考核: the reviewing body opens a round for a year (a report slot for every org of the chosen
 * types below it, in one statement), the secretaries submit their reports, the body's judges score
 * them on a judging-engine panel, and closing the round keeps each org's score, rank and grade.
 */
type Row = Record<string, unknown>;
const iso = (v: Date | string) => new Date(v).toISOString();
const num = (v: unknown) => (v == null ? null : Number(v));

type RoundRow = {
  id: string; org_id: string; org_path: string; org_name: string; year: number; title: string; good_from: string | number; fairly_good_from: string | number;
  average_from: string | number; status: DutyRound['status']; panel_id: string | null; report_count: number; submitted_count: number;
} & Row;

const roundColumns = sql`r.id::text, r.org_id::text, r.org_path::text, o.name as org_name, r.year, r.title, r.good_from, r.fairly_good_from, r.average_from,
  r.status, r.panel_id, (select count(*)::int from duty_reports d where d.round_id = r.id) as report_count,
  (select count(*)::int from duty_reports d where d.round_id = r.id and d.submitted_at is not null) as submitted_count`;

const thresholdsOf = (r: { good_from: unknown; fairly_good_from: unknown; average_from: unknown }): GradeThresholds =>
  ({ good: Number(r.good_from), fairlyGood: Number(r.fairly_good_from), average: Number(r.average_from) });

const toRound = (r: RoundRow, actor: Actor): DutyRound => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, year: Number(r.year), title: r.title, thresholds: thresholdsOf(r), status: r.status, panelId: r.panel_id,
  reportCount: Number(r.report_count), submittedCount: Number(r.submitted_count), canManage: canManageRound(actor, { orgPath: r.org_path }),
});

export async function listRounds(db: Db, actor: Actor, query: DutyRoundQuery): Promise<DutyRoundPage> {
  const conditions: SQL[] = [managedRounds(actor)];
  if (query.year) conditions.push(sql`r.year = ${query.year}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<RoundRow>(sql`select ${roundColumns} from duty_review_rounds r join orgs o on o.id = r.org_id where ${where} order by r.year desc, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from duty_review_rounds r where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toRound(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findRound(q: Queryable, actor: Actor, id: string, lock = false): Promise<RoundRow> {
  const row = (await q.execute<RoundRow>(sql`select ${roundColumns} from duty_review_rounds r join orgs o on o.id = r.org_id
    where r.id = ${id} and ${managedRounds(actor)} ${lock ? sql`for update of r` : sql``}`)).rows[0];
  if (!row) throw notFound('duty_review.not_found');
  return row;
}

export async function getRound(db: Db, actor: Actor, id: string): Promise<DutyRound> {
  return toRound(await findRound(db, actor, id), actor);
}

export async function createRound(db: Db, actor: Actor, input: CreateDutyRound): Promise<DutyRound> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const t = input.thresholds ?? DEFAULT_GRADE_THRESHOLDS;
    const types = input.orgTypes ?? ['branch', 'temporary_branch'];
    const roundId = (await tx.execute<{ id: string } & Row>(sql`
      insert into duty_review_rounds (org_id, org_path, year, title, good_from, fairly_good_from, average_from, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.year}, ${input.title}, ${t.good}, ${t.fairlyGood}, ${t.average}, ${actor.userId}) returning id::text`)).rows[0]!.id;
    const slots = await tx.execute(sql`insert into duty_reports (round_id, org_id, org_path)
      select ${roundId}, o.id, o.path from orgs o
       where o.path <@ ${org.path}::ltree and o.id <> ${org.id} and o.type = any(${textArray(types)}::text[]) and o.dissolved_at is null
      returning id`);
    if (slots.rows.length === 0) throw invalidField('orgTypes', 'duty_review.no_orgs');
    await audit(tx, actor, { action: 'duty_review.create', targetType: 'duty_review_round', targetId: roundId, orgPath: org.path,
      detail: { title: input.title, year: input.year, thresholds: t, orgTypes: types, reports: slots.rows.length } });
    return roundId;
  });
  return getRound(db, actor, id);
}

// ---------- reports ----------

type ReportRow = {
  id: string; round_id: string; round_title: string; round_status: DutyRound['status']; year: number; org_id: string; org_path: string; org_name: string;
  secretary_name: string | null; body: string | null; submitted_at: Date | string | null; file_name: string | null; score: string | number | null; rank: number | null;
  grade: DutyReport['grade']; good_from: unknown; fairly_good_from: unknown; average_from: unknown;
} & Row;

const reportColumns = sql`d.id::text, d.round_id::text, r.title as round_title, r.status as round_status, r.year, d.org_id::text, d.org_path::text, o.name as org_name,
  d.secretary_name, d.body, d.submitted_at, d.file_name, d.score, d.rank, d.grade, r.good_from, r.fairly_good_from, r.average_from`;
const reportFrom = sql`duty_reports d join duty_review_rounds r on r.id = d.round_id join orgs o on o.id = d.org_id`;

const toReport = (r: ReportRow, actor: Actor): DutyReport => ({
  id: r.id, roundId: r.round_id, roundTitle: r.round_title, roundStatus: r.round_status, year: Number(r.year), orgId: r.org_id, orgName: r.org_name,
  secretaryName: r.secretary_name, body: r.body, submittedAt: r.submitted_at ? iso(r.submitted_at) : null,
  file: r.file_name ? { fileName: r.file_name, url: `/api/duty-reports/${r.id}/file` } : null,
  score: num(r.score), rank: num(r.rank), grade: r.grade,
  canSubmit: r.round_status === 'collecting' && canSubmitDutyReport(actor, { orgPath: r.org_path }),
});

export async function listDutyReports(db: Db, actor: Actor, query: DutyReportQuery): Promise<DutyReportPage> {
  const conditions: SQL[] = [visibleDutyReports(actor)];
  if (query.roundId) conditions.push(sql`d.round_id = ${query.roundId}`);
  if (query.year) conditions.push(sql`r.year = ${query.year}`);
  if (query.submitted !== undefined) conditions.push(query.submitted ? sql`d.submitted_at is not null` : sql`d.submitted_at is null`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<ReportRow>(sql`select ${reportColumns} from ${reportFrom} where ${where} order by r.year desc, d.round_id desc, d.org_path, d.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from duty_reports d join duty_review_rounds r on r.id = d.round_id where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toReport(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findReport(q: Queryable, actor: Actor, id: string, lock = false): Promise<ReportRow> {
  const row = (await q.execute<ReportRow & { storage_key: string | null; mime_type: string | null }>(sql`select ${reportColumns}, d.storage_key, d.mime_type from ${reportFrom}
    where d.id = ${id} and ${visibleDutyReports(actor)} ${lock ? sql`for update of d` : sql``}`)).rows[0];
  if (!row) throw notFound('duty_report.not_found');
  return row;
}

export async function getDutyReport(db: Db, actor: Actor, id: string): Promise<DutyReport> {
  return toReport(await findReport(db, actor, id), actor);
}

/** The report the actor may write: their org's (404 to a reviewer who only reads it), while the round collects. */
async function findWritableReport(q: Queryable, actor: Actor, id: string): Promise<ReportRow> {
  const row = await findReport(q, actor, id, true);
  if (!canSubmitDutyReport(actor, { orgPath: row.org_path })) throw notFound('duty_report.not_found');
  if (row.round_status !== 'collecting') throw conflict('duty_review.not_collecting');
  return row;
}

export async function submitDutyReport(db: Db, actor: Actor, id: string, input: SubmitDutyReport): Promise<DutyReport> {
  await db.transaction(async (tx) => {
    const row = await findWritableReport(tx, actor, id);
    await tx.execute(sql`update duty_reports set secretary_name = ${input.secretaryName}, body = ${input.body}, submitted_at = now(), submitted_by = ${actor.userId}
      where id = ${id}`);
    await audit(tx, actor, { action: 'duty_report.submit', targetType: 'duty_report', targetId: id, orgPath: row.org_path,
      detail: { round: row.round_title, secretaryName: input.secretaryName, resubmitted: row.submitted_at !== null } });
  });
  return getDutyReport(db, actor, id);
}

export async function attachDutyReportFile(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<DutyReport> {
  await db.transaction((tx) => findWritableReport(tx, actor, id));
  const key = await storeUpload(dataDir, `duty-reports/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const row = await findWritableReport(tx, actor, id);
      await tx.execute(sql`update duty_reports set file_name = ${upload.fileName}, mime_type = ${upload.mimeType}, size_bytes = ${upload.bytes.length}, storage_key = ${key}
        where id = ${id}`);
      await audit(tx, actor, { action: 'duty_report.attach', targetType: 'duty_report', targetId: id, orgPath: row.org_path,
        detail: { fileName: upload.fileName, sizeBytes: upload.bytes.length } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getDutyReport(db, actor, id);
}

export async function findDutyReportFile(db: Db, actor: Actor, id: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  const row = await findReport(db, actor, id) as ReportRow & { storage_key: string | null; mime_type: string | null };
  if (!row.storage_key || !row.file_name || !row.mime_type) throw notFound('responsibility.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

// ---------- the review ----------

/** Opens the review: a judging panel of the body's judges over the submitted reports (the reports not in are left unscored). */
export async function startReview(db: Db, actor: Actor, id: string, input: StartDutyReview): Promise<DutyRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, true);
    if (!canManageRound(actor, { orgPath: round.org_path })) throw notFound('duty_review.not_found');
    if (round.status !== 'collecting') throw conflict('duty_review.not_collecting');
    const reports = await tx.execute<{ id: string; org_id: string; org_name: string } & Row>(sql`
      select d.id::text, d.org_id::text, o.name as org_name from duty_reports d join orgs o on o.id = d.org_id
       where d.round_id = ${id} and d.submitted_at is not null order by d.org_path, d.id`);
    if (reports.rows.length === 0) throw conflict('duty_review.no_reports');
    const { panelId } = await createPanel(tx, actor, {
      ownerModule: 'responsibility_lists', ownerRef: id, title: `${round.title}（述职评议）`, orgId: round.org_id,
      criteria: input.criteria ?? DEFAULT_DUTY_CRITERIA, blind: input.blind ?? false, judgeUserIds: input.judgeUserIds,
    });
    const entries = await addPanelEntries(tx, actor, panelId, reports.rows.map((r) => ({ ref: r.id, orgId: r.org_id, title: `${r.org_name}书记述职` })));
    await tx.execute(sql`update duty_reports d set panel_entry_id = e.entry_id
      from unnest(${textArray(entries.map((e) => e.ref))}::bigint[], ${textArray(entries.map((e) => e.entryId))}::text[]) as e (report_id, entry_id)
      where d.id = e.report_id`);
    await tx.execute(sql`update duty_review_rounds set status = 'reviewing', panel_id = ${panelId} where id = ${id}`);
    await audit(tx, actor, { action: 'duty_review.start', targetType: 'duty_review_round', targetId: id, orgPath: round.org_path,
      detail: { title: round.title, panelId, judges: input.judgeUserIds.length, entries: entries.length } });
  });
  return getRound(db, actor, id);
}

/** Results per org: final after closing; while reviewing, the panel's current figures; graded by the round's thresholds. */
export async function roundResults(db: Db, actor: Actor, id: string): Promise<DutyResults> {
  const round = await findRound(db, actor, id);
  const thresholds = thresholdsOf(round);
  const reports = await db.execute<{ id: string; org_id: string; org_name: string; secretary_name: string | null; score: unknown; rank: unknown } & Row>(sql`
    select d.id::text, d.org_id::text, o.name as org_name, d.secretary_name, d.score, d.rank from duty_reports d join orgs o on o.id = d.org_id
     where d.round_id = ${id} order by d.org_path, d.id`);
  const live = round.status === 'reviewing' && round.panel_id ? new Map((await panelResults(db, round.panel_id)).map((r) => [r.ref, r])) : null;
  const items = reports.rows.map((r) => {
    const result = live?.get(r.id);
    const score = live ? (result?.score ?? null) : num(r.score);
    return {
      reportId: r.id, orgId: r.org_id, orgName: r.org_name, secretaryName: r.secretary_name, score,
      rank: live ? (result?.rank ?? null) : num(r.rank), judgeCount: result?.judgeCount ?? 0, grade: gradeOf(score, thresholds),
    };
  });
  items.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  return { roundId: id, status: round.status, isFinal: round.status === 'closed', items };
}

/** Closes the panel and keeps each org's final score, rank and grade on its report. */
export async function closeRound(db: Db, actor: Actor, id: string): Promise<DutyRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, true);
    if (!canManageRound(actor, { orgPath: round.org_path })) throw notFound('duty_review.not_found');
    if (round.status !== 'reviewing' || !round.panel_id) throw conflict('duty_review.not_reviewing');
    await closePanel(tx, actor, round.panel_id);
    const results = (await panelResults(tx, round.panel_id)).filter((r) => r.score !== null);
    const thresholds = thresholdsOf(round);
    if (results.length) {
      await tx.execute(sql`update duty_reports d set score = r.score, rank = r.rank, grade = r.grade
        from unnest(${textArray(results.map((r) => r.ref))}::bigint[], ${textArray(results.map((r) => String(r.score)))}::numeric[],
                    ${textArray(results.map((r) => String(r.rank ?? '')))}::text[], ${textArray(results.map((r) => gradeOf(r.score, thresholds) ?? ''))}::text[])
          as r0 (report_id, score, rank_text, grade_text)
        cross join lateral (select r0.score, nullif(r0.rank_text, '')::int as rank, nullif(r0.grade_text, '') as grade) r
        where d.id = r0.report_id and d.round_id = ${id}`);
    }
    await tx.execute(sql`update duty_review_rounds set status = 'closed' where id = ${id}`);
    await audit(tx, actor, { action: 'duty_review.close', targetType: 'duty_review_round', targetId: id, orgPath: round.org_path,
      detail: { title: round.title, scored: results.length } });
  });
  return getRound(db, actor, id);
}
