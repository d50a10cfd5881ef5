import { sql, type SQL } from 'drizzle-orm';
import { CHILD_TYPES, ELECTION_DUE_DAYS, TOP_LEVEL_TYPES, type CreateOrg, type DissolveOrg, type MergeOrg, type MoveOrg, type Org, type OrgListQuery, type OrgPage, type OrgType, type UpdateOrg } from '../../../../contracts/orgs.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Db, type Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { canManageOrg, visibleOrgs } from './policy.js';
import { managedOrg } from '../../platform/org-scope.js';
import { likeContaining, pageLimit, partialUpdate } from '../../platform/sql.js';

type OrgRow = {
  id: string; parent_id: string | null; path: string; name: string; type: OrgType; secretary_name: string | null;
  contact_name: string | null; contact_phone: string | null; address: string | null; founded_on: string | null;
  term_start: string | null; term_end: string | null; is_election_due: boolean; is_election_overdue: boolean;
  dissolved_at: Date | string | null; dissolved_reason: string | null; merged_into_id: string | null; member_count: number | string; child_count: number | string;
} & Record<string, unknown>;

// Subtree member counts are read from org_member_counts, which triggers on members keep exact
// (migration 20261123110500): counting the root's 250,000 members per request took ~400 ms.
const orgColumns = sql`
  o.id::text, o.parent_id::text, o.path::text, o.name, o.type, o.secretary_name, o.contact_name, o.contact_phone, o.address,
  o.founded_on::text, o.term_start::text, o.term_end::text,
  (o.term_end is not null and o.term_end >= current_date and o.term_end <= current_date + ${ELECTION_DUE_DAYS}::int) as is_election_due,
  (o.term_end is not null and o.term_end < current_date) as is_election_overdue,
  o.dissolved_at, o.dissolved_reason, o.merged_into_id::text,
  coalesce((select c.subtree_party_members from org_member_counts c where c.org_id = o.id), 0) as member_count,
  (select count(*) from orgs c where c.parent_id = o.id and c.dissolved_at is null)::int as child_count`;

function toOrg(row: OrgRow, actor: Actor): Org {
  return {
    id: row.id,
    parentId: row.parent_id,
    path: row.path,
    name: row.name,
    type: row.type,
    secretaryName: row.secretary_name,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    address: row.address,
    foundedOn: row.founded_on,
    termStart: row.term_start,
    termEnd: row.term_end,
    isElectionDue: row.is_election_due,
    isElectionOverdue: row.is_election_overdue,
    dissolvedAt: row.dissolved_at == null ? null : new Date(row.dissolved_at).toISOString(),
    dissolvedReason: row.dissolved_reason,
    mergedIntoId: row.merged_into_id,
    memberCount: Number(row.member_count),
    childCount: Number(row.child_count),
    canManage: canManageOrg(actor, row),
  };
}

