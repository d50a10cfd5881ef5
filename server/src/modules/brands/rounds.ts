import { sql, type SQL } from 'drizzle-orm';
import {
  levelLabel, starOfLevel,
  type AdjustLevel, type Application, type ApplicationListQuery, type ApplicationPage, type ApplicationStatus, type Apply, type BrandTitle, type CreateRound,
  type OpenNotice, type ReviewRound, type ReviewRoundPage, type RoundLevel, type RoundListQuery, type RoundStatus, type UpdateRound,
} from '../../../../contracts/brands.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { RubricCriterion } from '../../../../contracts/judging.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { AppError, conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { addPanelEntries, closePanel, createPanel, panelResults } from '../judging/service.js';
import { openPublicNotice, publicNoticeState } from '../public_notices/service.js';
import { enabledUsers } from '../users/judge-home.js';
import { brandsInScope, canApplyWith, canManageRound, visibleRounds } from './policy.js';

/**
 * 星级评审: an org opens a round for its subtree (levels offered with the score each is proposed from,
 * an application window, the judges' rubric and judges); orgs apply with a brand and materials; the
 * round's administrators accept or return them, hand the accepted ones to a judging-engine panel,
 * and on closing it the levels are proposed from the thresholds (adjustable with a recorded reason),
 * shown in a 公示 and, once it has ended without pending objections, written onto each brand.
 */
type Row = Record<string, unknown>;
type Time = Date | string;
const iso = (v: Time) => new Date(v).toISOString();
const num = (v: unknown) => (v == null ? null : Number(v));
const ID = /^[1-9]\d{0,17}$/;
const json = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) as T : v);
/** node-postgres answers bigint[] as an array; PGlite may answer its literal */
const idArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v ?? '').replace(/[{}]/g, '').split(',').filter(Boolean));
export const APPLICATION_FILES_MAX = 20;

type RoundRow = {
  id: string; org_id: string; org_path: string; org_name: string; title: string; year: number; levels: RoundLevel[] | string; applies_from: string;
  applies_until: string; criteria: RubricCriterion[] | string; judge_user_ids: unknown; blind: boolean; status: RoundStatus; panel_id: string | null;
  public_notice_id: string | null; application_count: number; accepted_count: number;
} & Row;

const roundColumns = sql`r.id::text, r.org_id::text, r.org_path::text, o.name as org_name, r.title, r.year, r.levels, r.applies_from::text, r.applies_until::text,
  r.criteria, r.judge_user_ids, r.blind, r.status, r.panel_id::text, r.public_notice_id::text,
  (select count(*)::int from brand_applications a where a.round_id = r.id) as application_count,
  (select count(*)::int from brand_applications a where a.round_id = r.id and a.status in ('accepted', 'awarded')) as accepted_count`;

const isWindowOpen = (r: RoundRow, today = todayInChina()) => r.status === 'open' && r.applies_from <= today && today <= r.applies_until;

async function toRounds(q: Queryable, actor: Actor, rows: RoundRow[]): Promise<ReviewRound[]> {
  const names = await enabledUsers(q, [...new Set(rows.flatMap((r) => idArray(r.judge_user_ids)))]);
  return rows.map((r) => ({
    id: r.id, orgId: r.org_id, orgName: r.org_name, title: r.title, year: Number(r.year), levels: json(r.levels), appliesFrom: r.applies_from,
    appliesUntil: r.applies_until, criteria: json(r.criteria), judges: idArray(r.judge_user_ids).map((userId) => ({ userId, name: names.get(userId) ?? userId })),
    blind: r.blind, status: r.status, isWindowOpen: isWindowOpen(r), panelId: r.panel_id, publicNoticeId: r.public_notice_id,
    applicationCount: Number(r.application_count), acceptedCount: Number(r.accepted_count), canManage: canManageRound(actor, { orgPath: r.org_path }),
  }));
}

