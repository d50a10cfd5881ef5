import { useRef } from 'react';

/**
 * For a component that fetches as the user types: answers can arrive out of order (the first page
 * requested on opening after the typed search), so only the latest request's answer may be shown.
 * `begin()` marks a new request and answers whether it is still the latest when its answer comes.
 */
export function useLatestRequest(): () => () => boolean {
  const latest = useRef(0);
  return () => {
    const mine = ++latest.current;
    return () => mine === latest.current;
  };
}
