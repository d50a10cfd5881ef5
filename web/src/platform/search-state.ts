import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** Changes to a list page's URL state: a value sets the parameter, undefined or '' removes it. */
export type SearchChanges = Record<string, string | undefined>;

/**
 * A list page's filters and page number live in the URL (shareable, kept on reload and back). `update`
 * applies changes and, unless the page itself is among them, goes back to page 1: a new filter must not
 * leave the user on page 7 of a shorter list.
 */
export function useSearchState(): [URLSearchParams, (changes: SearchChanges) => void] {
  const [params, setParams] = useSearchParams();
  const update = useCallback((changes: SearchChanges) => setParams((current) => {
    const next = new URLSearchParams(current);
    for (const [k, v] of Object.entries(changes)) if (v) next.set(k, v); else next.delete(k);
    if (!('page' in changes)) next.delete('page');
    return next;
  }), [setParams]);
  return [params, update];
}
