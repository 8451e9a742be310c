import type { HostSummary } from '@vfmap/model';
import { useEffect, useMemo, useRef } from 'react';
import { FLEET_POLL_MS, useFleetVfs } from '../../api/api';
import type { ApiError } from '../../api/apiError';
import { useFleetEvents } from '../../api/useFleetEvents';
import { clockTime } from '../../format/clock';
import { plural } from '../../format/units';
import { fleetVfParams, isEmptyQuery, parseFleetQuery } from '../../fleet/fleetQuery';
import { keepOrder } from '../../fleet/hostOrder';
import type { Route } from '../../navigation/route';
import { useDebouncedValue } from '../../navigation/useDebouncedValue';
import { FleetResults } from './FleetResults';
import { HostTile } from './HostTile';

export interface FleetPageProps {
  hosts: readonly HostSummary[];
  /** the search in the address bar (`?q=`). */
  q: string;
  /** a `?host=` the server does not know, said above the tiles. */
  unknownHost: string | null;
  /** the last refresh of the host list failed: the tiles are as of `hostsUpdatedAt`. */
  hostsError: ApiError | null;
  hostsUpdatedAt: number;
  /** the words in the search box changed (the address bar follows, without a history entry per key). */
  onSearch: (q: string) => void;
  onNavigate: (route: Route) => void;
}

/** How long typing pauses before the fleet is searched. */
export const SEARCH_PAUSE_MS = 250;

/**
 * Every host the server knows, one tile each, worst first then most free; above them a search
 * across the fleet's VFs in the operator's words. The host list is asked for every 10 s and at
 * once when the fleet stream says a host's status changed.
 */
export function FleetPage({ hosts, q, unknownHost, hostsError, hostsUpdatedAt, onSearch, onNavigate }: FleetPageProps) {
  const events = useFleetEvents(true);
  // Worst first, then most free, as the list first came; a refresh moves no tile (keepOrder).
  const shown = useRef<string[]>([]);
  const sorted = useMemo(() => keepOrder(shown.current, hosts), [hosts]);
  useEffect(() => {
    shown.current = sorted.map((h) => h.id);
  }, [sorted]);
  const understood = useMemo(() => parseFleetQuery(q), [q]);
  const settled = useDebouncedValue(q, SEARCH_PAUSE_MS);
  const params = useMemo(() => {
    const { query } = parseFleetQuery(settled);
    return isEmptyQuery(query) ? null : fleetVfParams(query).toString();
  }, [settled]);
  const search = useFleetVfs(params);
  const searchRef = useRef<HTMLInputElement>(null);

  // `/` focuses the search, as on a host's page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const totals = useMemo(() => {
    let free = 0;
    let vfs = 0;
    const byStatus = { ok: 0, stale: 0, unreachable: 0, unauthorized: 0 };
    for (const h of hosts) {
      free += h.counts?.freeVfs ?? 0;
      vfs += h.counts?.vfs ?? 0;
      byStatus[h.status] += 1;
    }
    return { free, vfs, byStatus };
  }, [hosts]);
  const problems = (['unreachable', 'unauthorized', 'stale'] as const).filter((s) => totals.byStatus[s] > 0).map((s) => `${totals.byStatus[s]} ${s}`);
  const empty = isEmptyQuery(understood.query);

  return (
    <div className="fleet-page">
      <section className="fleet-head" aria-label="fleet">
        <div className="fleet-totals">
          <span className="big free-text" data-testid="fleet-free">
            {totals.free}
          </span>
          <span>
            free VF{totals.free === 1 ? '' : 's'} <span className="muted">of {totals.vfs}</span>
          </span>
          <span className="muted small">
            on {plural(hosts.length, 'host')}
            {problems.length > 0 ? <span className="warn-text"> · {problems.join(' · ')}</span> : null}
          </span>
        </div>
        <form className="fleet-search" role="search" onSubmit={(e) => e.preventDefault()}>
          <input
            ref={searchRef}
            type="search"
            value={q}
            onChange={(e) => onSearch(e.target.value)}
            placeholder="free E810 on NUMA 1, 100G · host:pve2 · speed:>=25G"
            aria-label="Search the fleet's VFs (press / to focus)"
            aria-keyshortcuts="/"
            aria-describedby="fleet-understood"
            spellCheck={false}
            autoComplete="off"
          />
          <span id="fleet-understood" className="understood muted small">
            {empty ? (q.trim() === '' ? 'Words such as free, held, a model, numa:1, 25G, host:pve2 or a PCI address' : `Nothing to search in “${q.trim()}”`) : <>Looking for {understood.summary}</>}
          </span>
        </form>
      </section>
      {unknownHost !== null ? (
        <div className="banner warn-banner" role="note">
          <strong>No host “{unknownHost}” here.</strong> These are the hosts this server knows.
        </div>
      ) : null}
      {hostsError ? (
        <div className="banner error-banner" role="alert">
          <strong>The host list could not be refreshed:</strong> {hostsError.message} The tiles are as of {clockTime(hostsUpdatedAt)}.
        </div>
      ) : null}
      {params !== null || !empty ? (
        <FleetResults
          summary={understood.summary}
          result={params === null ? undefined : search.data}
          error={search.error}
          searching={search.isFetching}
          hosts={hosts}
          onNavigate={onNavigate}
        />
      ) : null}
      <ul className="host-tiles" aria-label="hosts">
        {sorted.map((h) => (
          <HostTile key={h.id} host={h} onNavigate={onNavigate} />
        ))}
      </ul>
      <p className="freshness muted" role="status">
        {events.connected ? 'Live: the server pushes host status changes' : `Asking for the host list every ${FLEET_POLL_MS / 1000} s`} · read{' '}
        {clockTime(hostsUpdatedAt)}
      </p>
    </div>
  );
}
