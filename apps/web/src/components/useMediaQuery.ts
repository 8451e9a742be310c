import { useCallback, useSyncExternalStore } from 'react';

/** Below this width the graph has no room: the page shows the list instead (and the details as a sheet). */
export const NARROW_QUERY = '(max-width: 699.98px)';

/** Whether the media query matches now; follows the window as it changes. False where there is no matchMedia. */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (typeof window === 'undefined' || !window.matchMedia) return () => undefined;
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  const read = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query).matches : false);
  return useSyncExternalStore(subscribe, read, () => false);
}
