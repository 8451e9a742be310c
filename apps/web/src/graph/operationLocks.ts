import type { OperationProgress } from '../api/useHostEvents';
import type { GraphModel } from './graphModel';

/**
 * Why a control must wait: an operation runs on the thing it changes. The agent queues the
 * operations of one PF (its count, and the assignments of its VFs) one after the other, and a
 * plan shown while another change runs would describe a PF that is about to be different.
 * Null when nothing stands in the way.
 */
export function pfBusyReason(model: GraphModel, operations: ReadonlyMap<string, OperationProgress>, pf: string): string | null {
  const own = running(operations, pf);
  if (own) return 'The VF count of this PF is being changed.';
  const node = model.pfByAddress.get(pf);
  for (const vf of node?.vfs ?? []) {
    const op = running(operations, vf.address);
    if (op) return `VF ${vf.index} of this PF is being ${op.kind === 'assign' ? 'assigned' : op.kind === 'release' ? 'released' : 'changed'}; the count can change once that is done.`;
  }
  return null;
}

export function vfBusyReason(model: GraphModel, operations: ReadonlyMap<string, OperationProgress>, vf: string): string | null {
  const own = running(operations, vf);
  if (own) return own.kind === 'release' ? 'This VF is being released.' : 'This VF is being assigned.';
  const pf = model.vfByAddress.get(vf)?.pf;
  if (pf && running(operations, pf)) return 'The VF count of its PF is being changed.';
  return null;
}

function running(operations: ReadonlyMap<string, OperationProgress>, target: string): OperationProgress | null {
  const op = operations.get(target);
  return op && op.finished === null ? op : null;
}