export async function listRounds(db: Db, actor: Actor, query: RoundListQuery): Promise<ReviewRoundPage> {
  const conditions: SQL[] = [query.view === 'manage' ? brandsInScope(actor, sql`r.org_path`) : sql`(${visibleRounds(actor)} and r.status = 'open')`];
  if (query.year) conditions.push(sql`r.year = ${query.year}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<RoundRow>(sql`select ${roundColumns} from brand_review_rounds r join orgs o on o.id = r.org_id where ${where}
      order by r.year desc, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from brand_review_rounds r where ${where}`),
  ]);
  return { items: await toRounds(db, actor, rows.rows), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** A round the actor reads (runs, or may apply to), else 404; `manage` asks for its administrators. */
async function findRound(q: Queryable, actor: Actor, id: string, options: { lock?: boolean; manage?: boolean } = {}): Promise<RoundRow> {
  if (!ID.test(id)) throw notFound('brand.round_not_found');
  const row = (await q.execute<RoundRow>(sql`select ${roundColumns} from brand_review_rounds r join orgs o on o.id = r.org_id
    where r.id = ${id} and ${visibleRounds(actor)} ${options.lock ? sql`for update of r` : sql``}`)).rows[0];
  if (!row || (options.manage && !canManageRound(actor, { orgPath: row.org_path }))) throw notFound('brand.round_not_found');
  return row;
}

export async function getRound(db: Queryable, actor: Actor, id: string): Promise<ReviewRound> {
  return (await toRounds(db, actor, [await findRound(db, actor, id)]))[0]!;
}

function checkCriteria(criteria: RubricCriterion[]): void {
  const seen = new Set<string>();
  criteria.forEach((c, i) => {
    if (seen.has(c.key)) throw invalidField(`criteria.${i}.key`, 'brand.criterion_duplicate');
    seen.add(c.key);
  });
}

async function checkJudges(q: Queryable, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if ((await enabledUsers(q, unique)).size !== unique.length) throw invalidField('judgeUserIds', 'brand.judge_not_found');
  return unique;
}

export async function createRound(db: Db, actor: Actor, input: CreateRound): Promise<ReviewRound> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'brand.org_not_found' });
    checkCriteria(input.criteria);
    const judges = await checkJudges(tx, input.judgeUserIds);
    const round = (await tx.execute<{ id: string } & Row>(sql`
      insert into brand_review_rounds (org_id, org_path, title, year, levels, applies_from, applies_until, criteria, judge_user_ids, blind, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.title}, ${input.year}, ${JSON.stringify(input.levels)}::jsonb, ${input.appliesFrom}::date,
              ${input.appliesUntil}::date, ${JSON.stringify(input.criteria)}::jsonb, ${textArray(judges)}::bigint[], ${input.blind}, ${actor.userId})
      returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'brand.create_round', targetType: 'brand_review_round', targetId: round.id, orgPath: org.path,
      detail: { title: input.title, year: input.year, levels: input.levels.map((l) => l.level), judges: judges.length } });
    return round.id;
  });
  return getRound(db, actor, id);
}

/** The round's settings may change while it takes applications (before judging starts). */
export async function updateRound(db: Db, actor: Actor, id: string, input: UpdateRound): Promise<ReviewRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, { lock: true, manage: true });
    if (round.status !== 'open') throw conflict('brand.round_not_open');
    const appliesFrom = input.appliesFrom ?? round.applies_from;
    const appliesUntil = input.appliesUntil ?? round.applies_until;
    if (appliesUntil < appliesFrom) throw invalidField('appliesUntil', 'brand.window_order');
    if (input.criteria) checkCriteria(input.criteria);
    const judges = input.judgeUserIds ? await checkJudges(tx, input.judgeUserIds) : idArray(round.judge_user_ids);
    await tx.execute(sql`update brand_review_rounds set title = ${input.title ?? round.title}, levels = ${JSON.stringify(input.levels ?? json(round.levels))}::jsonb,
      applies_from = ${appliesFrom}::date, applies_until = ${appliesUntil}::date, criteria = ${JSON.stringify(input.criteria ?? json(round.criteria))}::jsonb,
      judge_user_ids = ${textArray(judges)}::bigint[], blind = ${input.blind ?? round.blind} where id = ${id}`);
    await audit(tx, actor, { action: 'brand.update_round', targetType: 'brand_review_round', targetId: id, orgPath: round.org_path,
      detail: { title: input.title ?? round.title, changed: Object.keys(input) } });
  });
  return getRound(db, actor, id);
}

