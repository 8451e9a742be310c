import type { FindResult } from '../../find/findInGraph';
import { describeTerm } from '../../find/findQuery';
import type { GraphModel } from '../../graph/graphModel';
import { parseNodeId, type NodeId } from '../../graph/nodeId';
import './find.css';

export interface FindMatchesProps {
  model: GraphModel;
  result: FindResult;
  selected: NodeId | null;
  onGoto: (id: NodeId) => void;
}

/** More rows than this would bury the graph; the count says how many more a narrower search shows. */
export const MAX_LISTED = 40;

interface Row {
  id: NodeId;
  what: string;
  address: string | null;
  where: string;
  state: string;
  stateClass?: string;
}

function rowOf(model: GraphModel, id: NodeId): Row | null {
  const parsed = parseNodeId(id);
  if (!parsed) return null;
  const host = model.host.hostname;
  switch (parsed.kind) {
    case 'vf': {
      const vf = model.vfByAddress.get(parsed.key);
      const pf = vf ? model.pfByAddress.get(vf.pf) : undefined;
      if (!vf || !pf) return null;
      const netdev = pf.pf.netdevs[0]?.name;
      const holder = vf.holderVmId ? model.vmById.get(vf.holderVmId)?.vm.name ?? vf.holderVmId : null;
      const state =
        vf.state === 'free' ? 'free' : vf.state === 'assigned' ? `held by ${holder}${vf.pending ? ' (pending)' : ''}` : model.iommuEnabled ? 'shares its IOMMU group' : 'IOMMU off';
      return { id, what: `VF ${vf.index}`, address: vf.address, where: `${host} · ${pf.label}${netdev ? ` (${netdev})` : ''}`, state, stateClass: `state-${vf.state}` };
    }
    case 'pf': {
      const pf = model.pfByAddress.get(parsed.key);
      if (!pf) return null;
      return { id, what: 'PF', address: pf.address, where: `${host} · ${pf.label}`, state: `${pf.counts.free} free of ${pf.counts.total}` };
    }
    case 'card': {
      const card = model.cardById.get(parsed.key);
      if (!card) return null;
      return { id, what: 'card', address: card.id, where: `${host} · ${[card.vendor, card.label].filter(Boolean).join(' ')}`, state: `${card.pfs.length} ports` };
    }
    case 'vm': {
      const vm = model.vmById.get(parsed.key);
      if (!vm) return null;
      return { id, what: 'VM', address: null, where: `${host} · ${vm.vm.name} (${vm.id})`, state: `${vm.vm.state}, holds ${vm.vfs.length} VF${vm.vfs.length === 1 ? '' : 's'}` };
    }
    case 'bar':
      return null;
  }
}

/** What the search found, one row each with its host, PF and state; a click selects it in the graph. */
export function FindMatches({ model, result, selected, onGoto }: FindMatchesProps) {
  if (result.terms.length === 0) return null;
  const rows = result.ordered.slice(0, MAX_LISTED).map((id) => rowOf(model, id)).filter((r): r is Row => r !== null);
  const more = result.ordered.length - Math.min(result.ordered.length, MAX_LISTED);
  return (
    <section className="find-matches" aria-label="search matches">
      <header>
        <h2>{result.ordered.length === 0 ? `Nothing on ${model.host.hostname} matches` : `Found on ${model.host.hostname}`}</h2>
        <span className="muted">{result.terms.map(describeTerm).join(' · ')}</span>
      </header>
      {rows.length > 0 ? (
        <ul>
          {rows.map((r) => (
            <li key={r.id}>
              <button type="button" data-find-match={r.id} aria-current={r.id === selected || undefined} onClick={() => onGoto(r.id)}>
                <strong>{r.what}</strong>
                {r.address ? <span className="mono">{r.address}</span> : null}
                <span>{r.where}</span>
                <span className={r.stateClass}>{r.state}</span>
              </button>
            </li>
          ))}
          {more > 0 ? <li className="more muted">and {more} more: add a term to narrow the search</li> : null}
        </ul>
      ) : null}
    </section>
  );
}
