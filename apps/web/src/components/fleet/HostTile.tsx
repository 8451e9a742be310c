import type { HostCapacity, HostSummary } from '@vfmap/model';
import { hostRank } from '../../fleet/hostOrder';
import { hostStatusWords } from '../../fleet/hostStatusWords';
import { fullDeviceName, shortDeviceName } from '../../format/deviceName';
import { formatNuma, plural, shortSpeed } from '../../format/units';
import { RouteLink } from '../../navigation/RouteLink';
import type { Route } from '../../navigation/route';

export interface HostTileProps {
  host: HostSummary;
  onNavigate: (route: Route) => void;
}

/**
 * One host of the fleet, readable alone: its name and status, how many VFs are free, and its NICs
 * by model and NUMA node. The whole tile opens the host's graph; the link is its name, so a
 * keyboard or a screen reader meets one link per tile. A host that does not answer stays, greyed,
 * saying since when and why.
 */
export function HostTile({ host, onNavigate }: HostTileProps) {
  const rank = hostRank(host);
  const words = hostStatusWords(host);
  const c = host.counts;
  const dead = host.status === 'unreachable' || host.status === 'unauthorized';
  return (
    <li className={`host-tile rank-${rank}${dead ? ' dead' : ''}`} data-host={host.id} data-status={host.status}>
      <div className="tile-head">
        <h2 className="tile-name">
          <RouteLink className="tile-link" to={{ view: 'host', host: host.id, select: null }} onNavigate={onNavigate}>
            {host.hostname}
          </RouteLink>
        </h2>
        <span className={`status-badge status-${host.status}`}>{words.label}</span>
      </div>
      <div className="tile-sub muted small">
        {host.hostname !== host.id ? <span className="mono">{host.id}</span> : null}
        {host.hypervisor ? <span>{host.hypervisor}</span> : null}
        {c ? <span>{plural(c.vms, 'VM')}</span> : null}
        {words.age ? <span className={host.status === 'ok' ? undefined : 'age'}>{words.age}</span> : null}
      </div>
      {host.problem && host.status !== 'ok' ? <p className={`tile-problem${dead ? ' error-text' : ' warn-text'}`}>{host.problem}</p> : null}
      {c ? (
        <>
          <div className="tile-free">
            <span className={`big${c.freeVfs > 0 ? ' free-text' : ' muted'}`}>{c.freeVfs}</span>
            <span>
              free <span className="muted">of {plural(c.vfs, 'VF')}</span>
            </span>
            <span className="muted small">{c.heldVfs} held</span>
            {c.warnings > 0 ? (
              <span className="warn-text small tile-warnings" title="warnings the agent reported while reading the host; the host's graph lists them">
                ⚠ {plural(c.warnings, 'warning')}
              </span>
            ) : null}
          </div>
          {host.capacity.length > 0 ? (
            <ul className="nic-rows" aria-label={`VFs of ${host.hostname} by NIC model and NUMA node`}>
              {host.capacity.map((row) => (
                <CapacityRow key={`${row.vendorId}:${row.deviceId}:${row.numaNode ?? ''}`} row={row} />
              ))}
            </ul>
          ) : (
            <p className="muted small tile-empty">No SR-IOV capable NIC.</p>
          )}
        </>
      ) : (
        <p className="muted small tile-empty">Nothing known of its VFs: it has not answered this server yet.</p>
      )}
    </li>
  );
}

function CapacityRow({ row }: { row: HostCapacity }) {
  const model = shortDeviceName(row.deviceName, row.vendorId, row.deviceId);
  const speed = shortSpeed(row.speedMbps);
  const unavailable = row.vfs - row.freeVfs - row.heldVfs;
  return (
    <li className="nic-row" data-nic={`${row.deviceId}:${row.numaNode ?? ''}`}>
      {/* The vendor is in the tooltip: the model is what a person recognises on the bracket. */}
      <span className="nic-model" title={fullDeviceName(row.vendorName, row.deviceName, `${row.vendorId}:${row.deviceId}`)}>
        <strong>{model}</strong>
        {row.pfs > 1 ? <span className="muted"> ×{row.pfs}</span> : null}
      </span>
      <span className="nic-numa">{formatNuma(row.numaNode)}</span>
      <span className="nic-speed">{speed ?? <span className="muted">link down</span>}</span>
      <span className="nic-vfs">
        {row.vfs === 0 ? (
          <span className="muted">SR-IOV off</span>
        ) : (
          <>
            <span className={row.freeVfs > 0 ? 'free-text' : 'muted'}>{row.freeVfs} free</span>
            <span className="muted">
              {' '}
              of {row.vfs} · {row.heldVfs} held
            </span>
          </>
        )}
      </span>
      {row.vfs > 0 ? <CapacityBar free={row.freeVfs} held={row.heldVfs} unavailable={unavailable} /> : null}
    </li>
  );
}

/** free / held / unavailable as one small bar, in the graph's colours and patterns. */
function CapacityBar({ free, held, unavailable }: { free: number; held: number; unavailable: number }) {
  const total = free + held + unavailable;
  if (total === 0) return null;
  const pct = (n: number) => `${(n / total) * 100}%`;
  return (
    <span className="cap-bar" aria-hidden="true">
      <span className="cap-free" style={{ width: pct(free) }} />
      <span className="cap-held" style={{ width: pct(held) }} />
      <span className="cap-unavailable" style={{ width: pct(unavailable) }} />
    </span>
  );
}
