import { SimulatedHypervisorState } from '@vfmap/model';
import type { HostProfile } from './hostProfile';

/**
 * The simulated hypervisor's state file for a profile (see @vfmap/model simulatedHypervisor):
 * the VMs with their host devices, as a VM config would list them.
 */
export function hypervisorState(profile: HostProfile): SimulatedHypervisorState {
  return SimulatedHypervisorState.parse({
    version: 1,
    vms: profile.vms.map((vm) => ({
      id: vm.id,
      name: vm.name,
      state: vm.state,
      numaNode: vm.numaNode,
      hostdevs: vm.hostdevs.map((h) => ({ address: h.address, via: h.via, pending: h.pending ?? false })),
    })),
  });
}

/**
 * Devices a hypervisor has bound to vfio-pci: those of running and paused VMs that are in effect
 * (not pending), plus the profile's vfio users without a VM and its hand-started QEMUs'. Stopped VMs' devices stay on their
 * host driver, as Proxmox and libvirt (managed='yes') rebind only when the VM starts.
 */
export function vfioBoundDevices(profile: HostProfile): string[] {
  const held = profile.vms
    .filter((vm) => vm.state === 'running' || vm.state === 'paused')
    .flatMap((vm) => vm.hostdevs.filter((h) => !h.pending).map((h) => h.address));
  const stray = (profile.strayQemus ?? []).flatMap((q) => q.hosts);
  return [...new Set([...held, ...stray, ...(profile.vfioWithoutVm ?? [])])];
}