export async function listOrgs(db: Db, actor: Actor, query: OrgListQuery): Promise<OrgPage> {
  const conditions: SQL[] = [visibleOrgs(actor)];
  if (!query.includeDissolved) conditions.push(sql`o.dissolved_at is null`);
  if (query.parentId) conditions.push(sql`o.parent_id = ${query.parentId}`);
  if (query.orgId) conditions.push(sql`o.path <@ ${(await managedOrg(db, actor, query.orgId, { allowDissolved: true })).path}::ltree`);
  if (query.roots) {
    // the top of what the viewer sees: an org whose parent is not itself visible
    conditions.push(sql`not exists (select 1 from orgs p where p.id = o.parent_id and ${visibleOrgs(actor, 'p')})`);
  }
  if (query.type) conditions.push(sql`o.type = ${query.type}`);
  if (query.q) conditions.push(sql`o.search_text like ${likeContaining(simplify(query.q))}`);
  if (query.electionDue === 'due') conditions.push(sql`o.term_end between current_date and current_date + ${ELECTION_DUE_DAYS}::int`);
  if (query.electionDue === 'overdue') conditions.push(sql`o.term_end < current_date`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<OrgRow>(sql`select ${orgColumns} from orgs o where ${where}
      order by nlevel(o.path), o.sort_order, o.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from orgs o where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toOrg(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getOrg(db: Queryable, actor: Actor, id: string): Promise<Org> {
  const result = await db.execute<OrgRow>(sql`select ${orgColumns} from orgs o where o.id = ${id} and ${visibleOrgs(actor)}`);
  const row = result.rows[0];
  if (!row) throw notFound('org.not_found');
  return toOrg(row, actor);
}

export async function listChildren(db: Db, actor: Actor, id: string): Promise<Org[]> {
  // one statement: the children, if the parent is visible (its own columns are not part of the answer);
  // only an empty answer asks again, to tell a childless org from one out of sight
  const rows = await executePrepared<OrgRow>(db, sql`select ${orgColumns} from orgs o
    where o.parent_id = ${id} and o.dissolved_at is null and ${visibleOrgs(actor)}
      and exists (select 1 from orgs p where p.id = ${id} and ${visibleOrgs(actor, 'p')})
    order by o.sort_order, o.id`);
  if (rows.length === 0) {
    const parent = await db.execute(sql`select 1 from orgs p where p.id = ${id} and ${visibleOrgs(actor, 'p')}`);
    if (parent.rows.length === 0) throw notFound('org.not_found');
  }
  return rows.map((r) => toOrg(r, actor));
}

function assertChildType(parentType: OrgType, childType: OrgType, field: string) {
  if (!CHILD_TYPES[parentType].includes(childType)) {
    throw invalidField(field, 'org.type_not_allowed_under', { parent: `org_type.${parentType}`, child: `org_type.${childType}` });
  }
}

export async function createOrg(db: Db, actor: Actor, input: CreateOrg): Promise<Org> {
  const id = await db.transaction(async (tx) => {
    let parent: { id: string; path: string } | null = null;
    if (input.parentId == null) {
      // a new tree (the first 工委 of an empty site, or another one beside it): only the platform's administrator
      if (!actor.isPlatformAdmin) throw invalidField('parentId', 'org.parent_required');
      if (!TOP_LEVEL_TYPES.includes(input.type)) throw invalidField('type', 'org.type_not_top_level', { type: `org_type.${input.type}` });
    } else {
      const found = await managedOrg(tx, actor, input.parentId, { lock: 'share', field: 'parentId' });
      assertChildType(found.type, input.type, 'type');
      parent = found;
    }
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into orgs (parent_id, path, name, type, secretary_name, contact_name, contact_phone, address, founded_on, term_start, term_end, sort_order, search_text)
      values (${parent?.id ?? null}, text2ltree(${parent ? parent.path + '.0' : '0'}), ${input.name}, ${input.type}, ${input.secretaryName ?? null}, ${input.contactName ?? null},
              ${input.contactPhone ?? null}, ${input.address ?? null}, ${input.foundedOn ?? null}, ${input.termStart ?? null}, ${input.termEnd ?? null},
              ${input.sortOrder ?? 0}, ${simplify(input.name)})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    const path = parent ? `${parent.path}.${newId}` : newId;
    // the path ends in the org's own id, known only after the insert
    await tx.execute(sql`update orgs set path = text2ltree(${path}) where id = ${newId}`);
    await audit(tx, actor, { action: 'org.create', targetType: 'org', targetId: newId, orgPath: path, detail: { ...input } });
    return newId;
  });
  return getOrg(db, actor, id);
}

export async function updateOrg(db: Db, actor: Actor, id: string, input: UpdateOrg): Promise<Org> {
  await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, id, { lock: 'update', allowDissolved: true });
    const current = (await tx.execute<{ term_start: string | null; term_end: string | null } & Record<string, unknown>>(
      sql`select term_start::text, term_end::text from orgs where id = ${id}`)).rows[0]!;
    const termStart = input.termStart === undefined ? current.term_start : input.termStart;
    const termEnd = input.termEnd === undefined ? current.term_end : input.termEnd;
    if (termStart && termEnd && termEnd <= termStart) throw invalidField('termEnd', 'org.term_end_before_start');
    const update = partialUpdate();
    update.set('name', input.name);
    if (input.name !== undefined) update.set('search_text', simplify(input.name));
    update.set('secretary_name', input.secretaryName);
    update.set('contact_name', input.contactName);
    update.set('contact_phone', input.contactPhone);
    update.set('address', input.address);
    update.set('founded_on', input.foundedOn);
    update.set('term_start', input.termStart);
    update.set('term_end', input.termEnd);
    update.set('sort_order', input.sortOrder);
    if (update.isEmpty) return;
    await tx.execute(sql`update orgs set ${update.toSql()}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'org.update', targetType: 'org', targetId: id, orgPath: org.path, detail: { ...input } });
  });
  return getOrg(db, actor, id);
}

/**
 * Moves an org with its whole subtree under a new parent. Every module's records of the subtree
 * follow in the same statement (trigger orgs_carry_moved_records over the org_owned_columns registry).
 */
