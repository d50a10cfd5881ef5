import { z } from 'zod';

export const SearchSourceTypeSchema = z.enum(['notice', 'news', 'article', 'course']);
export type SearchSourceType = z.infer<typeof SearchSourceTypeSchema>;

/**
 * A search: the words (simplified or traditional Chinese alike), at least two characters in one word,
 * optionally one kind of text; pages by cursor (the last result's `cursor`), newest first within
 * "found in the title" then "found in the text".
 */
export const SearchQuerySchema = z.object({
  q: z.string().trim().min(2, { message: 'search.query_too_short' }).max(50),
  type: SearchSourceTypeSchema.optional(),
  cursor: z.string().regex(/^[01]\.\d{13,16}\.[1-9]\d{0,17}$/, { message: 'search.cursor_invalid' }).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

export const SearchHitSchema = z.object({
  sourceType: SearchSourceTypeSchema,
  sourceId: z.string(),
  title: z.string(),
  excerpt: z.string(),
  orgName: z.string(),
  publishedAt: z.string(),
  /** the query was found in the title (ranked first) */
  inTitle: z.boolean(),
  cursor: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResultSchema = z.object({
  items: z.array(SearchHitSchema),
  /** the cursor of the next page, null on the last */
  nextCursor: z.string().nullable(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;
