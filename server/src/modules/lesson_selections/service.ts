import { sql, type SQL } from 'drizzle-orm';
import type {
  CreateLessonEntry, CreateLessonSelection, LessonEntry, LessonEntryFile, LessonEntryListQuery, LessonEntryPage, LessonEntryStatus, LessonSelection,
  LessonSelectionListQuery, LessonSelectionPage, LessonSelectionStatus, LessonWinnerPage, LessonWinnerQuery, OpenLessonNotice, OpenLessonPanel, ReviewLessonEntry,
} from '../../../../contracts/lesson_selections.js';
import type { RubricCriterion } from '../../../../contracts/judging.js';
import { isWithin, type Actor } from '../../platform/actor.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { chinaDateOf } from '../../platform/china-time.js';
import { AppError, conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { getActivity } from '../activities/service.js';
import { addPanelEntries, closePanel, createPanel, panelResults } from '../judging/service.js';
import { currentMembersIn } from '../members/in-org.js';
import { openPublicNotice, publicNoticeState, registerPublicNoticeHandler } from '../public_notices/service.js';
import { canEnterFor, canManageSelection, entriesInScope, selectionsInScope, winnersVisible } from './policy.js';
import './messages.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const num = (v: unknown) => (v == null ? null : Number(v));
/** node-postgres answers bigint[] as an array; PGlite may answer its literal */
const idsOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v ?? '').replace(/[{}]/g, '').split(',').filter(Boolean));
const jsonOf = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) as T : v as T);

const today = chinaDateOf(sql`now()`);
const MAX_FILES = 5;

// ---------- selections ----------

type SelectionRow = {
  id: string; org_id: string; org_name: string; org_path: string; title: string; year: number; entry_opens_on: string; entry_closes_on: string;
  honours: number; criteria: unknown; judge_user_ids: unknown; blind: boolean; status: LessonSelectionStatus; is_entry_open: boolean;
  panel_id: string | null; public_notice_id: string | null; published_at: Time; created_at: Time;
} & Row;

const selectionColumns = sql`s.id::text, s.org_id::text, o.name as org_name, s.org_path::text, s.title, s.year, s.entry_opens_on::text, s.entry_closes_on::text,
  s.honours, s.criteria, s.judge_user_ids, s.blind, s.status, (s.status = 'entering' and ${today} between s.entry_opens_on and s.entry_closes_on) as is_entry_open,
  s.panel_id::text, s.public_notice_id::text, s.published_at, s.created_at`;
const selectionFrom = sql`lesson_selections s join orgs o on o.id = s.org_id`;

async function findSelection(q: Queryable, actor: Actor, id: string, lock = false): Promise<SelectionRow> {
  const row = (await q.execute<SelectionRow>(sql`select ${selectionColumns} from ${selectionFrom} where s.id = ${id} and ${selectionsInScope(actor)}
    ${lock ? sql`for update of s` : sql``}`)).rows[0];
  if (!row) throw notFound('lesson.selection_not_found');
  return row;
}

/** A selection the actor organizes (an entrant's administrator is answered as for an unknown one). */
async function managedSelection(q: Queryable, actor: Actor, id: string, lock = false): Promise<SelectionRow> {
  const row = await findSelection(q, actor, id, lock);
  if (!canManageSelection(actor, { orgPath: row.org_path })) throw notFound('lesson.selection_not_found');
  return row;
}

async function entryCounts(q: Queryable, actor: Actor, rows: SelectionRow[]): Promise<Map<string, number>> {
  if (!rows.length) return new Map();
  const managed = rows.filter((r) => canManageSelection(actor, { orgPath: r.org_path })).map((r) => r.id);
  const counts = await q.execute<{ selection_id: string; n: number } & Row>(sql`
    select e.selection_id::text, count(*)::int as n from lesson_entries e
     where e.selection_id = any(${textArray(rows.map((r) => r.id))}::bigint[])
       and (e.selection_id = any(${textArray(managed)}::bigint[]) or ${entriesInScope(actor, false)})
     group by e.selection_id`);
  return new Map(counts.rows.map((r) => [r.selection_id, Number(r.n)]));
}

