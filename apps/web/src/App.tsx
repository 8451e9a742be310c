import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { FLEET_POLL_MS, useHosts } from './api/api';
import { useWriteAccess } from './api/writeAccess';
import { HostPicker } from './components/HostPicker';
import { ErrorState, Loading } from './components/StatusViews';
import { SvgDefs } from './components/SvgDefs';
import { hostToOpen, routeFromUrl, screenFor } from './hostChoice';
import { RouteLink } from './navigation/RouteLink';
import type { Route } from './navigation/route';
import { useRoute } from './navigation/useRoute';
import { HostPage } from './pages/HostPage';
import { SkipLink } from './keyboard/SkipLink';
import { lazyPart } from './lazy/lazyPart';

const FleetPage = lazyPart('fleet view', () => import('./components/fleet/FleetPage').then((m) => m.FleetPage));

/** The host route the address bar holds now for this host (a default `/` has neither selection nor search). */
function hostRouteNow(host: string): Extract<Route, { view: 'host' }> {
  const route = routeFromUrl();
  if (route.view === 'host' && route.host === host) return route;
  return { view: 'host', host, select: null };
}

export function App() {
  const { route, navigate } = useRoute();
  const hosts = useHosts((list) => hostToOpen(list, routeFromUrl()), {
    // A fleet's statuses and counts change on their own; a single agent's host list does not.
    pollMs: (list) => (routeFromUrl().view === 'fleet' || (list?.hosts.length ?? 0) > 1 ? FLEET_POLL_MS : false),
  });
  const list = hosts.data?.hosts ?? [];
  const screen = hosts.data ? screenFor(hosts.data, route) : null;
  const hostId = screen?.kind === 'host' ? screen.host : null;
  const host = list.find((h) => h.id === hostId);

  // The header's way back to the fleet returns to the last fleet search.
  const lastQ = useRef('');
  if (screen?.kind === 'fleet') lastQ.current = screen.q;

  // An agent started with --read-only, or its read-only listener, says so in its host list: the write controls are
  // disabled from the start instead of after a refused write.
  const { markReadOnly } = useWriteAccess();
  const readOnly = host?.readOnly === true;
  useEffect(() => {
    if (readOnly) markReadOnly('The agent serves this page read-only (--read-only, or its --read-listen port): it shows the host and refuses every change.');
  }, [readOnly, markReadOnly]);

  useEffect(() => {
    document.title = host ? `${host.hostname} · vfmap` : screen?.kind === 'fleet' ? 'Fleet · vfmap' : 'vfmap';
  }, [host, screen?.kind]);

  const go = useCallback((to: Route) => navigate(to), [navigate]);
  // The selection and the search share the address bar: each keeps the other as it is there now.
  const onSelectionChange = useCallback(
    (select: string | null) => {
      if (hostId !== null) navigate({ ...hostRouteNow(hostId), select }, 'replace');
    },
    [hostId, navigate],
  );
  const onQueryChange = useCallback(
    (q: string) => {
      if (hostId !== null) navigate({ ...hostRouteNow(hostId), q }, 'replace');
    },
    [hostId, navigate],
  );

  let content: ReactNode;
  if (hosts.error && !hosts.data) content = <ErrorState error={hosts.error} context="Host list" lastTried={hosts.errorUpdatedAt} />;
  else if (!screen) content = <Loading what="Asking the agent which hosts it knows…" />;
  else if (screen.kind === 'empty') content = <div className="state">This server knows no hosts.</div>;
  else if (screen.kind === 'fleet')
    content = (
      <FleetPage
        hosts={list}
        q={screen.q}
        unknownHost={screen.unknownHost}
        hostsError={hosts.error}
        hostsUpdatedAt={hosts.dataUpdatedAt}
        onSearch={(q) => navigate({ view: 'fleet', q }, 'replace')}
        onNavigate={go}
      />
    );
  else
    content = (
      <HostPage key={screen.host} hostId={screen.host} select={screen.select} onSelectionChange={onSelectionChange} query={screen.q ?? ''} onQueryChange={onQueryChange} />
    );

  return (
    <div className="app">
      {screen?.kind === 'host' ? <SkipLink /> : null}
      {/* Slot fills, defined once for the graph and the legend; hidden without display:none,
          which would stop Chromium from painting the patterns. */}
      <svg className="defs" width="0" height="0" aria-hidden="true" focusable="false">
        <SvgDefs />
      </svg>
      <header className="topbar">
        <h1 className="brand">
          vfmap<span className="muted"> · SR-IOV map</span>
        </h1>
        {screen && screen.kind !== 'empty' ? (
          <nav className="views" aria-label="views">
            <RouteLink
              className="fleet-link"
              to={{ view: 'fleet', q: lastQ.current }}
              onNavigate={go}
              aria-current={screen.kind === 'fleet' ? 'page' : undefined}
            >
              Fleet <span className="muted">· {list.length}</span>
            </RouteLink>
            {host ? (
              <span className="host-facts">
                <span className="crumb muted" aria-hidden="true">
                  ›
                </span>
                <strong>{host.hostname}</strong>
                <span className="muted">{host.hypervisor}</span>
                {host.status !== 'ok' ? <span className={`status-badge status-${host.status}`}>{host.status}</span> : null}
              </span>
            ) : null}
          </nav>
        ) : null}
        <HostPicker hosts={list} value={hostId ?? ''} onChange={(id) => navigate({ view: 'host', host: id, select: null })} />
      </header>
      <main id="main" tabIndex={-1}>
        {content}
      </main>
    </div>
  );
}
