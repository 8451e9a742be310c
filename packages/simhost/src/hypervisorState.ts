import { SimulatedHypervisorState } from '@vfmap/model';
import type { HostProfile, VmSpec } from './hostProfile';

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
    .flatMap((vm) => liveDevices(vm));
  const stray = (profile.strayQemus ?? []).flatMap((q) => q.hosts);
  return [...new Set([...held, ...stray, ...(profile.vfioWithoutVm ?? [])])];
}

/** The devices a running VM's QEMU holds: its config's entries in effect, as each one's `live` says. */
export function liveDevices(vm: VmSpec): string[] {
  return vm.hostdevs.filter((h) => !h.pending).flatMap((h) => (h.live === undefined ? [h.address] : h.live === null ? [] : [h.live]));
}