// ---------- applications ----------

type ApplicationRow = {
  id: string; round_id: string; round_title: string; round_path: string; brand_id: string; brand_name: string; slogan: string | null; distinctive: string | null;
  org_id: string; org_path: string; org_name: string; statement: string; status: ApplicationStatus; return_reason: string | null; score: string | null;
  rank: number | null; proposed_star: number | null; proposed_title: BrandTitle | null; star_level: number | null; title: BrandTitle | null;
  adjust_reason: string | null; withdrawn_reason: string | null; submitted_at: Time;
} & Row;

const applicationColumns = sql`a.id::text, a.round_id::text, r.title as round_title, r.org_path::text as round_path, a.brand_id::text, b.name as brand_name,
  b.slogan, b.distinctive, a.org_id::text, a.org_path::text, o.name as org_name, a.statement, a.status, a.return_reason, a.score::text, a.rank,
  a.proposed_star, a.proposed_title, a.star_level, a.title, a.adjust_reason, a.withdrawn_reason, a.submitted_at`;
const applicationJoins = sql`from brand_applications a join brand_review_rounds r on r.id = a.round_id join brands b on b.id = a.brand_id join orgs o on o.id = a.org_id`;

/** Applications the actor reads (alias `a`, `r`): all of the rounds they run, their own subtree's of the others. */
const visibleApplications = (actor: Actor): SQL => sql`(${brandsInScope(actor, sql`r.org_path`)} or ${brandsInScope(actor, sql`a.org_path`)})`;

async function toApplications(q: Queryable, actor: Actor, rows: ApplicationRow[]): Promise<Application[]> {
  const files = rows.length === 0 ? [] : (await q.execute<{ id: string; application_id: string; kind: 'photo' | 'document'; file_name: string; size_bytes: number } & Row>(sql`
    select id::text, application_id::text, kind, file_name, size_bytes from brand_application_files
     where application_id = any(${textArray(rows.map((r) => r.id))}::bigint[]) order by id`)).rows;
  return rows.map((r) => ({
    id: r.id, roundId: r.round_id, roundTitle: r.round_title, brandId: r.brand_id, brandName: r.brand_name, slogan: r.slogan, orgId: r.org_id, orgName: r.org_name,
    statement: r.statement, status: r.status, returnReason: r.return_reason,
    files: files.filter((f) => f.application_id === r.id).map((f) => ({ id: f.id, kind: f.kind, fileName: f.file_name, sizeBytes: Number(f.size_bytes) })),
    score: num(r.score), rank: num(r.rank), proposedStar: num(r.proposed_star), proposedTitle: r.proposed_title, starLevel: num(r.star_level), title: r.title,
    adjustReason: r.adjust_reason, withdrawnReason: r.withdrawn_reason, submittedAt: iso(r.submitted_at), canCheck: canManageRound(actor, { orgPath: r.round_path }),
  }));
}

