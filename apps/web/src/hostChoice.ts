import type { HostList } from '@vfmap/model';
import { parseRoute, type Route } from './navigation/route';

/**
 * What the page shows for an address once the host list is in. public/preload.js makes the same
 * choice in plain JavaScript to ask for the right topology early: keep the two in step.
 */
export type Screen =
  | { kind: 'fleet'; q: string; /** a `?host=` the server does not know */ unknownHost: string | null }
  | { kind: 'host'; host: string; select: string | null; /** the search box's query (`?q=`) */ q?: string }
  | { kind: 'empty' };

/** The route in the address bar. */
export function routeFromUrl(): Route {
  return parseRoute(window.location.search);
}

/**
 * The fleet when asked for, or by default when the server knows several hosts; a host when the
 * address names one the server knows, or when it is the only one (a single agent opens on its
 * graph, as before the fleet). A host the server does not know falls back the same way.
 */
export function screenFor(list: HostList, route: Route): Screen {
  const hosts = list.hosts;
  if (route.view === 'fleet') return { kind: 'fleet', q: route.q, unknownHost: null };
  if (route.view === 'host' && hosts.some((h) => h.id === route.host)) {
    return route.q ? { kind: 'host', host: route.host, select: route.select, q: route.q } : { kind: 'host', host: route.host, select: route.select };
  }
  if (hosts.length === 0) return { kind: 'empty' };
  if (hosts.length === 1) return { kind: 'host', host: hosts[0]!.id, select: null };
  return { kind: 'fleet', q: '', unknownHost: route.view === 'host' ? route.host : null };
}

/** The host whose topology the page will draw first, to ask for it early; null for the fleet. */
export function hostToOpen(list: HostList, route: Route): string | null {
  const screen = screenFor(list, route);
  return screen.kind === 'host' ? screen.host : null;
}
