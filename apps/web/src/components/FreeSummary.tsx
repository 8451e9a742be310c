import type { GraphModel } from '../graph/graphModel';
import { nodeId, type NodeId } from '../graph/nodeId';

/**
 * The first thing a person looks for: how many VFs are free, on the host and on each PF, before
 * any drawing. Each PF count is a button that goes to that PF.
 */
export function FreeSummary({ model, onGoto }: { model: GraphModel; onGoto: (id: NodeId) => void }) {
  const c = model.counts;
  if (model.pfs.length === 0) {
    return (
      <section className="free-summary" aria-label="free VFs">
        <span className="muted">No SR-IOV capable device on this host.</span>
      </section>
    );
  }
  return (
    <section className="free-summary" aria-label="free VFs">
      <div className="host-free">
        <span className="big free-text" data-testid="host-free">
          {c.free}
        </span>
        <span>
          free VF{c.free === 1 ? '' : 's'} <span className="muted">of {c.total}</span>
        </span>
        <span className="muted small">
          {c.held} held{c.unavailable > 0 ? ` · ${c.unavailable} not assignable alone` : ''}
        </span>
      </div>
      <ul className="pf-free" aria-label="free VFs per PF">
        {model.pfs.map((pf) => (
          <li key={pf.address}>
            <button type="button" className="chip" data-pf-chip={pf.address} onClick={() => onGoto(nodeId.pf(pf.address))}>
              {pf.label}:{' '}
              {pf.counts.total === 0 ? (
                <span className="muted">{pf.pf.holder ? `passed through to ${pf.pf.holder.vmName}` : `SR-IOV off (0 of ${pf.pf.totalVfs})`}</span>
              ) : (
                <>
                  <strong className={pf.counts.free > 0 ? 'free-text' : 'muted'}>{pf.counts.free} free</strong> of {pf.counts.total}
                </>
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