export async function listApplications(db: Db, actor: Actor, roundId: string, query: ApplicationListQuery): Promise<ApplicationPage> {
  await findRound(db, actor, roundId);
  const conditions: SQL[] = [sql`a.round_id = ${roundId}`, visibleApplications(actor)];
  if (query.status) conditions.push(sql`a.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<ApplicationRow>(sql`select ${applicationColumns} ${applicationJoins} where ${where} order by a.rank nulls last, a.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from brand_applications a join brand_review_rounds r on r.id = a.round_id where ${where}`),
  ]);
  return { items: await toApplications(db, actor, rows.rows), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findApplication(q: Queryable, actor: Actor, id: string, options: { lock?: boolean; check?: boolean } = {}): Promise<ApplicationRow> {
  if (!ID.test(id)) throw notFound('brand.application_not_found');
  const row = (await q.execute<ApplicationRow>(sql`select ${applicationColumns} ${applicationJoins}
    where a.id = ${id} and ${visibleApplications(actor)} ${options.lock ? sql`for update of a` : sql``}`)).rows[0];
  if (!row || (options.check && !canManageRound(actor, { orgPath: row.round_path }))) throw notFound('brand.application_not_found');
  return row;
}

export async function getApplication(db: Queryable, actor: Actor, id: string): Promise<Application> {
  return (await toApplications(db, actor, [await findApplication(db, actor, id)]))[0]!;
}

/**
 * An org of the round's subtree applies with one of its brands while the window is open (China
 * date); a returned application is sent again in place. One application per brand and round.
 */
export async function apply(db: Db, actor: Actor, roundId: string, input: Apply, today = todayInChina()): Promise<Application> {
  const id = await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, roundId, { lock: true });
    if (!isWindowOpen(round, today)) throw conflict('brand.window_closed', { from: round.applies_from, until: round.applies_until });
    const brand = (await tx.execute<{ id: string; org_id: string; org_path: string; status: string; name: string } & Row>(sql`
      select id::text, org_id::text, org_path::text, status, name from brands where id = ${input.brandId} for share`)).rows[0];
    if (!brand || !canApplyWith(actor, { orgPath: round.org_path }, { orgPath: brand.org_path })) throw invalidField('brandId', 'brand.not_found');
    if (brand.status === 'archived') throw invalidField('brandId', 'brand.archived');
    const existing = (await tx.execute<{ id: string; status: ApplicationStatus } & Row>(sql`
      select id::text, status from brand_applications where round_id = ${roundId} and brand_id = ${brand.id} for update`)).rows[0];
    if (existing && existing.status !== 'returned') throw conflict('brand.already_applied');
    const saved = existing
      ? (await tx.execute<{ id: string } & Row>(sql`update brand_applications set statement = ${input.statement}, status = 'submitted', return_reason = null,
          checked_by = null, org_id = ${brand.org_id}, org_path = ${brand.org_path}::ltree, submitted_by = ${actor.userId}, submitted_at = now()
          where id = ${existing.id} returning id::text`)).rows[0]!
      : (await tx.execute<{ id: string } & Row>(sql`insert into brand_applications (round_id, brand_id, org_id, org_path, statement, submitted_by)
          values (${roundId}, ${brand.id}, ${brand.org_id}, ${brand.org_path}::ltree, ${input.statement}, ${actor.userId}) returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'brand.apply', targetType: 'brand_application', targetId: saved.id, orgPath: brand.org_path,
      detail: { roundId, roundTitle: round.title, brandId: brand.id, brandName: brand.name, resubmitted: Boolean(existing) } });
    return saved.id;
  });
  return getApplication(db, actor, id);
}

