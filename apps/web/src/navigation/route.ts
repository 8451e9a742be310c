/**
 * What the address bar says the page shows. Every view has a URL of its own, so a link, a reload
 * or the back button lands on the same view:
 *
 *   /                                  the default: the fleet when the server knows several hosts, else its host
 *   /?view=fleet                       the fleet overview
 *   /?view=fleet&q=free+E810+numa:1    the overview with a fleet search
 *   /?host=<id>                        a host's graph
 *   /?host=<id>&select=<address>       a host's graph with a PF or VF (or `vm:<id>`) selected
 *   /?host=<id>&q=numa:1+free          a host's graph with its search box filled (a shared search)
 */
export type Route =
  | { view: 'default' }
  | { view: 'fleet'; q: string }
  | { view: 'host'; host: string; select: string | null; q?: string };

export function parseRoute(search: string): Route {
  const params = new URLSearchParams(search);
  const host = params.get('host');
  const q = params.get('q');
  // An explicit view=fleet wins over a host left in the address.
  if (params.get('view') === 'fleet') return { view: 'fleet', q: q ?? '' };
  if (host !== null && host !== '') {
    const route: Route = { view: 'host', host, select: emptyToNull(params.get('select')) };
    return q !== null && q !== '' ? { ...route, q } : route;
  }
  if (q !== null) return { view: 'fleet', q };
  return { view: 'default' };
}

/** The query string of a route, "" for the default; the inverse of parseRoute. */
export function routeSearch(route: Route): string {
  const params = new URLSearchParams();
  switch (route.view) {
    case 'default':
      return '';
    case 'fleet':
      params.set('view', 'fleet');
      if (route.q !== '') params.set('q', route.q);
      break;
    case 'host':
      params.set('host', route.host);
      if (route.select !== null) params.set('select', route.select);
      if (route.q) params.set('q', route.q);
      break;
  }
  // Colons and commas stay readable ("select=0000:3b:02.1", "q=numa:1,+100G"): RFC 3986 allows
  // both in a query, and URLSearchParams reads them back the same.
  return `?${params.toString().replace(/%3A/gi, ':').replace(/%2C/gi, ',')}`;
}

export function sameRoute(a: Route, b: Route): boolean {
  return routeSearch(a) === routeSearch(b);
}

function emptyToNull(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}
