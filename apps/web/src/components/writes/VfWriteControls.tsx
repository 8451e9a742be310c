import { useState } from 'react';
import { useAssignWrite, useReleaseWrite, type WriteState } from '../../api/useWrites';
import { useWriteAccess } from '../../api/writeAccess';
import { assignabilityOf } from '../../graph/assignability';
import type { GraphModel, VfNode } from '../../graph/graphModel';
import { AssignDialog } from './AssignDialog';
import { ReleaseDialog } from './ReleaseDialog';
import { WriteStatus } from './WriteStatus';

export interface VfWriteControlsProps {
  hostId: string;
  model: GraphModel;
  vf: VfNode;
  /** why the VF cannot change right now (an operation runs on it or its PF), or null. */
  busy: string | null;
}

/** "Assign to VM…" on a free VF, "Release" on a held one, and the latest result of either. */
export function VfWriteControls({ hostId, model, vf, busy }: VfWriteControlsProps) {
  const access = useWriteAccess();
  const assign = useAssignWrite(hostId, vf.address);
  const release = useReleaseWrite(hostId, vf.address);
  const [dialog, setDialog] = useState<'assign' | 'release' | null>(null);
  const pfLabel = model.pfByAddress.get(vf.pf)?.label ?? vf.pf;
  const holder = vf.vf.holder;
  const a = assignabilityOf(vf, model);

  const pending = assign.pending || release.pending;
  // Read-only is said once, above the controls; a write of this page says itself in its status.
  const waitReason = access.readOnly || pending ? null : busy;
  const disabled = access.readOnly !== null || pending || busy !== null;
  const assignBlocked = holder ? null : a.verdict === 'blocked' ? `${a.summary}: ${a.blocking[0] ?? ''}` : model.vms.length === 0 ? 'The hypervisor lists no VMs.' : null;
  const last = latest(assign.last, release.last);

  return (
    <section className="write-box" aria-label="Assignment">
      <h3>Assignment</h3>
      {holder ? (
        <button type="button" className="primary" disabled={disabled} onClick={() => setDialog('release')}>
          Release from {holder.vmName}…
        </button>
      ) : (
        <button type="button" className="primary" disabled={disabled || assignBlocked !== null} onClick={() => setDialog('assign')}>
          Assign to VM…
        </button>
      )}
      {waitReason ? <p className="muted wait-reason">{waitReason}</p> : assignBlocked ? <p className="muted wait-reason">{assignBlocked}</p> : null}
      <WriteStatus state={last} waiting={last === release.last ? 'Releasing…' : 'Assigning…'} />
      {dialog === 'assign' && !holder ? (
        <AssignDialog
          model={model}
          vf={vf}
          pfLabel={pfLabel}
          onCancel={() => setDialog(null)}
          onConfirm={(vmId) => {
            setDialog(null);
            void assign.run({ vmId });
          }}
        />
      ) : null}
      {dialog === 'release' && holder ? (
        <ReleaseDialog
          vf={vf}
          holder={holder}
          vmState={model.vmById.get(holder.vmId)?.vm.state ?? 'unknown'}
          pfLabel={pfLabel}
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            void release.run();
          }}
        />
      ) : null}
    </section>
  );
}

function latest<T>(a: WriteState<T> | null, b: WriteState<T> | null): WriteState<T> | null {
  if (!a) return b;
  if (!b) return a;
  return a.submittedAt >= b.submittedAt ? a : b;
}