/** Materials (photos, documents) of an application, by its applicants, while it is submitted or returned. */
export async function addApplicationFile(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<Application> {
  const check = async (q: Queryable) => {
    const application = await findApplication(q, actor, id, { lock: true });
    if (!canApplyWith(actor, { orgPath: application.round_path }, { orgPath: application.org_path })) throw notFound('brand.application_not_found');
    if (application.status !== 'submitted' && application.status !== 'returned') throw conflict('brand.application_checked');
    const count = (await q.execute<{ n: number } & Row>(sql`select count(*)::int as n from brand_application_files where application_id = ${id}`)).rows[0]!;
    if (Number(count.n) >= APPLICATION_FILES_MAX) throw invalidField('file', 'brand.too_many_files', { max: APPLICATION_FILES_MAX });
    return application;
  };
  await db.transaction(check);
  const key = await storeUpload(dataDir, `brand-applications/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const application = await check(tx);
      const fileId = (await tx.execute<{ id: string } & Row>(sql`insert into brand_application_files (application_id, kind, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${id}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`)).rows[0]!.id;
      await audit(tx, actor, { action: 'brand.add_application_file', targetType: 'brand_application', targetId: id, orgPath: application.org_path,
        detail: { fileId, fileName: upload.fileName, sizeBytes: upload.bytes.length } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getApplication(db, actor, id);
}

export async function findApplicationFile(db: Queryable, actor: Actor, id: string, fileId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  await findApplication(db, actor, id);
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select file_name, mime_type, storage_key from brand_application_files where id = ${fileId} and application_id = ${id}`)).rows[0];
  if (!row) throw notFound('brand.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

/** An application the actor checks, locked after its round (the order `apply` locks them in). */
async function lockApplicationAndRound(tx: Queryable, actor: Actor, id: string): Promise<ApplicationRow & { round: RoundRow }> {
  const { round_id: roundId } = await findApplication(tx, actor, id, { check: true });
  const round = await findRound(tx, actor, roundId, { lock: true, manage: true });
  return { ...(await findApplication(tx, actor, id, { lock: true, check: true })), round };
}

/** The round's administrators check an application before judging: accept it, or return it with a reason. */
export async function checkApplication(db: Db, actor: Actor, id: string, decision: { accept: true } | { accept: false; reason: string }): Promise<Application> {
  await db.transaction(async (tx) => {
    const application = await lockApplicationAndRound(tx, actor, id);
    const round = application.round;
    if (round.status !== 'open') throw conflict('brand.round_not_open');
    const allowed = decision.accept ? application.status === 'submitted' : application.status === 'submitted' || application.status === 'accepted';
    if (!allowed) throw conflict('brand.application_state');
    await tx.execute(sql`update brand_applications set status = ${decision.accept ? 'accepted' : 'returned'},
      return_reason = ${decision.accept ? null : decision.reason}, checked_by = ${actor.userId} where id = ${id}`);
    await audit(tx, actor, { action: decision.accept ? 'brand.accept' : 'brand.return', targetType: 'brand_application', targetId: id, orgPath: application.org_path,
      detail: { roundId: round.id, brandName: application.brand_name, ...(decision.accept ? {} : { reason: decision.reason }) } });
  });
  return getApplication(db, actor, id);
}

// ---------- judging, levels, 公示, finalizing ----------

/** Applications stop; the accepted ones become the entries of a judging-engine panel with the round's rubric and judges. */
export async function startJudging(db: Db, actor: Actor, id: string): Promise<ReviewRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, { lock: true, manage: true });
    if (round.status !== 'open') throw conflict('brand.round_not_open');
    const applications = (await tx.execute<ApplicationRow>(sql`select ${applicationColumns} ${applicationJoins}
      where a.round_id = ${id} and a.status in ('submitted', 'accepted') order by a.id`)).rows;
    if (applications.some((a) => a.status === 'submitted')) throw conflict('brand.applications_unchecked');
    if (applications.length === 0) throw conflict('brand.nothing_to_judge');
    const judges = idArray(round.judge_user_ids);
    if (judges.length === 0) throw conflict('brand.no_judges');
    const { panelId } = await createPanel(tx, actor, {
      ownerModule: 'brands', ownerRef: id, title: round.title, orgId: round.org_id, criteria: json(round.criteria), blind: round.blind, judgeUserIds: judges,
    });
    // on a blind panel the judges read the materials without the brand's name (the engine hides title and org)
    await addPanelEntries(tx, actor, panelId, applications.map((a) => ({
      ref: a.id, orgId: a.org_id, title: a.brand_name,
      summary: [round.blind ? null : a.slogan, a.distinctive, a.statement].filter(Boolean).join('\n\n').slice(0, 8000),
    })));
    await tx.execute(sql`update brand_review_rounds set status = 'judging', panel_id = ${panelId} where id = ${id}`);
    await audit(tx, actor, { action: 'brand.start_judging', targetType: 'brand_review_round', targetId: id, orgPath: round.org_path,
      detail: { title: round.title, panelId, entries: applications.length, judges: judges.length } });
  });
  return getRound(db, actor, id);
}

