/**
 * A title's core, compared for near-duplicates (pg_trgm): lower-cased, without the words every idea's title may
 * wear (关于…的建议, 意见, 进一步) and without punctuation and spaces. The rules of the SQL function
 * idea_title_core (migration 20261208000600), which the bench's seed still uses; the server computes the core
 * itself and stores it with the idea (migration 20261211000100 says why).
 */
const WRAPPING = /关于|的建议|建议|意见|的几点思考|的思考|几点|进一步|[\s\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+/g;

export const titleCore = (title: string): string => title.toLowerCase().replace(WRAPPING, '');

/**
 * pg_trgm's trigrams of a text: each word (a run of letters and digits), lower-cased and padded with two spaces
 * before and one after, cut into every three consecutive characters; each trigram once.
 */
export function trigrams(text: string): Set<string> {
  const set = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = [' ', ' ', ...Array.from(word), ' '];
    for (let i = 0; i + 3 <= chars.length; i++) set.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  }
  return set;
}

/**
 * pg_trgm's similarity(a, b): the trigrams both share over those either has, as a float4. The embedded database
 * ranks alike titles with this instead of pg_trgm (ideas/service.ts says why); a test holds it equal to pg_trgm's.
 */
export function trigramSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return Math.fround(shared / (a.size + b.size - shared));
}
