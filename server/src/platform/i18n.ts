import * as OpenCC from 'opencc-js';

export type Lang = 'zh-Hans' | 'zh-Hant' | 'en';

/** The language of a request: `Accept-Language: en` → English, zh-TW/HK/Hant → 繁體, else 简体. */
export function languageOf(acceptLanguage: string | undefined): Lang {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  if (first.startsWith('en')) return 'en';
  if (/^zh-(tw|hk|mo|hant)/.test(first)) return 'zh-Hant';
  return 'zh-Hans';
}

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
/** Simplified form of any Chinese text, so 機關 and 机关 search alike. */
export function simplify(text: string): string {
  return toSimplified(text);
}

/**
 * Every message the server can answer with, in simplified Chinese and English; traditional
 * Chinese is converted from the simplified text (OpenCC) so the two never drift apart.
 */
export type Messages = Record<string, { zh: string; en: string }>;
const catalog: Messages = {};

export function defineMessages(messages: Messages): void {
  Object.assign(catalog, messages);
}

export function hasMessage(key: string): boolean {
  return key in catalog;
}

export function translate(key: string, lang: Lang, params: Record<string, string | number> = {}): string {
  const entry = catalog[key];
  let text = entry ? (lang === 'en' ? entry.en : entry.zh) : key;
  if (entry && lang === 'zh-Hant') text = toTraditional(text);
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
