import { pinyin } from 'pinyin-pro';
import { simplify } from '../../platform/i18n.js';

/**
 * What a member's name is searched by, in one trigram-indexed column: the simplified name
 * (so 機關 and 机关 match alike), the pinyin initials (王建国 → wjg) and the full pinyin
 * without tones (wangjianguo). Written by every path that inserts or renames a member.
 */
export function memberSearchText(name: string): string {
  const simplified = simplify(name.trim());
  const initials = pinyin(simplified, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
  const full = pinyin(simplified, { toneType: 'none', type: 'array' }).join('');
  return `${simplified} ${initials.toLowerCase()} ${full.toLowerCase()}`;
}

/** The search term in the same normal form (simplified, lower case, no spaces). */
export function normalizeSearchTerm(term: string): string {
  return simplify(term.trim()).toLowerCase().replace(/\s+/g, '');
}
