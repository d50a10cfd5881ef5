import { sql, type SQL } from 'drizzle-orm';
import { CHILD_TYPES, ELECTION_DUE_DAYS, type CreateOrg, type DissolveOrg, type MoveOrg, type Org, type OrgListQuery, type OrgPage, type OrgType, type UpdateOrg } from '../../../../contracts/orgs.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Db, type Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { canManageOrg, visibleOrgs } from './policy.js';

type OrgRow = {
  id: string; parent_id: string | null; path: string; name: string; type: OrgType; secretary_name: string | null;
  contact_name: string | null; contact_phone: string | null; address: string | null; founded_on: string | null;
  term_start: string | null; term_end: string | null; is_election_due: boolean; is_election_overdue: boolean;
  dissolved_at: Date | string | null; dissolved_reason: string | null; member_count: number | string; child_count: number | string;
} & Record<string, unknown>;

// Subtree member counts are read from org_member_counts, which triggers on members keep exact
// (migration 20261123110500): counting the root's 250,000 members per request took ~400 ms.
const orgColumns = sql`
  o.id::text, o.parent_id::text, o.path::text, o.name, o.type, o.secretary_name, o.contact_name, o.contact_phone, o.address,
  o.founded_on::text, o.term_start::text, o.term_end::text,
  (o.term_end is not null and o.term_end >= current_date and o.term_end <= current_date + ${ELECTION_DUE_DAYS}::int) as is_election_due,
  (o.term_end is not null and o.term_end < current_date) as is_election_overdue,
  o.dissolved_at, o.dissolved_reason,
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
    memberCount: Number(row.member_count),
    childCount: Number(row.child_count),
    canManage: canManageOrg(actor, row),
  };
}

export async function listOrgs(db: Db, actor: Actor, query: OrgListQuery): Promise<OrgPage> {
  const conditions: SQL[] = [visibleOrgs(actor)];
  if (!query.includeDissolved) conditions.push(sql`o.dissolved_at is null`);
  if (query.parentId) conditions.push(sql`o.parent_id = ${query.parentId}`);
  if (query.roots) {
    // the top of what the viewer sees: an org whose parent is not itself visible
    conditions.push(sql`not exists (select 1 from orgs p where p.id = o.parent_id and ${visibleOrgs(actor, 'p')})`);
  }
  if (query.type) conditions.push(sql`o.type = ${query.type}`);
  if (query.q) conditions.push(sql`o.search_text like ${'%' + escapeLike(simplify(query.q)) + '%'}`);
  if (query.electionDue === 'due') conditions.push(sql`o.term_end between current_date and current_date + ${ELECTION_DUE_DAYS}::int`);
  if (query.electionDue === 'overdue') conditions.push(sql`o.term_end < current_date`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<OrgRow>(sql`select ${orgColumns} from orgs o where ${where}
      order by nlevel(o.path), o.sort_order, o.id limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`),
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

/** An org the actor administers, locked for the rest of the transaction; 404 otherwise. */
export async function findManagedOrg(q: Queryable, actor: Actor, id: string, field?: string): Promise<{ id: string; path: string; type: OrgType; dissolvedAt: string | null }> {
  const result = await q.execute<{ id: string; path: string; type: OrgType; dissolved_at: string | null } & Record<string, unknown>>(
    sql`select id::text, path::text, type, dissolved_at::text from orgs where id = ${id} for update`);
  const row = result.rows[0];
  if (!row || !canManageOrg(actor, row)) {
    if (field) throw invalidField(field, 'org.not_found');
    throw notFound('org.not_found');
  }
  return { id: row.id, path: row.path, type: row.type, dissolvedAt: row.dissolved_at };
}

function assertChildType(parentType: OrgType, childType: OrgType, field: string) {
  if (!CHILD_TYPES[parentType].includes(childType)) {
    throw invalidField(field, 'org.type_not_allowed_under', { parent: `org_type.${parentType}`, child: `org_type.${childType}` });
  }
}

export async function createOrg(db: Db, actor: Actor, input: CreateOrg): Promise<Org> {
  const id = await db.transaction(async (tx) => {
    const parent = await findManagedOrg(tx, actor, input.parentId, 'parentId');
    if (parent.dissolvedAt) throw invalidField('parentId', 'org.dissolved');
    assertChildType(parent.type, input.type, 'type');
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into orgs (parent_id, path, name, type, secretary_name, contact_name, contact_phone, address, founded_on, term_start, term_end, sort_order, search_text)
      values (${parent.id}, text2ltree(${parent.path} || '.0'), ${input.name}, ${input.type}, ${input.secretaryName ?? null}, ${input.contactName ?? null},
              ${input.contactPhone ?? null}, ${input.address ?? null}, ${input.foundedOn ?? null}, ${input.termStart ?? null}, ${input.termEnd ?? null},
              ${input.sortOrder ?? 0}, ${simplify(input.name)})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    // the path ends in the org's own id, known only after the insert
    await tx.execute(sql`update orgs set path = text2ltree(${parent.path} || '.' || ${newId}) where id = ${newId}`);
    await audit(tx, actor, { action: 'org.create', targetType: 'org', targetId: newId, orgPath: `${parent.path}.${newId}`, detail: { ...input } });
    return newId;
  });
  return getOrg(db, actor, id);
}

export async function updateOrg(db: Db, actor: Actor, id: string, input: UpdateOrg): Promise<Org> {
  await db.transaction(async (tx) => {
    const org = await findManagedOrg(tx, actor, id);
    const current = (await tx.execute<{ term_start: string | null; term_end: string | null } & Record<string, unknown>>(
      sql`select term_start::text, term_end::text from orgs where id = ${id}`)).rows[0]!;
    const termStart = input.termStart === undefined ? current.term_start : input.termStart;
    const termEnd = input.termEnd === undefined ? current.term_end : input.termEnd;
    if (termStart && termEnd && termEnd <= termStart) throw invalidField('termEnd', 'org.term_end_before_start');
    const sets: SQL[] = [];
    const set = (column: string, value: unknown) => { if (value !== undefined) sets.push(sql`${sql.identifier(column)} = ${value}`); };
    set('name', input.name);
    if (input.name !== undefined) set('search_text', simplify(input.name));
    set('secretary_name', input.secretaryName);
    set('contact_name', input.contactName);
    set('contact_phone', input.contactPhone);
    set('address', input.address);
    set('founded_on', input.foundedOn);
    set('term_start', input.termStart);
    set('term_end', input.termEnd);
    set('sort_order', input.sortOrder);
    if (sets.length === 0) return;
    await tx.execute(sql`update orgs set ${sql.join(sets, sql`, `)}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'org.update', targetType: 'org', targetId: id, orgPath: org.path, detail: { ...input } });
  });
  return getOrg(db, actor, id);
}

