import { sql, type SQL } from 'drizzle-orm';
import {
  LEVEL_ORG_TYPES, type CloseItem, type CreateTemplate, type IssueResult, type IssueTemplate, type Item, type ItemDetail, type ItemPage, type ItemQuery,
  type ListDetail, type ListPage, type ListQuery, type ListSummary, type MyLists, type RecordInspection, type ReportProgress, type ResponsibilityLevel,
  type Template, type TemplatePage, type TemplateQuery, type UpdateTemplate,
} from '../../../../contracts/responsibility_lists.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { isWithin } from '../../platform/actor.js';
import { memberNameOf, partyMembersUnder } from '../members/party-members.js';
import { awaitingInspection } from './todos.js';
import {
  canInspectList, canIssueTemplate, canReportOnList, canReportOnOwnList, managedTemplates, ownLists, pathInScope, visibleLists,
} from './policy.js';

type Row = Record<string, unknown>;
const iso = (v: Date | string) => new Date(v).toISOString();
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/**
 * Who reads an item: `admin` — the admins of the owning org and above (the console); `own` — the
 * member whose own list it is (/me). The scope decides what exists for the caller: outside it, 404.
 */
export type Viewer = 'admin' | 'own';
const scopeOf = (actor: Actor, viewer: Viewer): SQL => (viewer === 'admin' ? visibleLists(actor) : ownLists(actor));

/**
 * The one definition of an overdue item (alias `i`): still open past its deadline, or under
 * rectification past the rectification deadline. A reported item waits for the level above and is not
 * overdue. Every figure and the list it opens use this, so they agree.
 */
export function isOverdueItem(alias = 'i'): SQL {
  const a = sql.raw(alias);
  return sql`((${a}.status = 'open' and ${a}.deadline < current_date) or (${a}.status = 'rectifying' and coalesce(${a}.rectify_deadline, ${a}.deadline) < current_date))`;
}

// ---------- templates ----------

type TemplateRow = { id: string; org_id: string; org_path: string; org_name: string; level: ResponsibilityLevel; year: number; title: string; created_at: Date | string; list_count: number; items: unknown } & Row;
const templateColumns = sql`t.id::text, t.org_id::text, t.org_path::text, o.name as org_name, t.level, t.year, t.title, t.created_at,
  (select count(*)::int from responsibility_lists l where l.template_id = t.id) as list_count,
  coalesce((select json_agg(json_build_object('task', ti.task, 'deadline', ti.deadline::text, 'evidenceRequired', ti.evidence_required) order by ti.sort_order)
              from responsibility_template_items ti where ti.template_id = t.id), '[]'::json) as items`;

const toTemplate = (r: TemplateRow, actor: Actor): Template => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, level: r.level, year: Number(r.year), title: r.title,
  items: json<Template['items']>(r.items), listCount: Number(r.list_count), createdAt: iso(r.created_at), canIssue: canIssueTemplate(actor, { orgPath: r.org_path }),
});

export async function listTemplates(db: Db, actor: Actor, query: TemplateQuery): Promise<TemplatePage> {
  const conditions: SQL[] = [managedTemplates(actor)];
  if (query.year) conditions.push(sql`t.year = ${query.year}`);
  if (query.level) conditions.push(sql`t.level = ${query.level}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<TemplateRow>(sql`select ${templateColumns} from responsibility_templates t join orgs o on o.id = t.org_id where ${where}
      order by t.year desc, t.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from responsibility_templates t where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toTemplate(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findTemplate(q: Queryable, actor: Actor, id: string, lock: false | 'share' | 'update' = false): Promise<TemplateRow> {
  const row = (await q.execute<TemplateRow>(sql`select ${templateColumns} from responsibility_templates t join orgs o on o.id = t.org_id
    where t.id = ${id} and ${managedTemplates(actor)} ${lock ? sql.raw(`for ${lock} of t`) : sql``}`)).rows[0];
  if (!row) throw notFound('responsibility.template_not_found');
  return row;
}

export async function getTemplate(db: Db, actor: Actor, id: string): Promise<Template> {
  return toTemplate(await findTemplate(db, actor, id), actor);
}

export async function createTemplate(db: Db, actor: Actor, input: CreateTemplate): Promise<Template> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const newId = (await tx.execute<{ id: string } & Row>(sql`
      insert into responsibility_templates (org_id, org_path, level, year, title, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.level}, ${input.year}, ${input.title}, ${actor.userId}) returning id::text`)).rows[0]!.id;
    await tx.execute(sql`insert into responsibility_template_items (template_id, sort_order, task, deadline, evidence_required)
      values ${sql.join(input.items.map((item, i) => sql`(${newId}, ${i}, ${item.task}, ${item.deadline}, ${item.evidenceRequired})`), sql`, `)}`);
    await audit(tx, actor, { action: 'responsibility.create_template', targetType: 'responsibility_template', targetId: newId, orgPath: org.path,
      detail: { title: input.title, level: input.level, year: input.year, items: input.items.length } });
    return newId;
  });
  return getTemplate(db, actor, id);
}

