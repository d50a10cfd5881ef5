// The member list (and the export's filter): scope, filters, search and order.
import { sql, type SQL } from 'drizzle-orm';
import { MEMBER_COUNT_CAP, type MemberListQuery, type MemberPage } from '../../../../contracts/members.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Queryable } from '../../platform/db.js';
import type { PersonalDataCipher } from '../../platform/personal-data.js';
import { orgsInScope, visibleMembers } from './policy.js';
import { normalizeSearchTerm } from './search-text.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
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

export async function listMembers(db: Queryable, actor: Actor, query: MemberListQuery, cipher?: PersonalDataCipher): Promise<MemberPage> {
  const where = memberFilter(actor, query, cipher);
  const order = memberOrder(query);
  const limit = pageLimit(query);
  const capped = (n: number) => ({ total: Math.min(n, MEMBER_COUNT_CAP), isTotalCapped: n > MEMBER_COUNT_CAP });
  const countCapped = async () => Number((await db.execute<Row<{ n: number }>>(
    sql`select count(*)::int as n from (select 1 from members m where ${where} limit ${MEMBER_COUNT_CAP + 1}) hits`)).rows[0]?.n ?? 0);
  // offset paging, capped at MAX_LIST_OFFSET by the contract: deeper lists are narrowed or exported
  const short = shortSearchOf(actor, query);
  if (short) {
    const page = await listByPostings(db, query, short);
    if (page) return page;
  }
  if (query.q?.trim()) {
    // a search sorts all its hits anyway: count them in the same pass (the filter is the cost);
    // only ids and sort keys are sorted, the page's 20 rows are read after
    const rows = (await db.execute<MemberRow & Row<{ total: number }>>(sql`select ${memberColumns}, hits.total
      from (select m.id, count(*) over () as total from members m where ${where} order by ${order} ${limit}) hits
      join members m on m.id = hits.id join orgs o on o.id = m.org_id order by ${order}`)).rows;
    const total = rows.length > 0 ? Number(rows[0]!.total) : query.page > 1 ? await countCapped() : 0;
    return { items: rows.map(toMember), ...capped(total), page: query.page, pageSize: query.pageSize };
  }
  // a browse walks an index in list order and stops after the page; the count stops at the cap
  const [rows, total] = await Promise.all([
    db.execute<MemberRow>(sql`select ${memberColumns} from members m join orgs o on o.id = m.org_id where ${where} order by ${order} ${limit}`),
    countCapped(),
  ]);
  return { items: rows.rows.map(toMember), ...capped(total), page: query.page, pageSize: query.pageSize };
}

/**
 * A one- or two-character search (王, zh) of a whole subtree the actor administers, with no other
 * filter, in list order: answered from member_search_postings (migration 20261123124000), whose keys
 * are exactly the hits of searchCondition. The range of the subtree's paths is read in index order,
 * counted and paged without visiting members; then the page's members are read.
 */
function shortSearchOf(actor: Actor, query: MemberListQuery): { term: string; range: SQL } | null {
  const term = query.q ? normalizeSearchTerm(query.q) : '';
  if (!/^[a-z]{1,2}$/.test(term) && !/^\P{ASCII}{1,2}$/u.test(term)) return null;
  if (query.status !== 'active' || (query.sort ?? 'name') !== 'name' || query.stage?.length || query.gender || query.education
    || query.joinedFrom || query.joinedTo || query.ageMin !== undefined || query.ageMax !== undefined) return null;
  // a subtree is the byte range ['<path>.', '<path>/') of the postings' paths; the org must lie in the
  // actor's scope as a whole (else the general query sorts out which of its members are visible)
  if (query.orgId) return { term, range: sql`(select o.path::text || '.' as lo, o.path::text || '/' as hi from orgs o where o.id = ${query.orgId} and ${orgsInScope(actor, sql`o.path`)})` };
  if (actor.isPlatformAdmin) return { term, range: sql`(select ''::text as lo, '~'::text as hi)` };
  return null;
}

async function listByPostings(db: Queryable, query: MemberListQuery, short: { term: string; range: SQL }): Promise<MemberPage | null> {
  const dir = sql.raw(query.order === 'desc' ? 'desc' : 'asc');
  const rows = await executePrepared<MemberRow & Row<{ total: number }>>(db, sql`select ${memberColumns}, hits.total
    from (select p.member_id, count(*) over () as total
            from member_search_postings p, ${short.range} r
           where p.term = ${short.term} and p.path >= r.lo collate "C" and p.path < r.hi collate "C"
           order by p.name_sort ${dir}, p.member_id ${dir}
           ${pageLimit(query)}) hits
    join members m on m.id = hits.member_id join orgs o on o.id = m.org_id
    order by ${memberOrder(query)}`);
  // nothing on the page: out of scope, no hits, or past the end; the general query tells which
  if (rows.length === 0) return null;
  const total = Number(rows[0]!.total);
  return { items: rows.map(toMember), total: Math.min(total, MEMBER_COUNT_CAP), isTotalCapped: total > MEMBER_COUNT_CAP, page: query.page, pageSize: query.pageSize };
}
