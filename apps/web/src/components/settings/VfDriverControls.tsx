import { useVfDriverWrite } from '../../api/useSettingsWrites';
import { useWriteAccess } from '../../api/writeAccess';
import type { GraphModel, VfNode } from '../../graph/graphModel';
import { WriteStatus } from '../writes/WriteStatus';

export interface VfDriverControlsProps {
  hostId: string;
  model: GraphModel;
  vf: VfNode;
  busy: string | null;
}

/**
 * The VF's driver: bound to vfio-pci (ready for a VM, no host interface) through driver_override,
 * or given back to its host driver. A VM that runs with the VF holds it: the agent refuses, and
 * the button says why before anyone tries.
 */
export function VfDriverControls({ hostId, model, vf, busy }: VfDriverControlsProps) {
  const access = useWriteAccess();
  const write = useVfDriverWrite(hostId, vf.address);
  const raw = vf.vf;
  const onVfio = raw.driver === 'vfio-pci' || raw.driverOverride === 'vfio-pci';
  const holder = raw.holder;
  const vmState = holder ? model.vmById.get(holder.vmId)?.vm.state : undefined;
  const heldLive = holder !== null && (vmState === 'running' || vmState === 'paused');
  const heldReason = heldLive ? `${holder.vmName} (VM ${holder.vmId}) is ${vmState} with this VF: its driver cannot change until the VM stops or releases it.` : null;
  const waitReason = access.readOnly || write.pending ? null : (busy ?? heldReason);
  const disabled = access.readOnly !== null || write.pending || busy !== null || heldLive;
  const netdev = raw.netdevs[0]?.name;
  return (
    <section className="write-box" aria-label="Driver">
      <h3>Driver</h3>
      <p>
        {raw.driver === null ? <span className="muted">no driver bound</span> : <code>{raw.driver}</code>}
        {raw.driverOverride ? (
          <span className="muted">
            {' '}
            · <code>driver_override</code> {raw.driverOverride}
          </span>
        ) : null}
      </p>
      {onVfio ? (
        <button type="button" disabled={disabled} onClick={() => void write.run({ driver: null })}>
          Give back to host driver
        </button>
      ) : (
        <button type="button" disabled={disabled} onClick={() => void write.run({ driver: 'vfio-pci' })}>
          Bind to vfio-pci
        </button>
      )}
      {!onVfio && netdev && !disabled ? <p className="muted hint">The host loses the interface {netdev}.</p> : null}
      {waitReason ? <p className="muted wait-reason">{waitReason}</p> : null}
      <WriteStatus state={write.last} waiting={write.last?.request?.driver === 'vfio-pci' ? 'Binding to vfio-pci…' : 'Giving the VF back to its host driver…'} />
    </section>
  );
}