const toSelection = (actor: Actor, r: SelectionRow, entries: number): LessonSelection => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, title: r.title, year: Number(r.year), entryOpensOn: r.entry_opens_on, entryClosesOn: r.entry_closes_on,
  honours: Number(r.honours), criteria: jsonOf<RubricCriterion[]>(r.criteria), judgeUserIds: idsOf(r.judge_user_ids), blind: r.blind === true,
  status: r.status, isEntryOpen: r.is_entry_open === true, panelId: r.panel_id, publicNoticeId: r.public_notice_id, publishedAt: iso(r.published_at),
  entries, createdAt: iso(r.created_at)!, canManage: canManageSelection(actor, { orgPath: r.org_path }),
});

export async function getSelection(q: Queryable, actor: Actor, id: string): Promise<LessonSelection> {
  const row = await findSelection(q, actor, id);
  return toSelection(actor, row, (await entryCounts(q, actor, [row])).get(row.id) ?? 0);
}

export async function listSelections(db: Db, actor: Actor, query: LessonSelectionListQuery): Promise<LessonSelectionPage> {
  const conditions: SQL[] = [selectionsInScope(actor)];
  if (query.year) conditions.push(sql`s.year = ${query.year}`);
  if (query.status) conditions.push(sql`s.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<SelectionRow>(sql`select ${selectionColumns} from ${selectionFrom} where ${where} order by s.year desc, s.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from lesson_selections s where ${where}`),
  ]);
  const counts = await entryCounts(db, actor, rows.rows);
  return { items: rows.rows.map((r) => toSelection(actor, r, counts.get(r.id) ?? 0)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function createSelection(db: Db, actor: Actor, input: CreateLessonSelection): Promise<LessonSelection> {
  const keys = new Set<string>();
  input.criteria.forEach((c, i) => {
    if (keys.has(c.key)) throw invalidField(`criteria.${i}.key`, 'judging.criterion_duplicate');
    keys.add(c.key);
  });
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId' });
    const judges = [...new Set(input.judgeUserIds)];
    if (judges.length) {
      const found = await tx.execute<{ n: number } & Row>(sql`select count(*)::int as n from users where id = any(${textArray(judges)}::bigint[]) and disabled_at is null`);
      if (Number(found.rows[0]?.n ?? 0) !== judges.length) throw invalidField('judgeUserIds', 'judging.judge_not_found');
    }
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into lesson_selections (org_id, org_path, title, year, entry_opens_on, entry_closes_on, honours, criteria, judge_user_ids, blind, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.title}, ${input.year}, ${input.entryOpensOn}, ${input.entryClosesOn}, ${input.honours},
              ${JSON.stringify(input.criteria)}::jsonb, ${textArray(judges)}::bigint[], ${input.blind}, ${actor.userId})
      returning id::text`)).rows[0]!;
    await audit(tx, actor, {
      action: 'lesson.create_selection', targetType: 'lesson_selection', targetId: row.id, orgPath: org.path,
      detail: { title: input.title, year: input.year, honours: input.honours, judges: judges.length },
    });
    return row.id;
  });
  return getSelection(db, actor, id);
}

// ---------- entries (晒课) ----------

type EntryRow = {
  id: string; selection_id: string; org_id: string; org_name: string; org_path: string; lecturer_name: string; lecturer_member_id: string | null; title: string;
  summary: string; material_url: string | null; activity_id: string | null; activity_title: string | null; status: LessonEntryStatus; review_note: string | null;
  score: string | null; rank: number | null; proposed: boolean; withdrawn_reason: string | null; created_at: Time;
} & Row;

const entryColumns = sql`e.id::text, e.selection_id::text, e.org_id::text, o.name as org_name, e.org_path::text, e.lecturer_name, e.lecturer_member_id::text,
  e.title, e.summary, e.material_url, e.activity_id::text, e.activity_title, e.status, e.review_note, e.score::text, e.rank, e.proposed, e.withdrawn_reason, e.created_at`;
const entryFrom = sql`lesson_entries e join orgs o on o.id = e.org_id`;

async function filesOf(q: Queryable, entryIds: string[]): Promise<Map<string, LessonEntryFile[]>> {
  const files = new Map<string, LessonEntryFile[]>();
  if (!entryIds.length) return files;
  const rows = await q.execute<{ id: string; entry_id: string; file_name: string; mime_type: string; kind: string; size_bytes: number } & Row>(sql`
    select id::text, entry_id::text, file_name, mime_type, kind, size_bytes from lesson_entry_files where entry_id = any(${textArray(entryIds)}::bigint[]) order by entry_id, id`);
  for (const r of rows.rows) {
    const list = files.get(r.entry_id) ?? [];
    list.push({ id: r.id, fileName: r.file_name, mimeType: r.mime_type, kind: r.kind, sizeBytes: Number(r.size_bytes) });
    files.set(r.entry_id, list);
  }
  return files;
}