/**
 * A template is corrected only while no list has been issued from it: issued lists carry their own copy
 * of the items, and a silent change would leave the template saying something the lists do not.
 */
async function findUnissuedTemplate(tx: Queryable, actor: Actor, id: string): Promise<TemplateRow> {
  const template = await findTemplate(tx, actor, id, 'update');
  if (!canIssueTemplate(actor, { orgPath: template.org_path })) throw notFound('responsibility.template_not_found');
  if (Number(template.list_count) > 0) throw conflict('responsibility.template_issued');
  return template;
}

export async function updateTemplate(db: Db, actor: Actor, id: string, input: UpdateTemplate): Promise<Template> {
  await db.transaction(async (tx) => {
    const template = await findUnissuedTemplate(tx, actor, id);
    await tx.execute(sql`update responsibility_templates set
      level = ${input.level ?? template.level}, year = ${input.year ?? template.year}, title = ${input.title ?? template.title} where id = ${template.id}`);
    if (input.items) {
      await tx.execute(sql`delete from responsibility_template_items where template_id = ${template.id}`);
      await tx.execute(sql`insert into responsibility_template_items (template_id, sort_order, task, deadline, evidence_required)
        values ${sql.join(input.items.map((item, i) => sql`(${template.id}, ${i}, ${item.task}, ${item.deadline}, ${item.evidenceRequired})`), sql`, `)}`);
    }
    await audit(tx, actor, { action: 'responsibility.update_template', targetType: 'responsibility_template', targetId: template.id, orgPath: template.org_path,
      detail: { title: input.title ?? template.title, changed: Object.keys(input), ...(input.items ? { items: input.items.length } : {}) } });
  });
  return getTemplate(db, actor, id);
}

export async function deleteTemplate(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const template = await findUnissuedTemplate(tx, actor, id);
    await tx.execute(sql`delete from responsibility_templates where id = ${template.id}`);
    await audit(tx, actor, { action: 'responsibility.delete_template', targetType: 'responsibility_template', targetId: template.id, orgPath: template.org_path,
      detail: { title: template.title, level: template.level, year: Number(template.year) } });
  });
}

/**
 * Issues a template below its org in one statement: a list for every org of the level's types in the
 * chosen subtree (strictly below the issuing org), or — level 党员 — for every party member there,
 * each with the template's items. A list already issued to an owner is kept (issuing again adds the
 * orgs and members that came since).
 */