/** The levels the thresholds propose for a score: the highest star reached, and the highest title reached. */
export function proposeLevels(levels: RoundLevel[], score: number | null): { star: number | null; title: BrandTitle | null } {
  if (score == null) return { star: null, title: null };
  const reached = levels.filter((l) => score >= l.minScore).map((l) => l.level);
  const stars = reached.map(starOfLevel).filter((s): s is number => s !== null);
  const title: BrandTitle | null = reached.includes('model') ? 'model' : reached.includes('cultivating') ? 'cultivating' : null;
  return { star: stars.length ? Math.max(...stars) : null, title };
}

/** Judging ends: each application keeps the panel's score and rank, and the levels its score reaches. */
export async function closeJudging(db: Db, actor: Actor, id: string): Promise<ReviewRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, { lock: true, manage: true });
    if (round.status !== 'judging' || !round.panel_id) throw conflict('brand.not_judging');
    try {
      await closePanel(tx, actor, round.panel_id);
    } catch (error) {
      // closed already on the judging pages: its results are final either way
      if (!(error instanceof AppError && error.code === 'judging.panel_closed')) throw error;
    }
    const results = await panelResults(tx, round.panel_id);
    const levels = json(round.levels);
    const proposed = results.map((r) => ({ ref: r.ref, score: r.score, rank: r.rank, ...proposeLevels(levels, r.score) }));
    if (proposed.length) {
      await tx.execute(sql`update brand_applications a set score = nullif(u.score, '')::numeric, rank = nullif(u.rank, '')::int,
          proposed_star = nullif(u.star, '')::smallint, proposed_title = nullif(u.title_text, ''), star_level = nullif(u.star, '')::smallint, title = nullif(u.title_text, '')
        from unnest(${textArray(proposed.map((p) => p.ref))}::bigint[], ${textArray(proposed.map((p) => p.score?.toString() ?? ''))}::text[],
                    ${textArray(proposed.map((p) => p.rank?.toString() ?? ''))}::text[], ${textArray(proposed.map((p) => p.star?.toString() ?? ''))}::text[],
                    ${textArray(proposed.map((p) => p.title ?? ''))}::text[]) as u (id, score, rank, star, title_text)
       where a.id = u.id and a.round_id = ${id}`);
    }
    await tx.execute(sql`update brand_review_rounds set status = 'scored' where id = ${id}`);
    await audit(tx, actor, { action: 'brand.close_judging', targetType: 'brand_review_round', targetId: id, orgPath: round.org_path,
      detail: { title: round.title, scored: proposed.filter((p) => p.score !== null).length } });
  });
  return getRound(db, actor, id);
}

/** The round's administrators may set another offered level than the thresholds proposed, with the reason recorded. */
export async function adjustLevel(db: Db, actor: Actor, id: string, input: AdjustLevel): Promise<Application> {
  await db.transaction(async (tx) => {
    const application = await lockApplicationAndRound(tx, actor, id);
    const round = application.round;
    if (round.status !== 'scored') throw conflict('brand.not_scored');
    if (application.status !== 'accepted') throw conflict('brand.application_state');
    const offered = new Set(json(round.levels).map((l) => l.level));
    if (input.starLevel !== null && !offered.has(`star${input.starLevel}` as never)) throw invalidField('starLevel', 'brand.level_not_offered');
    if (input.title !== null && !offered.has(input.title)) throw invalidField('title', 'brand.level_not_offered');
    await tx.execute(sql`update brand_applications set star_level = ${input.starLevel}, title = ${input.title}, adjust_reason = ${input.reason} where id = ${id}`);
    await audit(tx, actor, { action: 'brand.adjust_level', targetType: 'brand_application', targetId: id, orgPath: application.org_path, detail: {
      brandName: application.brand_name, from: { starLevel: num(application.star_level), title: application.title }, to: { starLevel: input.starLevel, title: input.title }, reason: input.reason,
    } });
  });
  return getApplication(db, actor, id);
}

