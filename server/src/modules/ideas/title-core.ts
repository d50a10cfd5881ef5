/**
 * A title's core, compared for near-duplicates (pg_trgm): lower-cased, without the words every idea's title may
 * wear (关于…的建议, 意见, 进一步) and without punctuation and spaces. The rules of the SQL function
 * idea_title_core (migration 20261208000600), which the bench's seed still uses; the server computes the core
 * itself and stores it with the idea (migration 20261211000100 says why).
 */
const WRAPPING = /关于|的建议|建议|意见|的几点思考|的思考|几点|进一步|[\s\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+/g;

export const titleCore = (title: string): string => title.toLowerCase().replace(WRAPPING, '');