export async function issueTemplate(db: Db, actor: Actor, id: string, input: IssueTemplate): Promise<IssueResult> {
  return db.transaction(async (tx) => {
    const template = await findTemplate(tx, actor, id, 'share');
    const subtree = await managedOrg(tx, actor, input.subtreeOrgId, { field: 'subtreeOrgId', lock: 'share' });
    if (!isWithin(subtree.path, template.org_path)) throw invalidField('subtreeOrgId', 'responsibility.subtree_outside');
    const listColumns = sql`${template.id}::bigint, ${template.level}, ${template.year}::int, ${template.title}, ${actor.userId}::bigint`;
    let targets: SQL;
    if (template.level === 'member') {
      if (input.orgTypes) throw invalidField('orgTypes', 'responsibility.org_type_for_member');
      targets = partyMembersUnder(subtree.path);
    } else {
      const types = input.orgTypes ?? LEVEL_ORG_TYPES[template.level];
      targets = sql`select o.id as org_id, o.path as org_path, null::bigint as member_id from orgs o
        where o.path <@ ${subtree.path}::ltree and o.path <> ${template.org_path}::ltree and o.type = any(${textArray(types)}::text[]) and o.dissolved_at is null`;
    }
    const counts = (await tx.execute<{ targets: number; issued: number } & Row>(sql`
      with targets as (${targets}),
      new_lists as (
        insert into responsibility_lists (org_id, org_path, member_id, template_id, level, year, title, issued_by)
        select org_id, org_path, member_id, ${listColumns} from targets
        on conflict do nothing
        returning id
      ),
      new_items as (
        insert into responsibility_items (list_id, sort_order, task, deadline, evidence_required)
        select l.id, ti.sort_order, ti.task, ti.deadline, ti.evidence_required
          from new_lists l cross join responsibility_template_items ti where ti.template_id = ${template.id}
        returning 1
      )
      select (select count(*) from targets)::int as targets, (select count(*) from new_lists)::int as issued`)).rows[0]!;
    const result = { issued: Number(counts.issued), alreadyIssued: Number(counts.targets) - Number(counts.issued) };
    await audit(tx, actor, { action: 'responsibility.issue', targetType: 'responsibility_template', targetId: template.id, orgPath: template.org_path,
      detail: { title: template.title, subtreeOrgId: subtree.id, orgTypes: input.orgTypes ?? null, ...result } });
    return result;
  });
}

// ---------- lists ----------

type ListRow = {
  id: string; template_id: string; org_id: string; org_path: string; org_name: string; member_id: string | null; member_name: string | null; level: ResponsibilityLevel;
  year: number; title: string; status: 'open' | 'closed'; issued_at: Date | string; item_count: number; reported_count: number; closed_count: number; overdue_count: number;
} & Row;

const listColumns = sql`l.id::text, l.template_id::text, l.org_id::text, l.org_path::text, o.name as org_name, l.member_id::text, ${memberNameOf(sql`l.member_id`)} as member_name,
  l.level, l.year, l.title, l.status, l.issued_at, c.item_count, c.reported_count, c.closed_count, c.overdue_count`;
const listFrom = sql`responsibility_lists l join orgs o on o.id = l.org_id
  cross join lateral (select count(*)::int as item_count, (count(*) filter (where i.status = 'reported'))::int as reported_count,
                             (count(*) filter (where i.status = 'closed'))::int as closed_count, (count(*) filter (where ${isOverdueItem()}))::int as overdue_count
                        from responsibility_items i where i.list_id = l.id) c`;

const toList = (r: ListRow): ListSummary => ({
  id: r.id, templateId: r.template_id, orgId: r.org_id, orgName: r.org_name, memberName: r.member_name, level: r.level, year: Number(r.year), title: r.title,
  status: r.status, itemCount: Number(r.item_count), reportedCount: Number(r.reported_count), closedCount: Number(r.closed_count),
  overdueCount: Number(r.overdue_count), issuedAt: iso(r.issued_at),
});

