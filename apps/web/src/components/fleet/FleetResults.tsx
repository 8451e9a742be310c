import type { FleetVf, FleetVfList, HostSummary } from '@vfmap/model';
import type { ApiError } from '../../api/apiError';
import { shortDeviceName } from '../../format/deviceName';
import { formatNuma, plural, shortSpeed } from '../../format/units';
import { RouteLink } from '../../navigation/RouteLink';
import type { Route } from '../../navigation/route';

export interface FleetResultsProps {
  summary: string;
  result: FleetVfList | undefined;
  error: ApiError | null;
  searching: boolean;
  hosts: readonly HostSummary[];
  onNavigate: (route: Route) => void;
}

const STATE_WORD: Record<FleetVf['state'], string> = { free: 'free', assigned: 'held', unavailable: 'not assignable' };

/**
 * What a fleet search found, one row per VF: where it is (host, NIC, PF and its interface), its
 * address, state, NUMA node, link speed and holder. A VF found in the last answer of a host that
 * does not answer now is marked stale. Its address opens the host's graph with the VF selected.
 */
export function FleetResults({ summary, result, error, searching, hosts, onNavigate }: FleetResultsProps) {
  const hostname = new Map(hosts.map((h) => [h.id, h.hostname]));
  const unsearched = result?.hosts.filter((h) => !h.searched) ?? [];
  return (
    <section className="fleet-results" aria-label="VFs found" aria-busy={searching}>
      <p className="results-head" role="status">
        {error ? (
          <span className="error-text">The fleet search failed: {error.message}</span>
        ) : !result ? (
          <span className="muted">Searching the fleet for {summary}…</span>
        ) : (
          <>
            <strong>{result.total === 0 ? 'No VF' : plural(result.total, 'VF')}</strong> <span className="muted">match {summary}</span>
            {result.total > 0 ? <span className="muted"> on {plural(new Set(result.vfs.map((v) => v.host)).size, 'host')}</span> : null}
            {result.total > result.vfs.length ? <span className="muted"> · the first {result.vfs.length} shown</span> : null}
            {searching ? <span className="muted"> · searching…</span> : null}
          </>
        )}
      </p>
      {unsearched.length > 0 ? (
        <p className="results-note warn-text small">
          Not searched, nothing known of their VFs: {unsearched.map((h) => `${hostname.get(h.id) ?? h.id} (${h.status})`).join(', ')}.
        </p>
      ) : null}
      {result && result.vfs.length > 0 ? (
        <div className="results-scroll">
          <table className="results-table">
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">NIC</th>
                <th scope="col">PF</th>
                <th scope="col">VF</th>
                <th scope="col">State</th>
                <th scope="col">NUMA</th>
                <th scope="col">Speed</th>
                <th scope="col">Holder</th>
              </tr>
            </thead>
            <tbody>
              {result.vfs.map((vf) => (
                <ResultRow key={`${vf.host}/${vf.vf}`} vf={vf} onNavigate={onNavigate} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function ResultRow({ vf, onNavigate }: { vf: FleetVf; onNavigate: (route: Route) => void }) {
  const to: Route = { view: 'host', host: vf.host, select: vf.vf };
  const stale = vf.hostStatus !== 'ok';
  return (
    <tr className={stale ? 'stale' : undefined} data-result={`${vf.host}/${vf.vf}`} onClick={(e) => {
      // The whole row opens the VF for a mouse; the address is the link for everyone else.
      if ((e.target as HTMLElement).closest('a')) return;
      onNavigate(to);
    }}>
      <td data-label="Host">
        {vf.hostname}
        {stale ? (
          <span className="tag stale-tag" title="found in the last answer this server kept of a host that does not answer now">
            {vf.hostStatus}
          </span>
        ) : null}
      </td>
      <td data-label="NIC" title={[vf.vendorName, vf.deviceName].filter(Boolean).join(' ') || undefined}>
        {shortDeviceName(vf.deviceName, vf.vendorId, vf.deviceId)}
      </td>
      <td data-label="PF">
        <code>{vf.pf}</code>
        {vf.pfNetdev ? <span className="muted"> {vf.pfNetdev}</span> : null}
      </td>
      <td data-label="VF">
        <RouteLink to={to} onNavigate={onNavigate} aria-label={`VF ${vf.index} ${vf.vf} on ${vf.hostname}`}>
          <code>{vf.vf}</code>
        </RouteLink>{' '}
        <span className="muted small">#{vf.index}</span>
      </td>
      <td data-label="State">
        <span className={`state-word s-${vf.state}`}>{STATE_WORD[vf.state]}</span>
      </td>
      <td data-label="NUMA">{formatNuma(vf.numaNode)}</td>
      <td data-label="Speed">{shortSpeed(vf.speedMbps) ?? <span className="muted">down</span>}</td>
      <td data-label="Holder">
        {vf.holder ? (
          <>
            {vf.holder.vmName}
            {vf.holder.pending ? <span className="tag pending-tag">pending</span> : null}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}