export async function moveOrg(db: Db, actor: Actor, id: string, input: MoveOrg): Promise<Org> {
  await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, id, { lock: 'update', allowDissolved: true });
    if (!org.path.includes('.')) throw invalidField('parentId', 'org.root_cannot_move');
    const parent = await managedOrg(tx, actor, input.parentId, { lock: 'share', field: 'parentId' });
    if (parent.path === org.path || parent.path.startsWith(org.path + '.')) throw invalidField('parentId', 'org.move_into_own_subtree');
    assertChildType(parent.type, org.type, 'parentId');
    const newPath = `${parent.path}.${org.id}`;
    const oldLevels = org.path.split('.').length;
    await tx.execute(sql`update orgs set parent_id = case when id = ${id} then ${parent.id}::bigint else parent_id end,
      path = ${rebased(sql.raw('path'), newPath, oldLevels)}, updated_at = now() where path <@ ${org.path}::ltree`);
    await audit(tx, actor, { action: 'org.move', targetType: 'org', targetId: id, orgPath: newPath, detail: { from: org.path, to: newPath } });
  });
  return getOrg(db, actor, id);
}

/** Types that may merge into each other: the same type, or a branch and a temporary branch. */
function canMergeTypes(from: OrgType, into: OrgType): boolean {
  const branchLike: OrgType[] = ['branch', 'temporary_branch'];
  return from === into || (branchLike.includes(from) && branchLike.includes(into));
}

/**
 * 机构改革: `id` is merged into `input.intoId`. Its sub-orgs move under the survivor; its members and
 * every module's records become the survivor's (trigger orgs_carry_merged_records over the registry);
 * the merged org is dissolved, pointing at its survivor. One transaction.
 */
export async function mergeOrg(db: Db, actor: Actor, id: string, input: MergeOrg): Promise<Org> {
  await db.transaction(async (tx) => {
    const from = await managedOrg(tx, actor, id, { lock: 'update' });
    const into = await managedOrg(tx, actor, input.intoId, { lock: 'update', field: 'intoId' });
    if (into.id === from.id || into.path.startsWith(from.path + '.')) throw invalidField('intoId', 'org.merge_into_own_subtree');
    if (!canMergeTypes(from.type, into.type)) {
      throw invalidField('intoId', 'org.merge_type_mismatch', { from: `org_type.${from.type}`, into: `org_type.${into.type}` });
    }
    const children = (await tx.execute<{ type: OrgType } & Record<string, unknown>>(sql`
      select distinct type from orgs where parent_id = ${id} and dissolved_at is null`)).rows;
    for (const child of children) assertChildType(into.type, child.type, 'intoId');
    const levels = from.path.split('.').length;
    // the sub-orgs (dissolved ones too, with their history) first: one statement, so the move trigger carries their records
    await tx.execute(sql`update orgs set parent_id = case when parent_id = ${id} then ${into.id}::bigint else parent_id end,
      path = text2ltree(${into.path}) || subpath(path, ${levels}), updated_at = now()
      where path <@ ${from.path}::ltree and id <> ${id}`);
    await tx.execute(sql`update orgs set merged_into_id = ${into.id}, dissolved_at = now(), dissolved_reason = ${input.reason}, updated_at = now()
      where id = ${id}`);
    await audit(tx, actor, { action: 'org.merge', targetType: 'org', targetId: id, orgPath: into.path,
      detail: { from: from.path, into: into.path, intoId: into.id, reason: input.reason } });
  });
  return getOrg(db, actor, input.intoId);
}

/** Soft dissolution: the org and its history stay; it must first be emptied of members and sub-orgs. */
export async function dissolveOrg(db: Db, actor: Actor, id: string, input: DissolveOrg): Promise<Org> {
  await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, id, { lock: 'update' });
    const counts = (await tx.execute<{ members: number; children: number } & Record<string, unknown>>(sql`
      select (select count(*) from members where org_id = ${id} and left_at is null)::int as members,
             (select count(*) from orgs where parent_id = ${id} and dissolved_at is null)::int as children`)).rows[0]!;
    if (counts.children > 0) throw conflict('org.has_children', { count: counts.children });
    if (counts.members > 0) throw conflict('org.has_members', { count: counts.members });
    await tx.execute(sql`update orgs set dissolved_at = now(), dissolved_reason = ${input.reason}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'org.dissolve', targetType: 'org', targetId: id, orgPath: org.path, detail: { reason: input.reason } });
  });
  return getOrg(db, actor, id);
}

/** `path` with its first `levels` labels replaced by `newPrefix` (the subtree's new place). */
function rebased(path: SQL, newPrefix: string, levels: number): SQL {
  return sql`text2ltree(${newPrefix}) || case when nlevel(${path}) > ${levels} then subpath(${path}, ${levels}) else ''::ltree end`;
}