const toEntry = (r: EntryRow, files: LessonEntryFile[]): LessonEntry => ({
  id: r.id, selectionId: r.selection_id, orgId: r.org_id, orgName: r.org_name, lecturerName: r.lecturer_name, lecturerMemberId: r.lecturer_member_id,
  title: r.title, summary: r.summary, materialUrl: r.material_url, activityId: r.activity_id, activityTitle: r.activity_title, status: r.status,
  reviewNote: r.review_note, score: num(r.score), rank: r.rank == null ? null : Number(r.rank), proposed: r.proposed === true,
  withdrawnReason: r.withdrawn_reason, files, createdAt: iso(r.created_at)!,
});

/** Ranked entries first (once judged), then in the order they came in. */
export async function listEntries(db: Db, actor: Actor, selectionId: string, query: LessonEntryListQuery): Promise<LessonEntryPage> {
  const selection = await findSelection(db, actor, selectionId);
  const conditions: SQL[] = [sql`e.selection_id = ${selectionId}`, entriesInScope(actor, canManageSelection(actor, { orgPath: selection.org_path }))];
  if (query.status) conditions.push(sql`e.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<EntryRow>(sql`select ${entryColumns} from ${entryFrom} where ${where} order by e.rank nulls last, e.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from lesson_entries e where ${where}`),
  ]);
  const files = await filesOf(db, rows.rows.map((r) => r.id));
  return { items: rows.rows.map((r) => toEntry(r, files.get(r.id) ?? [])), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findEntry(q: Queryable, actor: Actor, selection: SelectionRow, entryId: string, lock = false): Promise<EntryRow> {
  const row = (await q.execute<EntryRow>(sql`select ${entryColumns} from ${entryFrom} where e.id = ${entryId} and e.selection_id = ${selection.id}
    and ${entriesInScope(actor, canManageSelection(actor, { orgPath: selection.org_path }))} ${lock ? sql`for update of e` : sql``}`)).rows[0];
  if (!row) throw notFound('lesson.entry_not_found');
  return row;
}

async function getEntry(q: Queryable, actor: Actor, selection: SelectionRow, entryId: string): Promise<LessonEntry> {
  const row = await findEntry(q, actor, selection, entryId);
  return toEntry(row, (await filesOf(q, [row.id])).get(row.id) ?? []);
}

/** 晒课: an administrator of an org in the selection's subtree enters one of its lessons, in the entry window. */
export async function createEntry(db: Db, actor: Actor, selectionId: string, input: CreateLessonEntry): Promise<LessonEntry> {
  const entryId = await db.transaction(async (tx) => {
    const selection = await findSelection(tx, actor, selectionId, true);
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId', notFoundKey: 'lesson.entry_org_outside' });
    if (!isWithin(org.path, selection.org_path) || !canEnterFor(actor, org)) throw invalidField('orgId', 'lesson.entry_org_outside');
    if (!selection.is_entry_open) throw conflict('lesson.entry_closed');
    if (input.lecturerMemberId && !(await currentMembersIn(tx, [input.lecturerMemberId], org.path)).size) {
      throw invalidField('lecturerMemberId', 'lesson.lecturer_not_member');
    }
    let activity: { id: string; title: string } | null = null;
    if (input.activityId) {
      try {
        const found = await getActivity(tx, actor, input.activityId);
        if (found.type !== 'party_lesson' || !isWithin(found.orgPath, org.path)) throw invalidField('activityId', 'lesson.activity_not_lesson');
        activity = { id: found.id, title: found.title };
      } catch (error) {
        if (error instanceof AppError && error.status === 404) throw invalidField('activityId', 'lesson.activity_not_lesson');
        throw error;
      }
    }
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into lesson_entries (selection_id, org_id, org_path, lecturer_name, lecturer_member_id, title, summary, material_url, activity_id, activity_title, created_by)
      values (${selectionId}, ${org.id}, ${org.path}::ltree, ${input.lecturerName}, ${input.lecturerMemberId ?? null}, ${input.title}, ${input.summary},
              ${input.materialUrl ?? null}, ${activity?.id ?? null}, ${activity?.title ?? null}, ${actor.userId})
      returning id::text`)).rows[0]!;
    await audit(tx, actor, {
      action: 'lesson.enter', targetType: 'lesson_entry', targetId: row.id, orgPath: org.path,
      detail: { selectionId, title: input.title, lecturerName: input.lecturerName, activityId: activity?.id ?? null },
    });
    return row.id;
  });
  return getEntry(db, actor, await findSelection(db, actor, selectionId), entryId);
}

