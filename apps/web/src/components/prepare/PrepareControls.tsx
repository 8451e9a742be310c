import { useState } from 'react';
import type { OperationProgress } from '../../api/useHostEvents';
import { usePrepareWrite } from '../../api/useSettingsWrites';
import { useWriteAccess } from '../../api/writeAccess';
import type { PfNode } from '../../graph/graphModel';
import { WriteStatus } from '../writes/WriteStatus';
import { PrepareDialog } from './PrepareDialog';

export interface PrepareControlsProps {
  hostId: string;
  pf: PfNode;
  operations: ReadonlyMap<string, OperationProgress>;
  busy: string | null;
}

/** "Prepare VFs for VMs…" on a PF, and the latest prepare's result once its dialog is closed. */
export function PrepareControls({ hostId, pf, operations, busy }: PrepareControlsProps) {
  const access = useWriteAccess();
  const write = usePrepareWrite(hostId, pf.address);
  const [open, setOpen] = useState(false);
  const disabled = access.readOnly !== null || write.pending || busy !== null || pf.pf.totalVfs === 0;
  const op = operations.get(pf.address);
  const latest = op?.kind === 'prepare' && op.finished === null ? op.steps?.at(-1) : undefined;
  return (
    <section className="write-box" aria-label="Prepare VFs for VMs">
      <h3>VFs for VMs</h3>
      <button type="button" disabled={disabled} onClick={() => setOpen(true)}>
        Prepare VFs for VMs…
      </button>
      <p className="muted hint">Count, vfio-pci, stable MACs and VLANs in one step, kept across reboots.</p>
      {open ? null : (
        <WriteStatus state={write.last} waiting={latest ? `Preparing VFs: step ${latest.step} of ${latest.of} done (${latest.description})` : 'Preparing VFs…'} />
      )}
      {open ? <PrepareDialog hostId={hostId} pf={pf} operations={operations} onClose={() => setOpen(false)} /> : null}
    </section>
  );
}
