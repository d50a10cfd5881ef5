import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db.js';
import { simplify } from '../../platform/i18n.js';

/**
 * The separators between runs of letters: whitespace, ASCII, Latin-1, general, CJK and fullwidth
 * punctuation — the same code points as search_grams() in migration 20261206000500. A bigram never
 * spans a separator, on either side.
 */
export const SEPARATORS = /[\s\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+/u;

export type SearchSourceType = 'notice' | 'news' | 'article' | 'course';

export interface IndexedText {
  sourceType: SearchSourceType;
  sourceId: string;
  /** ltree path of the org the text belongs to */
  orgPath: string;
  title: string;
  /** plain text (no markup): what a query may find besides the title */
  text: string;
  /** 'public': on the tree's portal too; 'tree': signed-in users on the org's path or under it */
  visibility: 'public' | 'tree';
  publishedAt: Date;
}

/** The searchable normal form: simplified Chinese (OpenCC), fullwidth folded (NFKC), lower case. */
export function normalizeSearchText(text: string): string {
  return simplify(text).normalize('NFKC').toLowerCase();
}

const EXCERPT_LENGTH = 120;

/**
 * Makes a published text findable, or refreshes it (title, text, org, visibility). Called by the
 * owning module in the transaction that publishes or changes the text, so search never shows a
 * text its module has not committed.
 */
export async function indexText(tx: Db | Tx, doc: IndexedText): Promise<void> {
  const plain = doc.text.replace(/\s+/g, ' ').trim();
  const excerpt = [...plain].slice(0, EXCERPT_LENGTH).join('');
  await tx.execute(sql`
    insert into search_texts (source_type, source_id, org_path, title, excerpt, title_search, search_text, visibility, published_at)
    values (${doc.sourceType}, ${doc.sourceId}, ${doc.orgPath}::ltree, ${doc.title}, ${excerpt},
            ${normalizeSearchText(doc.title)}, ${normalizeSearchText(doc.title + '\n' + plain)}, ${doc.visibility}, ${doc.publishedAt.toISOString()}::timestamptz)
    on conflict (source_type, source_id) do update
       set org_path = excluded.org_path, title = excluded.title, excerpt = excluded.excerpt, title_search = excluded.title_search,
           search_text = excluded.search_text, visibility = excluded.visibility, published_at = excluded.published_at`);
}

/** Removes a text from search (withdrawn, unpublished or deleted). Removing one not indexed is fine. */
export async function removeText(tx: Db | Tx, sourceType: SearchSourceType, sourceId: string): Promise<void> {
  await tx.execute(sql`delete from search_texts where source_type = ${sourceType} and source_id = ${sourceId}`);
}

/**
 * Indexes the learning articles and courses not yet in search, in one statement (the demo seeds them
 * with multi-row inserts; migration 20261206000500 does the same for a site's existing ones).
 */
export async function indexUnindexedLearning(tx: Db | Tx): Promise<void> {
  await tx.execute(sql`
    insert into search_texts (source_type, source_id, org_path, title, excerpt, title_search, search_text, visibility, published_at)
    select 'article', a.id::text, a.org_path, a.title, left(regexp_replace(a.body, '\\s+', ' ', 'g'), ${EXCERPT_LENGTH}), lower(a.title), lower(a.title || E'\\n' || a.body), 'tree', a.published_at
      from articles a where a.archived_at is null
    union all
    select 'course', c.id::text, c.org_path, c.title, left(regexp_replace(coalesce(c.description, ''), '\\s+', ' ', 'g'), ${EXCERPT_LENGTH}), lower(c.title),
           lower(concat_ws(E'\\n', c.title, c.description, (select string_agg(l.title, E'\\n' order by l.position) from course_lessons l where l.course_id = c.id))), 'tree', c.created_at
      from courses c where c.archived_at is null
    on conflict (source_type, source_id) do nothing`);
}
