import { useCallback, useEffect, useState } from 'react';
import { parseRoute, routeSearch, sameRoute, type Route } from './route';

export type NavigateHow = 'push' | 'replace';

/**
 * The route in the address bar, as state. Going somewhere pushes a history entry (the back button
 * comes back); refining where one is (typing a search, selecting in the graph) replaces it, so
 * back does not walk through every keystroke or click. Back and forward restore the route.
 */
export function useRoute(): { route: Route; navigate: (route: Route, how?: NavigateHow) => void } {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.search));

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((next: Route, how: NavigateHow = 'push') => {
    const current = parseRoute(window.location.search);
    const url = new URL(window.location.href);
    url.search = routeSearch(next);
    if (how === 'push' && !sameRoute(current, next)) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
    setRoute(next);
  }, []);

  return { route, navigate };
}