/** 课件: a document or video file for an entry, by its org's administrators while entries are taken. */
export async function addEntryFile(db: Db, actor: Actor, dataDir: string, selectionId: string, entryId: string, upload: Upload): Promise<LessonEntry> {
  const check = async (q: Queryable) => {
    const selection = await findSelection(q, actor, selectionId, true);
    const entry = await findEntry(q, actor, selection, entryId, true);
    if (!canEnterFor(actor, { path: entry.org_path })) throw notFound('lesson.entry_not_found');
    if (selection.status !== 'entering') throw conflict('lesson.entry_closed');
    const files = await q.execute<{ n: number } & Row>(sql`select count(*)::int as n from lesson_entry_files where entry_id = ${entryId}`);
    if (Number(files.rows[0]?.n ?? 0) >= MAX_FILES) throw invalidField('file', 'lesson.too_many_files', { max: MAX_FILES });
    return entry;
  };
  await db.transaction(check);
  const key = await storeUpload(dataDir, `lessons/${entryId}`, upload);
  try {
    await db.transaction(async (tx) => {
      const entry = await check(tx);
      const fileId = (await tx.execute<{ id: string } & Row>(sql`insert into lesson_entry_files (entry_id, kind, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${entryId}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`)).rows[0]!.id;
      await audit(tx, actor, { action: 'lesson.add_file', targetType: 'lesson_entry', targetId: entryId, orgPath: entry.org_path,
        detail: { fileId, fileName: upload.fileName, sizeBytes: upload.bytes.length } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getEntry(db, actor, await findSelection(db, actor, selectionId), entryId);
}

export async function findEntryFile(db: Queryable, actor: Actor, selectionId: string, entryId: string, fileId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  const selection = await findSelection(db, actor, selectionId);
  await findEntry(db, actor, selection, entryId);
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select file_name, mime_type, storage_key from lesson_entry_files where id = ${fileId} and entry_id = ${entryId}`)).rows[0];
  if (!row) throw notFound('lesson.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

/** The organizer checks an entry before judging: accepted ones go to the panel. */
export async function reviewEntry(db: Db, actor: Actor, selectionId: string, entryId: string, input: ReviewLessonEntry): Promise<LessonEntry> {
  await db.transaction(async (tx) => {
    const selection = await managedSelection(tx, actor, selectionId, true);
    const entry = await findEntry(tx, actor, selection, entryId, true);
    if (selection.status !== 'entering') throw conflict('lesson.not_entering');
    const status: LessonEntryStatus = input.accepted ? 'accepted' : 'rejected';
    await tx.execute(sql`update lesson_entries set status = ${status}, review_note = ${input.note ?? null}, updated_at = now() where id = ${entryId}`);
    await audit(tx, actor, { action: 'lesson.review_entry', targetType: 'lesson_entry', targetId: entryId, orgPath: entry.org_path,
      detail: { selectionId, title: entry.title, status, note: input.note ?? null } });
  });
  return getEntry(db, actor, await findSelection(db, actor, selectionId), entryId);
}

// ---------- 评课: the judging panel ----------

/** 评课: the accepted entries go to a judging panel of the organizing org; judges score at /me/judging. */
export async function openJudging(db: Db, actor: Actor, selectionId: string, input: OpenLessonPanel): Promise<LessonSelection> {
  await db.transaction(async (tx) => {
    const selection = await managedSelection(tx, actor, selectionId, true);
    if (selection.status !== 'entering') throw conflict('lesson.not_entering');
    const judges = input.judgeUserIds ?? idsOf(selection.judge_user_ids);
    if (!judges.length) throw invalidField('judgeUserIds', 'lesson.judges_required');
    const accepted = (await tx.execute<EntryRow>(sql`select ${entryColumns} from ${entryFrom}
      where e.selection_id = ${selectionId} and e.status = 'accepted' order by e.id`)).rows;
    if (!accepted.length) throw conflict('lesson.no_accepted_entries');
    const { panelId } = await createPanel(tx, actor, {
      ownerModule: 'lesson_selections', ownerRef: selectionId, title: selection.title, orgId: selection.org_id,
      criteria: jsonOf<RubricCriterion[]>(selection.criteria), blind: selection.blind, judgeUserIds: judges, closesAt: input.closesAt ?? null,
    });
    // on a blind panel the judges read the lesson, not who gave it nor where
    await addPanelEntries(tx, actor, panelId, accepted.map((e) => ({
      ref: e.id, orgId: e.org_id, title: e.title,
      summary: [selection.blind ? null : `主讲人：${e.lecturer_name}`, e.summary, selection.blind ? null : e.material_url].filter(Boolean).join('\n'),
    })));
    await tx.execute(sql`update lesson_selections set status = 'judging', panel_id = ${panelId}, judge_user_ids = ${textArray([...new Set(judges)])}::bigint[], updated_at = now()
      where id = ${selectionId}`);
    await audit(tx, actor, { action: 'lesson.open_judging', targetType: 'lesson_selection', targetId: selectionId, orgPath: selection.org_path,
      detail: { title: selection.title, panelId, entries: accepted.length, judges: judges.length } });
  });
  return getSelection(db, actor, selectionId);
}

/**
 * Ends the scoring: the panel's ranked results (the engine's trimmed mean and tie-break) are kept on
 * the entries, and the top N (the selection's honours) are proposed.
 */
export async function closeJudging(db: Db, actor: Actor, selectionId: string): Promise<LessonSelection> {
  await db.transaction(async (tx) => {
    const selection = await managedSelection(tx, actor, selectionId, true);
    if (selection.status !== 'judging' || !selection.panel_id) throw conflict('lesson.not_judging');
    try {
      await closePanel(tx, actor, selection.panel_id);
    } catch (error) {
      // closed already on the judging pages: its results are final either way
      if (!(error instanceof AppError && error.code === 'judging.panel_closed')) throw error;
    }
    const results = await panelResults(tx, selection.panel_id);
    const ranked = results.filter((r) => r.rank != null);
    if (ranked.length) {
      await tx.execute(sql`
        update lesson_entries e set score = r.score, rank = r.rank, proposed = r.rank <= ${Number(selection.honours)}, updated_at = now()
          from unnest(${textArray(ranked.map((r) => r.ref))}::bigint[], ${textArray(ranked.map((r) => String(r.score)))}::numeric[],
                      ${textArray(ranked.map((r) => String(r.rank)))}::int[]) r (id, score, rank)
         where e.id = r.id and e.selection_id = ${selectionId}`);
    }
    await tx.execute(sql`update lesson_selections set status = 'proposed', updated_at = now() where id = ${selectionId}`);
    await audit(tx, actor, { action: 'lesson.close_judging', targetType: 'lesson_selection', targetId: selectionId, orgPath: selection.org_path,
      detail: { title: selection.title, ranked: ranked.length, proposed: ranked.filter((r) => r.rank! <= Number(selection.honours)).length } });
  });
  return getSelection(db, actor, selectionId);
}

// ---------- 公示 and publishing ----------

export async function openNotice(db: Db, actor: Actor, selectionId: string, input: OpenLessonNotice): Promise<LessonSelection> {
  await db.transaction(async (tx) => {
    const selection = await managedSelection(tx, actor, selectionId, true);
    if (selection.status !== 'proposed') throw conflict('lesson.not_proposed');
    const proposed = (await tx.execute<EntryRow>(sql`select ${entryColumns} from ${entryFrom}
      where e.selection_id = ${selectionId} and e.proposed and e.status = 'accepted' order by e.rank, e.id`)).rows;
    if (!proposed.length) throw conflict('lesson.nothing_proposed');
    const { publicNoticeId } = await openPublicNotice(tx, actor, {
      kind: 'lesson', sourceId: selectionId, orgId: selection.org_id, title: `${selection.title}拟入选名单公示`, startsOn: input.startsOn, endsOn: input.endsOn,
      items: proposed.map((e) => ({ ref: e.id, name: e.lecturer_name, orgName: e.org_name, title: selection.title, summary: `《${e.title}》` })),
    });
    await tx.execute(sql`update lesson_selections set status = 'notice', public_notice_id = ${publicNoticeId}, updated_at = now() where id = ${selectionId}`);
    await audit(tx, actor, { action: 'lesson.open_notice', targetType: 'lesson_selection', targetId: selectionId, orgPath: selection.org_path,
      detail: { title: selection.title, publicNoticeId, startsOn: input.startsOn, endsOn: input.endsOn, items: proposed.length } });
  });
  return getSelection(db, actor, selectionId);
}

/** Publishes the winners once the 公示 has ended with every objection settled. */
export async function publishSelection(db: Db, actor: Actor, selectionId: string): Promise<LessonSelection> {
  await db.transaction(async (tx) => {
    const selection = await managedSelection(tx, actor, selectionId, true);
    if (selection.status === 'published') throw conflict('lesson.already_published');
    if (selection.status !== 'notice' || !selection.public_notice_id) throw conflict('lesson.not_in_notice');
    const notice = await publicNoticeState(tx, selection.public_notice_id);
    if (notice.status !== 'ended') throw conflict('lesson.notice_not_ended', { endsOn: notice.endsOn });
    if (notice.pendingObjections > 0) throw conflict('lesson.notice_objections_pending', { count: notice.pendingObjections });
    await tx.execute(sql`update lesson_selections set status = 'published', published_at = now(), updated_at = now() where id = ${selectionId}`);
    const honoured = await tx.execute<{ n: number } & Row>(sql`select count(*)::int as n from lesson_entries where selection_id = ${selectionId} and proposed and status = 'accepted'`);
    await audit(tx, actor, { action: 'lesson.publish', targetType: 'lesson_selection', targetId: selectionId, orgPath: selection.org_path,
      detail: { title: selection.title, honoured: Number(honoured.rows[0]?.n ?? 0), withdrawn: notice.withdrawnRefs.length } });
  });
  return getSelection(db, actor, selectionId);
}

/** An objection upheld during the 公示 withdraws the entry (in the public_notices module's transaction). */
export async function withdrawEntry(tx: Tx, item: { sourceId: string; ref: string; reason: string }): Promise<void> {
  if (!/^[1-9]\d{0,17}$/.test(item.ref) || !/^[1-9]\d{0,17}$/.test(item.sourceId)) return;
  const row = (await tx.execute<{ org_path: string; title: string } & Row>(sql`
    update lesson_entries set status = 'withdrawn', proposed = false, withdrawn_reason = ${item.reason}, updated_at = now()
     where id = ${item.ref} and selection_id = ${item.sourceId} and status <> 'withdrawn'
    returning org_path::text, title`)).rows[0];
  if (!row) return;
  await audit(tx, null, { action: 'lesson.withdraw_entry', targetType: 'lesson_entry', targetId: item.ref, orgPath: row.org_path,
    detail: { selectionId: item.sourceId, title: row.title, reason: item.reason } });
}

registerPublicNoticeHandler('lesson', { onItemWithdrawn: (tx, item) => withdrawEntry(tx, item) });

// ---------- the published winners ----------

/** 精品党课: the honoured lessons of the published selections the viewer belongs to, latest first. */
export async function listWinners(db: Db, actor: Actor, query: LessonWinnerQuery): Promise<LessonWinnerPage> {
  const memberOrg = actor.memberId
    ? (await db.execute<{ path: string } & Row>(sql`select org_path::text as path from members where id = ${actor.memberId} and left_at is null`)).rows[0]?.path ?? null
    : null;
  const conditions: SQL[] = [sql`s.status = 'published'`, sql`e.proposed`, sql`e.status = 'accepted'`, winnersVisible(actor, memberOrg)];
  if (query.year) conditions.push(sql`s.year = ${query.year}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<{ entry_id: string; selection_id: string; selection_title: string; year: number; rank: number; title: string; lecturer_name: string;
      org_name: string; summary: string; material_url: string | null; score: string | null } & Row>(sql`
      select e.id::text as entry_id, s.id::text as selection_id, s.title as selection_title, s.year, e.rank, e.title, e.lecturer_name, o.name as org_name,
             e.summary, e.material_url, e.score::text
        from lesson_entries e join lesson_selections s on s.id = e.selection_id join orgs o on o.id = e.org_id
       where ${where} order by s.year desc, s.id desc, e.rank, e.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from lesson_entries e join lesson_selections s on s.id = e.selection_id where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({
      entryId: r.entry_id, selectionId: r.selection_id, selectionTitle: r.selection_title, year: Number(r.year), rank: Number(r.rank), title: r.title,
      lecturerName: r.lecturer_name, orgName: r.org_name, summary: r.summary, materialUrl: r.material_url, score: num(r.score),
    })),
    total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}
