import type { OperationProgress } from '../../api/useHostEvents';
import { usePersistence } from '../../api/useSettingsWrites';
import type { GraphModel, VfNode } from '../../graph/graphModel';
import { vfBusyReason } from '../../graph/operationLocks';
import { VfSettingsForm } from './VfSettingsForm';

export interface VfSettingsEditorProps {
  hostId: string;
  model: GraphModel;
  vf: VfNode;
  operations: ReadonlyMap<string, OperationProgress>;
}

/**
 * The settings form of a VF with what it needs from around it: whether its PF gives stable MACs
 * and what vfmap keeps of the VF for boot (the host's persistence), and whether an operation runs.
 * Null for a VF without settings (the read-only view explains why).
 */
export function VfSettingsEditor({ hostId, model, vf, operations }: VfSettingsEditorProps) {
  const persistence = usePersistence(hostId);
  const config = vf.vf.config;
  if (config === null) return null;
  const pf = persistence.data?.pfs.find((p) => p.pf === vf.pf) ?? null;
  const desired = pf?.desired?.vfs.find((d) => d.index === vf.index) ?? null;
  // The agent names a VF's differences "VF 2 vlan", "VF 0 driver".
  const prefix = `VF ${vf.index} `;
  const differences = (pf?.differences ?? []).filter((d) => d.what.startsWith(prefix)).map((d) => ({ ...d, what: d.what.slice(prefix.length) }));
  return (
    <VfSettingsForm
      hostId={hostId}
      vf={vf.address}
      index={vf.index}
      config={config}
      busy={vfBusyReason(model, operations, vf.address)}
      stableMacs={pf?.desired?.stableMacs ?? false}
      desired={desired}
      differences={differences}
      lostAtReboot={pf?.lostAtReboot ?? false}
      runningVm={runningVmOf(model, vf)}
    />
  );
}

function runningVmOf(model: GraphModel, vf: VfNode): string | null {
  const holder = vf.vf.holder;
  if (!holder || holder.pending) return null;
  const state = model.vmById.get(holder.vmId)?.vm.state;
  return state === 'running' || state === 'paused' ? holder.vmName : null;
}
