import { sql, type SQL } from 'drizzle-orm';
import type { SearchHit, SearchQuery, SearchResult, SearchSourceType } from '../../../../contracts/search.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Queryable } from '../../platform/db.js';
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
 * The bigram whose postings are walked: the rarest of the query's, by the most common values PostgreSQL
 * keeps of search_postings.gram (a bigram not among them is rarer than any that is; ties go to the
 * first). Without statistics yet (a new site) the first bigram drives; the result is the same.
 */
function rarestGram(grams: string[]): SQL {
  if (grams.length === 1) return sql`select ${grams[0]!}::text as gram`;
  return sql`select q.gram from unnest(${textArray(grams)}::text[]) with ordinality as q(gram, k)
               left join (select m.gram, m.freq
                            from pg_stats st, unnest(st.most_common_vals::text::text[], st.most_common_freqs) as m(gram, freq)
                           where st.schemaname = current_schema() and st.tablename = 'search_postings' and st.attname = 'gram') c on c.gram = q.gram
              order by coalesce(c.freq, 0), q.k limit 1`;
}

/**
 * Texts containing every word of the query, those with it in the title first, newest first within each.
 * Each tier walks the postings of the query's rarest bigram newest first (migration 20261206100100) and
 * stops at a page: a text holding a word holds all its bigrams, so these postings hold every hit. For one
 * two-character word the posting decides alone, scope and "in the title" included, without reading the
 * texts (index-only); otherwise each candidate's text is checked for the words.
 */
async function searchTexts(q: Queryable, scope: SQL, query: SearchQuery): Promise<SearchResult> {
  const { words, grams, gramsAreExact } = parseQuery(query.q);
  if (grams.length === 0) throw invalidField('q', 'search.query_too_short');
  const contains = (column: SQL) => sql.join(words.map((w) => sql`strpos(${column}, ${w}) > 0`), sql` and `);
  const [inTitle, inTextOnly] = gramsAreExact
    ? [sql`p.in_title`, sql`not p.in_title`]
    : [sql`p.in_title and ${contains(sql`s.title_search`)}`, sql`${contains(sql`s.search_text`)} and not (p.in_title and ${contains(sql`s.title_search`)})`];
  const texts = gramsAreExact ? sql`` : sql`join search_texts s on s.id = p.text_id`;
  const type = query.type ? sql`p.source_type = ${query.type}` : sql`true`;
  const [cursorTier, cursorMicros, cursorId] = query.cursor ? query.cursor.split('.') : [];
  // keyset: the walk starts after the cursor's (published_at, id) within the cursor's tier
  const after = (tier: '0' | '1'): SQL => {
    if (!query.cursor) return sql`true`;
    if (cursorTier === '1' && tier === '0') return sql`false`;
    if (cursorTier === '0' && tier === '1') return sql`true`;
    return sql`(p.published_at, p.text_id) < (timestamptz 'epoch' + ${cursorMicros}::bigint * interval '1 microsecond', ${cursorId}::bigint)`;
  };
  const limit = query.limit + 1;
  // prepared: planning this statement costs as much as running it (the shape repeats per reader's scope)
  const rows = await executePrepared<{
    id: string; tier: number; source_type: SearchSourceType; source_id: string; title: string; excerpt: string; org_name: string | null;
    published_at: Date | string; micros: string;
  } & Row>(q, sql`
    with driver as (${rarestGram(grams)}),
    hits as (
      (select p.text_id as id, p.published_at, 0 as tier from search_postings p ${texts}
        where p.gram = (select gram from driver) and ${inTitle} and ${scope} and ${type} and ${after('0')}
        order by p.published_at desc, p.text_id desc limit ${limit})
      union all
      (select p.text_id as id, p.published_at, 1 as tier from search_postings p ${texts}
        where p.gram = (select gram from driver) and ${inTextOnly} and ${scope} and ${type} and ${after('1')}
        order by p.published_at desc, p.text_id desc limit ${limit}))
    select s.id::text, h.tier, s.source_type, s.source_id, s.title, s.excerpt, o.name as org_name, s.published_at,
           (extract(epoch from s.published_at) * 1000000)::bigint::text as micros
      from (select id, tier from hits order by tier, published_at desc, id desc limit ${limit}) h
      join search_texts s on s.id = h.id
      -- an org path is its ancestors' ids and its own: the last label finds the org by primary key
      left join orgs o on o.id = ltree2text(subpath(s.org_path, -1))::bigint
     order by h.tier, s.published_at desc, s.id desc`);
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
