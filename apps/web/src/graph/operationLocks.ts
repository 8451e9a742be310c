import type { OperationKind } from '@vfmap/model';
import type { OperationProgress } from '../api/useHostEvents';

/** What an operation does to its target, for "… is being changed" lines. */
const PF_WORDS: Partial<Record<OperationKind, string>> = {
  autoprobe: 'The drivers_autoprobe of this PF is being changed.',
  stablemacs: 'Stable MACs are being switched on this PF.',
  prepare: 'VFs are being prepared for VMs on this PF.',
  reapply: 'The kept state of this PF is being re-applied.',
};
const VF_WORDS: Partial<Record<OperationKind, string>> = {
  assign: 'assigned',
  release: 'released',
  vfconfig: 'given new settings',
  vfdriver: 'bound to another driver',
};
import type { GraphModel } from './graphModel';

/**
 * Why a control must wait: an operation runs on the thing it changes. The agent queues the
 * operations of one PF (its count, and the assignments of its VFs) one after the other, and a
 * plan shown while another change runs would describe a PF that is about to be different.
 * Null when nothing stands in the way.
 */
export function pfBusyReason(model: GraphModel, operations: ReadonlyMap<string, OperationProgress>, pf: string): string | null {
  const own = running(operations, pf);
  if (own) return PF_WORDS[own.kind] ?? 'The VF count of this PF is being changed.';
  const node = model.pfByAddress.get(pf);
  for (const vf of node?.vfs ?? []) {
    const op = running(operations, vf.address);
    if (op) return `VF ${vf.index} of this PF is being ${VF_WORDS[op.kind] ?? 'changed'}; the count can change once that is done.`;
  }
  return null;
}

export function vfBusyReason(model: GraphModel, operations: ReadonlyMap<string, OperationProgress>, vf: string): string | null {
  const own = running(operations, vf);
  if (own) return `This VF is being ${VF_WORDS[own.kind] ?? 'changed'}.`;
  const pf = model.vfByAddress.get(vf)?.pf;
  const pfOp = pf ? running(operations, pf) : null;
  if (pfOp) return pfOp.kind === 'numvfs' ? 'The VF count of its PF is being changed.' : (PF_WORDS[pfOp.kind] ?? 'An operation runs on this PF.').replace('this PF', 'its PF');
  return null;
}

function running(operations: ReadonlyMap<string, OperationProgress>, target: string): OperationProgress | null {
  const op = operations.get(target);
  return op && op.finished === null ? op : null;
}
