// The member list (and the export's filter): scope, filters, search and order.
import { sql, type SQL } from 'drizzle-orm';
import { MEMBER_COUNT_CAP, type MemberListQuery, type MemberPage } from '../../../../contracts/members.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Queryable } from '../../platform/db.js';
import type { PersonalDataCipher } from '../../platform/personal-data.js';
import { orgsInScope, visibleMembers } from './policy.js';
import { normalizeSearchTerm } from './search-text.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
import { invalidField } from '../../platform/errors.js';
import { type Row, type MemberRow, memberColumns, toMember } from './member-record.js';

/** The filters of the list (and of the export, which takes the same query without paging). */
export type MemberFilterQuery = Partial<Pick<MemberListQuery, 'q' | 'orgId' | 'stage' | 'gender' | 'education' | 'joinedFrom' | 'joinedTo' | 'ageMin' | 'ageMax' | 'status'>>;

/**
 * The whole WHERE of the member list over `members m`: the viewer's scope, then the filters.
 * Every part is indexable: `m.org_path <@ …` (GiST), search_text LIKE (trigram GIN), the last
 * four digits (btree), the blind indexes for a whole ID or phone number (needs `cipher`; without
 * it a whole number is matched by its last four digits).
 */
export function memberFilter(actor: Actor, query: MemberFilterQuery, cipher?: PersonalDataCipher): SQL {
  const conditions: SQL[] = [visibleMembers(actor)];
  const status = query.status ?? 'active';
  if (status === 'active') conditions.push(sql`m.left_at is null`);
  if (status === 'left') conditions.push(sql`m.left_at is not null`);
  if (query.orgId) conditions.push(sql`m.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.stage?.length) conditions.push(sql`m.stage in (${sql.join(query.stage.map((s) => sql`${s}`), sql`, `)})`);
  if (query.gender) conditions.push(sql`m.gender = ${query.gender}`);
  if (query.education) conditions.push(sql`m.education = ${query.education}`);
  if (query.joinedFrom) conditions.push(sql`m.joined_on >= ${query.joinedFrom}::date`);
  if (query.joinedTo) conditions.push(sql`m.joined_on <= ${query.joinedTo}::date`);
  // age in whole years today: born on or before today − ageMin years, after today − (ageMax + 1) years
  if (query.ageMin !== undefined) conditions.push(sql`m.birth_date <= (current_date - make_interval(years => ${query.ageMin}::int))::date`);
  if (query.ageMax !== undefined) conditions.push(sql`m.birth_date > (current_date - make_interval(years => ${query.ageMax + 1}::int))::date`);
  const search = query.q ? searchCondition(query.q, cipher) : null;
  if (search) conditions.push(search);
  return sql.join(conditions, sql` and `);
}

function searchCondition(q: string, cipher?: PersonalDataCipher): SQL | null {
  const digits = q.replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{3,17}[\dX]$/.test(digits)) {
    if (cipher && digits.length === 18) return sql`m.id_number_hash = ${cipher.blindIndex(digits)}`;
    if (cipher && digits.length === 11 && digits.startsWith('1')) {
      return sql`(m.phone_hash = ${cipher.blindIndex(digits)} or m.id_number_last4 = ${digits.slice(-4)})`;
    }
    const last4 = digits.slice(-4);
    return sql`(m.id_number_last4 = ${last4} or m.phone_last4 = ${last4})`;
  }
  const term = normalizeSearchTerm(q);
  if (!term) return null;
  // one or two letters are the start of the initials or the pinyin ('wj' → 王建国): a word-start
  // match, which the trigram index serves; a substring of two letters would scan every row
  if (/^[a-z]{1,2}$/.test(term)) return sql`m.search_text like ${'% ' + term + '%'}`;
  // one or two name characters (王) have no trigram: the grams index finds them (migration
  // 20261123110600), LIKE decides
  if (/^\P{ASCII}{1,2}$/u.test(term)) return sql`member_name_grams(m.search_text) @> array[${term}]::text[] and m.search_text like ${likeContaining(term)}`;
  return sql`m.search_text like ${likeContaining(term)}`;
}

/**
 * ORDER BY of the list, always ending in the id so that pages never overlap. With a search term
 * the keys are wrapped (same order, no index): the hits of a name search sit together in name
 * order, so walking the name index from the start to find them is the planner's trap; the
 * trigram/last-4 hits are few, fetched by their own index and sorted.
 */
export function memberOrder(query: Partial<Pick<MemberListQuery, 'sort' | 'order' | 'q'>>): SQL {
  const dir = sql.raw(query.order === 'desc' ? 'desc' : 'asc');
  const searching = Boolean(query.q?.trim());
  const key = (column: string, noIndex: string) => sql.raw(searching ? noIndex : column);
  switch (query.sort ?? 'name') {
    case 'joinedOn': return sql`${key('m.joined_on', '(m.joined_on + 0)')} ${dir} nulls last, m.id ${dir}`;
    case 'birthDate': return sql`${key('m.birth_date', '(m.birth_date + 0)')} ${dir}, m.id ${dir}`;
    case 'id': return sql`${key('m.id', '(m.id + 0)')} ${dir}`;
    default: return sql`${key('m.name_sort', "(m.name_sort || '')")} ${dir}, m.id ${dir}`;
  }
}

/**
 * A position in name order: the page after (`after`) or before (`before`) the member with this sort
 * key and id. Opaque on the wire (base64url JSON); it names its order so that a stale one is refused.
 */
interface Cursor { direction: 'after' | 'before'; order: 'asc' | 'desc'; nameSort: string; id: string }

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.direction === 'after' ? 'a' : 'b', c.order, c.nameSort, c.id])).toString('base64url');

function decodeCursor(query: MemberListQuery): Cursor | null {
  if (query.cursor === undefined) return null;
  const order = query.order === 'desc' ? 'desc' : 'asc';
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if ((query.sort ?? 'name') !== 'name' || !Array.isArray(parts) || parts.length !== 4 || (parts[0] !== 'a' && parts[0] !== 'b') || parts[1] !== order
    || typeof parts[2] !== 'string' || typeof parts[3] !== 'string' || !/^[1-9]\d{0,17}$/.test(parts[3])) {
    throw invalidField('cursor', 'member.cursor_invalid');
  }
  return { direction: parts[0] === 'a' ? 'after' : 'before', order, nameSort: parts[2], id: parts[3] };
}

/**
 * Keyset paging in name order ("keyset, not offset: a district's search has thousands of hits"): the
 * rows past the cursor on (name key, id), scanned towards it from the cursor's side, one more than a
 * page to know whether another follows. `key` and `id` are the columns of the query's rows.
 */
function keyset(cursor: Cursor, pageSize: number, key: SQL, id: SQL): { where: SQL; order: SQL; limit: SQL; dir: SQL } {
  const scansAscending = (cursor.order === 'asc') === (cursor.direction === 'after');
  const dir = sql.raw(scansAscending ? 'asc' : 'desc');
  return {
    where: scansAscending ? sql`(${key}, ${id}) > (${cursor.nameSort}::text, ${cursor.id}::bigint)` : sql`(${key}, ${id}) < (${cursor.nameSort}::text, ${cursor.id}::bigint)`,
    order: sql`${key} ${dir}, ${id} ${dir}`,
    limit: sql`limit ${pageSize + 1}`,
    dir,
  };
}

type ListedRow = MemberRow & Row<{ sort_key: string; total?: number }>;

/**
 * The page's rows in list order and its cursors. A keyset page read one row more than it shows; an
 * offset page knows from the total whether another follows.
 */
function pageOf(query: MemberListQuery, cursor: Cursor | null, fetched: ListedRow[], total: { total: number; isTotalCapped: boolean }): MemberPage {
  const isNameOrder = (query.sort ?? 'name') === 'name';
  const order = query.order === 'desc' ? 'desc' : 'asc';
  let rows = fetched;
  let hasNext: boolean, hasPrev: boolean;
  if (cursor) {
    const hasMore = rows.length > query.pageSize;
    rows = rows.slice(0, query.pageSize);
    if (cursor.direction === 'before') rows = rows.reverse();
    hasNext = cursor.direction === 'before' || hasMore;
    hasPrev = cursor.direction === 'after' || hasMore;
  } else {
    hasNext = total.isTotalCapped || (query.page - 1) * query.pageSize + rows.length < total.total;
    hasPrev = query.page > 1;
  }
  const first = rows[0], last = rows[rows.length - 1];
  return {
    items: rows.map(toMember), ...total, page: query.page, pageSize: query.pageSize,
    nextCursor: isNameOrder && hasNext && last ? encodeCursor({ direction: 'after', order, nameSort: last.sort_key, id: last.id }) : null,
    prevCursor: isNameOrder && hasPrev && first ? encodeCursor({ direction: 'before', order, nameSort: first.sort_key, id: first.id }) : null,
  };
}

export async function listMembers(db: Queryable, actor: Actor, query: MemberListQuery, cipher?: PersonalDataCipher): Promise<MemberPage> {
  const cursor = decodeCursor(query);
  const where = memberFilter(actor, query, cipher);
  const order = memberOrder(query);
  const capped = (n: number) => ({ total: Math.min(n, MEMBER_COUNT_CAP), isTotalCapped: n > MEMBER_COUNT_CAP });
  const countCapped = async () => Number((await db.execute<Row<{ n: number }>>(
    sql`select count(*)::int as n from (select 1 from members m where ${where} limit ${MEMBER_COUNT_CAP + 1}) hits`)).rows[0]?.n ?? 0);
  const short = shortSearchOf(actor, query);
  if (short) {
    const page = await listByPostings(db, query, short, cursor);
    if (page) return page;
  }
  const searching = Boolean(query.q?.trim());
  // offset paging, capped at MAX_LIST_OFFSET by the contract: deeper pages come by cursor
  const walk = cursor ? keyset(cursor, query.pageSize, sql.raw(searching ? "(m.name_sort || '')" : 'm.name_sort'), sql`m.id`) : null;
  const pageWhere = walk ? sql`${where} and ${walk.where}` : where;
  const pageOrder = walk ? walk.order : order;
  const limit = walk ? walk.limit : pageLimit(query);
  if (searching && !cursor) {
    // a search sorts all its hits anyway: count them in the same pass (the filter is the cost);
    // only ids and sort keys are sorted, the page's 20 rows are read after
    const rows = (await db.execute<ListedRow & Row<{ total: number }>>(sql`select ${memberColumns}, m.name_sort as sort_key, hits.total
      from (select m.id, count(*) over () as total from members m where ${where} order by ${order} ${limit}) hits
      join members m on m.id = hits.id join orgs o on o.id = m.org_id order by ${order}`)).rows;
    const total = rows.length > 0 ? Number(rows[0]!.total) : query.page > 1 ? await countCapped() : 0;
    return pageOf(query, null, rows, capped(total));
  }
  // a browse (or a keyset page) walks an index in list order and stops after the page; the count stops at the cap
  const [rows, total] = await Promise.all([
    db.execute<ListedRow>(sql`select ${memberColumns}, m.name_sort as sort_key from members m join orgs o on o.id = m.org_id where ${pageWhere} order by ${pageOrder} ${limit}`),
    countCapped(),
  ]);
  return pageOf(query, cursor, rows.rows, capped(total));
}

/**
 * A one- or two-character search (王, zh) of a whole subtree the actor administers, with no other
 * filter, in list order: answered from member_search_postings (migration 20261123124000), whose keys
 * are exactly the hits of searchCondition. Only the page's members are read.
 * `range` is one row: the subtree's byte range ['<path>.', '<path>/') of the postings' paths, and
 * whether the subtree is big enough to walk the term's postings in name order (`walks`).
 */
function shortSearchOf(actor: Actor, query: MemberListQuery): { term: string; range: SQL } | null {
  const term = query.q ? normalizeSearchTerm(query.q) : '';
  if (!/^[a-z]{1,2}$/.test(term) && !/^\P{ASCII}{1,2}$/u.test(term)) return null;
  if (query.status !== 'active' || (query.sort ?? 'name') !== 'name' || query.stage?.length || query.gender || query.education
    || query.joinedFrom || query.joinedTo || query.ageMin !== undefined || query.ageMax !== undefined) return null;
  // the org must lie in the actor's scope as a whole (else the general query sorts out which of its members are visible)
  if (query.orgId) {
    return { term, range: sql`select o.path::text || '.' as lo, o.path::text || '/' as hi, coalesce(k.subtree_members, 0) >= ${WALK_MIN_MEMBERS} as walks
      from orgs o left join org_member_counts k on k.org_id = o.id where o.id = ${query.orgId} and ${orgsInScope(actor, sql`o.path`)}` };
  }
  if (actor.isPlatformAdmin) return { term, range: sql`select ''::text as lo, '~'::text as hi, true as walks` };
  return null;
}

/**
 * A subtree of this many members (a district: ~15,000 of the city's 250,000) walks the term's postings
 * in name order (member_search_postings_order) and stops after the page: ~20 × 250,000 / its members
 * entries. A smaller one reads its own range of the term (member_search_postings_key) and sorts it:
 * walking would pass the whole city's postings of the term to find its few.
 */
const WALK_MIN_MEMBERS = 5_000;
/** Offset pages walk only this far; deeper ones sort the range (the web list pages deeper by cursor). */
const WALK_MAX_OFFSET = 200;

async function listByPostings(db: Queryable, query: MemberListQuery, short: { term: string; range: SQL }, cursor: Cursor | null): Promise<MemberPage | null> {
  const dir = sql.raw(query.order === 'desc' ? 'desc' : 'asc');
  const offset = (query.page - 1) * query.pageSize;
  const mayWalk = cursor !== null || offset <= WALK_MAX_OFFSET;
  // Both branches are written out, each gated by the range's `walks` (a one-time filter: only one
  // runs), and shaped so that each can only use its own index: the walk hides the path from the
  // range index, the sort hides the name order from the walk's index.
  const branch = (walks: boolean, isGated: boolean) => {
    const name = walks ? sql`p.name_sort` : sql`(p.name_sort || '')`;
    const id = walks ? sql`p.member_id` : sql`(p.member_id + 0)`;
    const path = walks ? sql`(p.path || '')` : sql`p.path`;
    const page = cursor ? keyset(cursor, query.pageSize, name, id) : null;
    return sql`(select p.member_id, p.name_sort from member_search_postings p
       where ${isGated ? sql`${walks ? sql`` : sql`not`} (select r.walks from r) and` : sql``} p.term = ${short.term}
         and ${path} >= (select r.lo from r) collate "C" and ${path} < (select r.hi from r) collate "C" ${page ? sql`and ${page.where}` : sql``}
       order by ${page ? page.order : sql`${name} ${dir}, ${id} ${dir}`} ${page ? page.limit : pageLimit(query)})`;
  };
  const scan = cursor ? keyset(cursor, query.pageSize, sql`hits.name_sort`, sql`hits.member_id`).dir : dir;
  const rows = await executePrepared<ListedRow & Row<{ total: number }>>(db, sql`with r as materialized (${short.range})
    select ${memberColumns}, hits.name_sort as sort_key,
           (select count(*) from member_search_postings p
             where p.term = ${short.term} and p.path >= (select r.lo from r) collate "C" and p.path < (select r.hi from r) collate "C")::int as total
      from (${mayWalk ? sql`${branch(true, true)} union all ${branch(false, true)}` : branch(false, false)}) hits
      join members m on m.id = hits.member_id join orgs o on o.id = m.org_id
     order by hits.name_sort ${scan}, hits.member_id ${scan}`);
  // nothing on the page: out of scope, no hits, or past the end; the general query tells which
  if (rows.length === 0) return null;
  const total = Number(rows[0]!.total);
  return pageOf(query, cursor, rows, { total: Math.min(total, MEMBER_COUNT_CAP), isTotalCapped: total > MEMBER_COUNT_CAP });
}
