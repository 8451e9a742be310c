import { memo, useEffect } from 'react';
import type { FilteredGraph, VisiblePf } from '../../graph/graphFiltering';
import type { VfNode } from '../../graph/graphModel';
import { stateWord } from './stateWord';

/** What a row stands for; the page turns it into its node id (graph/nodeId). */
export type ListItemKind = 'card' | 'pf' | 'vf';

export interface TopologyListProps {
  graph: FilteredGraph;
  isSelected: (kind: ListItemKind, key: string) => boolean;
  onSelect: (kind: ListItemKind, key: string) => void;
  /** show or fold a PF's VFs (the same choice as the graph's summary bar). */
  onToggle: (pfAddress: string) => void;
}

/**
 * The topology as a list for narrow windows: cards, their PFs, each PF's VFs with state and
 * holder. It shows what the graph shows under the same search and filter (graphFiltering), and
 * every row opens the details, where the actions are (count, assign, release).
 */
export const TopologyList = memo(function TopologyList({ graph, isSelected, onSelect, onToggle }: TopologyListProps) {
  const hostId = graph.model.host.id;
  // The host is on the page (the benchmark and the e2e read this mark; GraphView sets it for the graph).
  useEffect(() => {
    performance.mark('vfmap:drawn', { detail: hostId });
  }, [hostId]);
  const cards = graph.lanes.flatMap((lane) => lane.cards.map((card) => ({ lane: lane.node, card })));
  return (
    <div className="topology-list" aria-label={`SR-IOV topology of ${graph.model.host.hostname}, as a list`} role="region">
      {cards.length === 0 ? <p className="muted">Nothing matches.</p> : null}
      {cards.map(({ lane, card }) => (
        <section key={card.node.id} className="tl-card" aria-label={`card ${card.node.id}`}>
          <h2 className="tl-card-title">
            <button type="button" className="link" aria-current={isSelected('card', card.node.id) ? 'true' : undefined} onClick={() => onSelect('card', card.node.id)}>
              {[card.node.vendor, card.node.label].filter(Boolean).join(' ')}
            </button>{' '}
            <span className="mono muted">{card.node.id}</span>
            <span className="muted small"> · {lane === null ? 'NUMA node not reported' : `NUMA ${lane}`}</span>
          </h2>
          <ul className="tl-pfs">
            {card.pfs.map((v) => (
              <PfItem key={v.node.address} visible={v} isSelected={isSelected} onSelect={onSelect} onToggle={onToggle} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
});

function PfItem({ visible, isSelected, onSelect, onToggle }: { visible: VisiblePf } & Omit<TopologyListProps, 'graph'>) {
  const pf = visible.node;
  const c = pf.counts;
  const hasVfs = pf.vfs.length > 0;
  const listId = `tl-vfs-${pf.address.replace(/[^0-9a-f]/gi, '')}`;
  return (
    <li className="tl-pf" data-list-pf={pf.address}>
      <div className="tl-pf-head">
        <button type="button" className="tl-pf-name" aria-current={isSelected('pf', pf.address) ? 'true' : undefined} onClick={() => onSelect('pf', pf.address)}>
          <strong>{pf.label}</strong> <span className="mono muted">{pf.address}</span>
        </button>
        <span className="tl-counts">
          {pf.pf.holder ? (
            <span className="muted">passed through whole to {pf.pf.holder.vmName}</span>
          ) : !hasVfs ? (
            <span className="muted">SR-IOV off: 0 of {pf.pf.totalVfs} VFs</span>
          ) : (
            <>
              <strong className={c.free > 0 ? 'free-text' : 'muted'}>{c.free} free</strong> · {c.held} held
              {c.unavailable > 0 ? ` · ${c.unavailable} unavailable` : ''} <span className="muted">of {c.total}</span>
            </>
          )}
        </span>
      </div>
      <div className="tl-pf-actions">
        {pf.pf.totalVfs > 0 && !pf.pf.holder ? (
          <button type="button" className="secondary" onClick={() => onSelect('pf', pf.address)} aria-label={`Change the VF count of ${pf.label}`}>
            VF count: {pf.pf.numVfs} of {pf.pf.totalVfs}…
          </button>
        ) : null}
        {hasVfs ? (
          <button type="button" className="secondary" aria-expanded={!visible.collapsed} aria-controls={listId} onClick={() => onToggle(pf.address)}>
            {visible.collapsed ? `Show the ${pf.vfs.length} VFs` : 'Fold the VFs'}
          </button>
        ) : null}
      </div>
      {hasVfs && !visible.collapsed ? (
        <ul className="tl-vfs" id={listId} aria-label={`VFs of ${pf.label}`}>
          {visible.cells.map((vf) => (
            <VfItem key={vf.address} vf={vf} selected={isSelected('vf', vf.address)} onSelect={onSelect} />
          ))}
          {visible.hidden > 0 ? <li className="muted small">{visible.hidden} more hidden by the filter</li> : null}
        </ul>
      ) : null}
    </li>
  );
}

function VfItem({ vf, selected, onSelect }: { vf: VfNode; selected: boolean; onSelect: TopologyListProps['onSelect'] }) {
  const holder = vf.vf.holder;
  return (
    <li>
      <button
        type="button"
        className={`tl-vf s-${vf.state}`}
        data-list-vf={vf.address}
        data-state={vf.state}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect('vf', vf.address)}
      >
        <span className="tl-vf-index">VF {vf.index}</span>
        <span className="mono">{vf.address}</span>
        <span className={`state-word s-${vf.state}`}>{stateWord(vf.state)}</span>
        {holder ? (
          <span className="tl-holder">
            {holder.vmName} <span className="muted">({holder.vmId})</span>
            {holder.pending ? <span className="tag pending-tag">pending</span> : null}
          </span>
        ) : null}
      </button>
    </li>
  );
}
