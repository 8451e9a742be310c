import { plural } from '../../format/units';
import { sortFindings } from '../../graph/driftMarks';
import type { GraphModel } from '../../graph/graphModel';
import type { NodeId } from '../../graph/nodeId';
import { DriftFindings } from './DriftFindings';

export interface HostDriftProps {
  model: GraphModel;
  /** select a node and bring it on screen in the graph. */
  onGoto: (id: NodeId) => void;
}

/**
 * Every place on the host where VM configurations and what runs disagree, worst first, each with
 * a link to its device in the graph where the graph draws it. The only place a finding about a
 * device the host lacks (a config naming a VF that is gone) or one the graph does not draw shows.
 */
export function HostDrift({ model, onGoto }: HostDriftProps) {
  const findings = sortFindings(model.topology.drift);
  const offGraph = findings.filter((f) => !model.vfByAddress.has(f.address) && !model.pfByAddress.has(f.address)).length;
  return (
    <section className="drift-host" aria-label="Drift">
      <h2>Config and reality differ</h2>
      {findings.length === 0 ? (
        <p className="muted">The VM configurations and what runs on {model.host.hostname} agree.</p>
      ) : (
        <>
          <p className="drift-summary">
            {plural(findings.length, 'finding')}
            {offGraph > 0 ? <span className="muted"> · {offGraph} about devices the graph does not draw</span> : null}
          </p>
          <DriftFindings findings={findings} model={model} onSelect={onGoto} showTarget folded />
        </>
      )}
    </section>
  );
}