/** The results (the applications given a level) go to a 公示 published by the round's org. */
export async function openNotice(db: Db, actor: Actor, id: string, input: OpenNotice): Promise<ReviewRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, { lock: true, manage: true });
    if (round.status !== 'scored') throw conflict('brand.not_scored');
    const awarded = (await tx.execute<ApplicationRow>(sql`select ${applicationColumns} ${applicationJoins}
      where a.round_id = ${id} and a.status = 'accepted' and (a.star_level is not null or a.title is not null) order by a.rank nulls last, a.id`)).rows;
    if (awarded.length === 0) throw conflict('brand.nothing_to_publish');
    const { publicNoticeId } = await openPublicNotice(tx, actor, {
      kind: 'brand', sourceId: id, orgId: round.org_id, title: `${round.title}结果公示`, startsOn: input.startsOn, endsOn: input.endsOn,
      items: awarded.map((a) => ({ ref: a.id, name: a.brand_name, orgName: a.org_name, title: levelLabel(num(a.star_level), a.title), summary: a.slogan })),
    });
    await tx.execute(sql`update brand_review_rounds set status = 'notice', public_notice_id = ${publicNoticeId} where id = ${id}`);
    await audit(tx, actor, { action: 'brand.open_notice', targetType: 'brand_review_round', targetId: id, orgPath: round.org_path,
      detail: { title: round.title, publicNoticeId, items: awarded.length, startsOn: input.startsOn, endsOn: input.endsOn } });
  });
  return getRound(db, actor, id);
}

/** The 公示 upheld an objection against one item: that application's result is withdrawn (called in the 公示's transaction). */
export async function withdrawApplication(tx: Tx, roundId: string, applicationId: string, reason: string): Promise<void> {
  if (!ID.test(roundId) || !ID.test(applicationId)) return;
  await tx.execute(sql`update brand_applications set status = 'withdrawn', withdrawn_reason = ${reason}
    where id = ${applicationId} and round_id = ${roundId} and status = 'accepted'`);
}

/**
 * After the 公示 has ended with no objection pending, every application still holding a level is
 * awarded: its brand takes the star level and title, and the round joins the brand's history.
 */
export async function finalizeRound(db: Db, actor: Actor, id: string): Promise<ReviewRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, { lock: true, manage: true });
    if (round.status !== 'notice' || !round.public_notice_id) throw conflict('brand.not_in_notice');
    const state = await publicNoticeState(tx, round.public_notice_id);
    if (state.status !== 'ended') throw conflict('brand.notice_not_ended', { endsOn: state.endsOn });
    if (state.pendingObjections > 0) throw conflict('brand.objections_pending', { count: state.pendingObjections });
    const awarded = (await tx.execute<{ id: string; brand_id: string } & Row>(sql`
      update brand_applications set status = 'awarded'
       where round_id = ${id} and status = 'accepted' and (star_level is not null or title is not null)
         and not (id::text = any(${textArray(state.withdrawnRefs)}::text[]))
      returning id::text, brand_id::text`)).rows;
    if (awarded.length) {
      const ids = textArray(awarded.map((a) => a.id));
      await tx.execute(sql`update brands b set star_level = a.star_level, title = a.title, updated_at = now()
        from brand_applications a where a.id = any(${ids}::bigint[]) and b.id = a.brand_id`);
      await tx.execute(sql`insert into brand_level_history (brand_id, round_id, year, star_level, title)
        select a.brand_id, a.round_id, ${round.year}, a.star_level, a.title from brand_applications a where a.id = any(${ids}::bigint[])`);
    }
    await tx.execute(sql`update brand_review_rounds set status = 'finalized' where id = ${id}`);
    await audit(tx, actor, { action: 'brand.finalize', targetType: 'brand_review_round', targetId: id, orgPath: round.org_path,
      detail: { title: round.title, awarded: awarded.length, withdrawn: state.withdrawnRefs.length } });
  });
  return getRound(db, actor, id);
}