/** Moves an org with its whole subtree (orgs and members' copies of the path) under a new parent. */
export async function moveOrg(db: Db, actor: Actor, id: string, input: MoveOrg): Promise<Org> {
  await db.transaction(async (tx) => {
    const org = await findManagedOrg(tx, actor, id);
    if (!org.path.includes('.')) throw invalidField('parentId', 'org.root_cannot_move');
    const parent = await findManagedOrg(tx, actor, input.parentId, 'parentId');
    if (parent.path === org.path || parent.path.startsWith(org.path + '.')) throw invalidField('parentId', 'org.move_into_own_subtree');
    if (parent.dissolvedAt) throw invalidField('parentId', 'org.dissolved');
    assertChildType(parent.type, org.type, 'parentId');
    const newPath = `${parent.path}.${org.id}`;
    const oldLevels = org.path.split('.').length;
    await tx.execute(sql`update orgs set parent_id = case when id = ${id} then ${parent.id}::bigint else parent_id end,
      path = ${rebased(sql.raw('path'), newPath, oldLevels)}, updated_at = now() where path <@ ${org.path}::ltree`);
    await tx.execute(sql`update members set org_path = ${rebased(sql.raw('org_path'), newPath, oldLevels)} where org_path <@ ${org.path}::ltree`);
    await tx.execute(sql`update transfers set from_path = ${rebased(sql.raw('from_path'), newPath, oldLevels)} where from_path <@ ${org.path}::ltree`);
    await tx.execute(sql`update transfers set to_path = ${rebased(sql.raw('to_path'), newPath, oldLevels)} where to_path <@ ${org.path}::ltree`);
    await audit(tx, actor, { action: 'org.move', targetType: 'org', targetId: id, orgPath: newPath, detail: { from: org.path, to: newPath } });
  });
  return getOrg(db, actor, id);
}

/** Soft dissolution: the org and its history stay; it must first be emptied of members and sub-orgs. */
export async function dissolveOrg(db: Db, actor: Actor, id: string, input: DissolveOrg): Promise<Org> {
  await db.transaction(async (tx) => {
    const org = await findManagedOrg(tx, actor, id);
    if (org.dissolvedAt) throw conflict('org.already_dissolved');
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

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}
