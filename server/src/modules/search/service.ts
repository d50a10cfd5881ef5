import { sql, type SQL } from 'drizzle-orm';
import type { SearchHit, SearchQuery, SearchResult, SearchSourceType } from '../../../../contracts/search.js';
import type { Actor } from '../../platform/actor.js';
import type { Queryable } from '../../platform/db.js';
import { invalidField } from '../../platform/errors.js';
import { textArray } from '../../platform/sql.js';
import { normalizeSearchText, SEPARATORS } from './index-text.js';
import { publicTextsOf, readerOrgPaths, visibleTexts } from './policy.js';

type Row = Record<string, unknown>;

/** A query as the index sees it: its words, their bigrams, and whether the bigrams alone decide. */
export function parseQuery(q: string): { words: string[]; grams: string[]; gramsAreExact: boolean } {
  const words = normalizeSearchText(q).split(SEPARATORS).filter((w) => w.length > 0);
  const grams = new Set<string>();
  for (const word of words) {
    const chars = [...word];
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  }
  // one two-character word: a text holds its bigram exactly when it contains the word
  const gramsAreExact = words.length === 1 && [...words[0]!].length === 2;
  return { words, grams: [...grams], gramsAreExact };
}

/**
 * Texts containing every word of the query, those with it in the title first, newest first within each.
 * Each tier is one GIN lookup of the query's bigrams, ordered and limited on its own, so a common
 * word over 100,000 texts reads one page of rows, not every hit.
 */
async function searchTexts(q: Queryable, scope: SQL, query: SearchQuery): Promise<SearchResult> {
  const { words, grams, gramsAreExact } = parseQuery(query.q);
  if (grams.length === 0) throw invalidField('q', 'search.query_too_short');
  const gramArray = sql`${textArray(grams)}::text[]`;
  const contains = (column: SQL) => (gramsAreExact ? sql`true` : sql.join(words.map((w) => sql`strpos(${column}, ${w}) > 0`), sql` and `));
  const inTitle = sql`(s.title_grams @> ${gramArray} and ${contains(sql`s.title_search`)})`;
  const type = query.type ? sql`s.source_type = ${query.type}` : sql`true`;
  const [cursorTier, cursorMicros, cursorId] = query.cursor ? query.cursor.split('.') : [];
  const after = (tier: '0' | '1'): SQL => {
    if (!query.cursor) return sql`true`;
    if (cursorTier === '1' && tier === '0') return sql`false`;
    if (cursorTier === '0' && tier === '1') return sql`true`;
    return sql`(s.published_at, s.id) < (timestamptz 'epoch' + ${cursorMicros}::bigint * interval '1 microsecond', ${cursorId}::bigint)`;
  };
  const limit = query.limit + 1;
  const rows = (await q.execute<{
    id: string; tier: number; source_type: SearchSourceType; source_id: string; title: string; excerpt: string; org_name: string | null;
    published_at: Date | string; micros: string;
  } & Row>(sql`
    with hits as (
      (select s.id, s.published_at, 0 as tier from search_texts s
        where ${inTitle} and ${scope} and ${type} and ${after('0')}
        order by s.published_at desc, s.id desc limit ${limit})
      union all
      (select s.id, s.published_at, 1 as tier from search_texts s
        where s.grams @> ${gramArray} and ${contains(sql`s.search_text`)} and not ${inTitle} and ${scope} and ${type} and ${after('1')}
        order by s.published_at desc, s.id desc limit ${limit}))
    select s.id::text, h.tier, s.source_type, s.source_id, s.title, s.excerpt, o.name as org_name, s.published_at,
           (extract(epoch from s.published_at) * 1000000)::bigint::text as micros
      from (select id, tier from hits order by tier, published_at desc, id desc limit ${limit}) h
      join search_texts s on s.id = h.id
      -- an org path is its ancestors' ids and its own: the last label finds the org by primary key
      left join orgs o on o.id = ltree2text(subpath(s.org_path, -1))::bigint
     order by h.tier, s.published_at desc, s.id desc`)).rows;
  const page = rows.slice(0, query.limit);
  const items: SearchHit[] = page.map((r) => ({
    sourceType: r.source_type, sourceId: r.source_id, title: r.title, excerpt: r.excerpt, orgName: r.org_name ?? '',
    publishedAt: new Date(r.published_at).toISOString(), inTitle: Number(r.tier) === 0, cursor: `${r.tier}.${r.micros}.${r.id}`,
  }));
  return { items, nextCursor: rows.length > query.limit ? items[items.length - 1]!.cursor : null };
}

/** Search in the console: what the signed-in user may read (policy.ts). */
export async function searchForReader(q: Queryable, actor: Actor, query: SearchQuery): Promise<SearchResult> {
  const paths = await readerOrgPaths(q, actor);
  return searchTexts(q, visibleTexts(actor, paths), query);
}

/** Search on a tree's public portal: its public texts only. */
export async function searchPublic(q: Queryable, rootPath: string, query: SearchQuery): Promise<SearchResult> {
  return searchTexts(q, publicTextsOf(rootPath), query);
}
