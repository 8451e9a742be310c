import type { GraphModel, VfNode } from './graphModel';
import { holdConflictOf } from './holdConflict';

/**
 * "Can I give this VF away?" answered in words: every fact that decides it, each with the reason.
 * `blocking` facts make passthrough impossible as things stand; `notes` are what a careful
 * operator still wants to know (host driver in use, NUMA placement, a pending change).
 */
export interface Assignability {
  verdict: 'free' | 'held' | 'blocked' | 'conflict';
  summary: string;
  /** what contradicts itself on the host (a VM's configuration names it, a host driver holds it); shown once, as the state. */
  warning?: string;
  blocking: string[];
  notes: string[];
}

const HOST_NET_DRIVERS_LOSE_NETDEV = 'assigning it unbinds that driver, so the host loses the interface';

export function assignabilityOf(vf: VfNode, model: GraphModel): Assignability {
  const blocking: string[] = [];
  const notes: string[] = [];
  const { vf: raw } = vf;

  if (!model.iommuEnabled) {
    blocking.push(
      'The IOMMU is off on this host: without IOMMU groups VFIO cannot isolate the VF\'s DMA, so it cannot be passed through. ' +
        'Enable VT-d / AMD-Vi in the firmware and boot with intel_iommu=on (or amd_iommu=on).',
    );
  } else if (raw.iommuGroup === null) {
    blocking.push('The kernel put this VF in no IOMMU group, so VFIO cannot claim it.');
  } else if (vf.groupPeers.length > 0) {
    const n = vf.groupPeers.length;
    blocking.push(
      `IOMMU group ${raw.iommuGroup} also holds ${n === 1 ? 'another device' : `${n} other devices`} (${vf.groupPeers.join(', ')}): ` +
        'the group is the smallest unit VFIO can isolate, so a VM would have to take all of them. ' +
        'This usually means a PCIe switch or root port without ACS above the card.',
    );
  }

  const holderVm = raw.holder ? model.vmById.get(raw.holder.vmId) : undefined;
  const conflict = holdConflictOf(raw, holderVm ? holderVm.vm.state : null);

  if (raw.holder && !conflict) {
    const vm = holderVm;
    const h = raw.holder;
    const state = vm && vm.vm.state !== 'unknown' ? ` (${vm.vm.state})` : '';
    // A QEMU no VM config knows (started by hand): its id is its -name or pid, not a VM's.
    const processOnly = h.source === 'running' && !h.configuredVmId && (!vm || vm.vm.state === 'unknown');
    const who = processOnly ? `the QEMU process ${h.vmName}` : h.vmName && h.vmName !== h.vmId ? `VM ${h.vmId} (${h.vmName})` : `VM ${h.vmId}`;
    notes.push(`Held by ${who} through ${h.via}${state}.`);
    if (raw.holder.pending) {
      notes.push('The assignment is pending: it is in the VM\'s configuration but not yet in effect; it takes effect when the VM restarts.');
    }
  }

  if (conflict) {
    const netdev = raw.netdevs[0]?.name;
    notes.push(`The configuration of VM ${conflict.vmId} (${conflict.vmName}) names it through ${raw.holder!.via}; ${conflict.driver}${netdev ? ` (as ${netdev})` : ''} holds it on the host.`);
  } else if (raw.driver === 'vfio-pci') {
    notes.push('Bound to vfio-pci: ready for passthrough.');
  } else if (raw.driver === null) {
    notes.push('No driver is bound (autoprobe off or the probe failed): vfio-pci can claim it directly.');
  } else {
    const netdev = raw.netdevs[0]?.name;
    notes.push(
      `Bound to the host driver ${raw.driver}${netdev ? ` as ${netdev}` : ''}${netdev ? `; ${HOST_NET_DRIVERS_LOSE_NETDEV}` : ''}.`,
    );
  }
  if (raw.driverOverride && raw.driverOverride !== raw.driver) {
    notes.push(`driver_override is ${raw.driverOverride}: the next probe binds it to that driver.`);
  }

  const numa = raw.numaNode ?? model.pfByAddress.get(vf.pf)?.pf.numaNode ?? null;
  if (numa === null) {
    notes.push('The kernel reports no NUMA node for it.');
  } else {
    notes.push(`On NUMA node ${numa}.`);
    if (raw.holder) {
      const vm = model.vmById.get(raw.holder.vmId);
      const others = vm?.numaNodes.filter((n) => n !== numa) ?? [];
      if (others.length > 0) {
        notes.push(
          `${raw.holder.vmName} also holds devices on NUMA node ${others.join(', ')}: its traffic crosses the socket interconnect.`,
        );
      }
    }
  }

  if (conflict) {
    return { verdict: 'conflict', summary: `Named by ${conflict.vmName}, held by ${conflict.driver}`, warning: conflict.warning, blocking, notes };
  }
  if (raw.holder) {
    return { verdict: 'held', summary: `Held by ${raw.holder.vmName}${raw.holder.pending ? ' (pending)' : ''}`, blocking, notes };
  }
  if (blocking.length > 0) return { verdict: 'blocked', summary: 'Cannot be passed through alone', blocking, notes };
  return { verdict: 'free', summary: 'Free: can be passed through to a VM', blocking, notes };
}