export async function listLists(db: Db, actor: Actor, query: ListQuery): Promise<ListPage> {
  const conditions: SQL[] = [visibleLists(actor)];
  if (query.templateId) conditions.push(sql`l.template_id = ${query.templateId}`);
  if (query.orgId) conditions.push(sql`l.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.year) conditions.push(sql`l.year = ${query.year}`);
  if (query.level) conditions.push(sql`l.level = ${query.level}`);
  if (query.status) conditions.push(sql`l.status = ${query.status}`);
  if (query.overdue !== undefined) conditions.push(sql`${query.overdue ? sql`` : sql`not`} exists (select 1 from responsibility_items i where i.list_id = l.id and ${isOverdueItem()})`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<ListRow>(sql`select ${listColumns} from ${listFrom} where ${where} order by l.year desc, l.org_path, l.member_id nulls first, l.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from responsibility_lists l where ${where}`),
  ]);
  return { items: rows.rows.map(toList), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getList(db: Db, actor: Actor, id: string, viewer: Viewer = 'admin'): Promise<ListDetail> {
  const row = (await db.execute<ListRow>(sql`select ${listColumns} from ${listFrom} where l.id = ${id} and ${scopeOf(actor, viewer)}`)).rows[0];
  if (!row) throw notFound('responsibility.list_not_found');
  const items = await db.execute<ItemRow>(sql`select ${itemColumns} from ${itemFrom} where i.list_id = ${id} order by i.sort_order`);
  return { ...toList(row), items: items.rows.map(toItem) };
}

/** A member's own lists (党员 level), newest year first, each with its items (two queries, however many lists). */
export async function myLists(db: Db, actor: Actor): Promise<MyLists> {
  if (!actor.memberId) return { items: [] };
  const lists = await db.execute<ListRow>(sql`select ${listColumns} from ${listFrom} where ${ownLists(actor)} order by l.year desc, l.id desc limit 20`);
  const ids = lists.rows.map((r) => r.id);
  const items = ids.length
    ? await db.execute<ItemRow>(sql`select ${itemColumns} from ${itemFrom} where i.list_id = any(${textArray(ids)}::bigint[]) order by i.list_id, i.sort_order`)
    : { rows: [] as ItemRow[] };
  return { items: lists.rows.map((r) => ({ ...toList(r), items: items.rows.filter((i) => i.list_id === r.id).map(toItem) })) };
}

// ---------- items ----------

type ItemRow = {
  id: string; list_id: string; list_title: string; org_id: string; org_path: string; org_name: string; member_id: string | null; member_name: string | null;
  task: string; deadline: string; evidence_required: string; status: Item['status']; rectify_deadline: string | null; is_overdue: boolean;
  closed_at: Date | string | null; close_note: string | null;
} & Row;

const itemColumns = sql`i.id::text, i.list_id::text, l.title as list_title, l.org_id::text, l.org_path::text, o.name as org_name, l.member_id::text, ${memberNameOf(sql`l.member_id`)} as member_name,
  i.task, i.deadline::text, i.evidence_required, i.status, i.rectify_deadline::text, ${isOverdueItem()} as is_overdue, i.closed_at, i.close_note`;
const itemFrom = sql`responsibility_items i join responsibility_lists l on l.id = i.list_id join orgs o on o.id = l.org_id`;

const toItem = (r: ItemRow): Item => ({
  id: r.id, listId: r.list_id, listTitle: r.list_title, orgId: r.org_id, orgName: r.org_name, memberName: r.member_name, task: r.task, deadline: r.deadline,
  evidenceRequired: r.evidence_required, status: r.status, rectifyDeadline: r.rectify_deadline, isOverdue: Boolean(r.is_overdue), closedAt: r.closed_at ? iso(r.closed_at) : null,
});

export async function listItems(db: Db, actor: Actor, query: ItemQuery): Promise<ItemPage> {
  const conditions: SQL[] = [visibleLists(actor)];
  if (query.listId) conditions.push(sql`i.list_id = ${query.listId}`);
  if (query.templateId) conditions.push(sql`l.template_id = ${query.templateId}`);
  if (query.orgId) conditions.push(sql`l.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.status) conditions.push(sql`i.status = ${query.status}`);
  if (query.overdue !== undefined) conditions.push(query.overdue ? isOverdueItem() : sql`not ${isOverdueItem()}`);
  if (query.waiting === 'inspection') {
    conditions.push(awaitingInspection(query.orgId ? sql`(select path from orgs where id = ${query.orgId})` : null, (path) => pathInScope(actor, path)));
  }
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<ItemRow>(sql`select ${itemColumns} from ${itemFrom} where ${where} order by i.deadline, l.org_path, i.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from responsibility_items i join responsibility_lists l on l.id = i.list_id where ${where}`),
  ]);
  return { items: rows.rows.map(toItem), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findItem(q: Queryable, actor: Actor, id: string, viewer: Viewer, lock = false): Promise<ItemRow> {
  const row = (await q.execute<ItemRow>(sql`select ${itemColumns} from ${itemFrom} where i.id = ${id} and ${scopeOf(actor, viewer)} ${lock ? sql`for update of i` : sql``}`)).rows[0];
  if (!row) throw notFound('responsibility.item_not_found');
  return row;
}

const listOf = (row: ItemRow) => ({ orgPath: row.org_path, memberId: row.member_id });
const filesBase = (viewer: Viewer, itemId: string) => (viewer === 'admin' ? `/api/responsibility/items/${itemId}/files` : `/api/me/responsibility/items/${itemId}/files`);

export async function getItem(db: Queryable, actor: Actor, id: string, viewer: Viewer = 'admin'): Promise<ItemDetail> {
  const row = await findItem(db, actor, id, viewer);
  const [reports, inspections] = await Promise.all([
    db.execute<{ id: string; body: string; reporter_name: string; created_at: Date | string; files: unknown } & Row>(sql`
      select r.id::text, r.body, r.reporter_name, r.created_at,
             coalesce((select json_agg(json_build_object('id', f.id::text, 'fileName', f.file_name, 'mimeType', f.mime_type, 'sizeBytes', f.size_bytes) order by f.id)
                         from responsibility_files f where f.report_id = r.id), '[]'::json) as files
        from responsibility_progress_reports r where r.item_id = ${id} order by r.id desc`),
    db.execute<{ id: string; inspected_on: string; inspectors: string; findings: string; rectification_required: boolean; rectify_deadline: string | null; recorder_name: string; created_at: Date | string } & Row>(sql`
      select id::text, inspected_on::text, inspectors, findings, rectification_required, rectify_deadline::text, recorder_name, created_at
        from responsibility_inspections where item_id = ${id} order by id desc`),
  ]);
  const base = filesBase(viewer, id);
  const list = listOf(row);
  return {
    ...toItem(row),
    closeNote: row.close_note,
    reports: reports.rows.map((r) => ({
      id: r.id, body: r.body, reporterName: r.reporter_name, createdAt: iso(r.created_at),
      files: json<{ id: string; fileName: string; mimeType: string; sizeBytes: number }[]>(r.files).map((f) => ({ ...f, sizeBytes: Number(f.sizeBytes), url: `${base}/${f.id}` })),
    })),
    inspections: inspections.rows.map((i) => ({
      id: i.id, inspectedOn: i.inspected_on, inspectors: i.inspectors, findings: i.findings, rectificationRequired: i.rectification_required,
      rectifyDeadline: i.rectify_deadline, recorderName: i.recorder_name, createdAt: iso(i.created_at),
    })),
    canReport: row.status !== 'closed' && (viewer === 'admin' ? canReportOnList(actor, list) : canReportOnOwnList(actor, list)),
    canInspect: viewer === 'admin' && row.status !== 'closed' && canInspectList(actor, list),
  };
}

/** The item the actor may report on, locked: 404 outside their scope, 403 when they see it but do not own it, 409 once closed. */
async function findReportableItem(q: Queryable, actor: Actor, id: string, viewer: Viewer): Promise<ItemRow> {
  const row = await findItem(q, actor, id, viewer, true);
  const owns = viewer === 'admin' ? canReportOnList(actor, listOf(row)) : canReportOnOwnList(actor, listOf(row));
  if (!owns) throw forbidden('responsibility.not_owner');
  if (row.status === 'closed') throw conflict('responsibility.item_closed');
  return row;
}

export async function reportProgress(db: Db, actor: Actor, id: string, input: ReportProgress, viewer: Viewer): Promise<{ id: string; item: ItemDetail }> {
  const reportId = await db.transaction(async (tx) => {
    const row = await findReportableItem(tx, actor, id, viewer);
    const inserted = (await tx.execute<{ id: string } & Row>(sql`insert into responsibility_progress_reports (item_id, body, reported_by, reporter_name)
      values (${id}, ${input.body}, ${actor.userId}, ${actor.displayName}) returning id::text`)).rows[0]!.id;
    await tx.execute(sql`update responsibility_items set status = 'reported', updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'responsibility.report_progress', targetType: 'responsibility_item', targetId: id, orgPath: row.org_path,
      detail: { title: row.task, reportId: inserted, from: row.status } });
    return inserted;
  });
  return { id: reportId, item: await getItem(db, actor, id, viewer) };
}

export async function addEvidence(db: Db, actor: Actor, dataDir: string, id: string, reportId: string, upload: Upload, viewer: Viewer): Promise<ItemDetail> {
  const check = async (q: Queryable) => {
    const row = await findReportableItem(q, actor, id, viewer);
    const report = (await q.execute(sql`select 1 from responsibility_progress_reports where id = ${reportId} and item_id = ${id}`)).rows[0];
    if (!report) throw notFound('responsibility.report_not_found');
    return row;
  };
  // checked before the file is written, then again in the transaction that records it
  await db.transaction(check);
  const key = await storeUpload(dataDir, `responsibility/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const row = await check(tx);
      const fileId = (await tx.execute<{ id: string } & Row>(sql`insert into responsibility_files (report_id, kind, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${reportId}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`)).rows[0]!.id;
      await audit(tx, actor, { action: 'responsibility.add_evidence', targetType: 'responsibility_item', targetId: id, orgPath: row.org_path,
        detail: { reportId, fileId, fileName: upload.fileName, sizeBytes: upload.bytes.length } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getItem(db, actor, id, viewer);
}

export async function findEvidence(db: Db, actor: Actor, id: string, fileId: string, viewer: Viewer): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  await findItem(db, actor, id, viewer);
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select f.file_name, f.mime_type, f.storage_key from responsibility_files f join responsibility_progress_reports r on r.id = f.report_id
     where f.id = ${fileId} and r.item_id = ${id}`)).rows[0];
  if (!row) throw notFound('responsibility.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

/** The item the level above may inspect or close, locked. */
async function findInspectableItem(q: Queryable, actor: Actor, id: string): Promise<ItemRow> {
  const row = await findItem(q, actor, id, 'admin', true);
  if (!canInspectList(actor, listOf(row))) throw forbidden('responsibility.inspect_above_only');
  if (row.status === 'closed') throw conflict('responsibility.item_closed');
  return row;
}

export async function recordInspection(db: Db, actor: Actor, id: string, input: RecordInspection): Promise<ItemDetail> {
  await db.transaction(async (tx) => {
    const row = await findInspectableItem(tx, actor, id);
    const deadline = input.rectificationRequired ? (input.rectifyDeadline ?? null) : null;
    await tx.execute(sql`insert into responsibility_inspections (item_id, inspected_on, inspectors, findings, rectification_required, rectify_deadline, recorded_by, recorder_name)
      values (${id}, ${input.inspectedOn}, ${input.inspectors}, ${input.findings}, ${input.rectificationRequired}, ${deadline}, ${actor.userId}, ${actor.displayName})`);
    if (input.rectificationRequired) {
      await tx.execute(sql`update responsibility_items set status = 'rectifying', rectify_deadline = ${deadline}, updated_at = now() where id = ${id}`);
    }
    await audit(tx, actor, { action: 'responsibility.inspect', targetType: 'responsibility_item', targetId: id, orgPath: row.org_path,
      detail: { title: row.task, inspectedOn: input.inspectedOn, inspectors: input.inspectors, rectificationRequired: input.rectificationRequired, rectifyDeadline: deadline } });
  });
  return getItem(db, actor, id);
}

export async function closeItem(db: Db, actor: Actor, id: string, input: CloseItem): Promise<ItemDetail> {
  await db.transaction(async (tx) => {
    const row = await findInspectableItem(tx, actor, id);
    await tx.execute(sql`update responsibility_items set status = 'closed', closed_at = now(), closed_by = ${actor.userId}, close_note = ${input.note ?? null}, updated_at = now()
      where id = ${id}`);
    // the list is done with its last item
    await tx.execute(sql`update responsibility_lists set status = 'closed' where id = ${row.list_id}
      and not exists (select 1 from responsibility_items i where i.list_id = ${row.list_id} and i.status <> 'closed')`);
    await audit(tx, actor, { action: 'responsibility.close_item', targetType: 'responsibility_item', targetId: id, orgPath: row.org_path,
      detail: { title: row.task, from: row.status, note: input.note ?? null } });
  });
  return getItem(db, actor, id);
}
