import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';
import { VmState } from './topology';

/**
 * The simulated hypervisor's state file (the demo's `ROOT/var/lib/vfmap-sim/hypervisor.json`):
 * written by packages/simhost when it generates a host, read and changed by the simulated
 * adapter in packages/hypervisors. It stands for what a real hypervisor keeps in VM configs.
 */
export const SimulatedVm = z.object({
  id: z.string(),
  name: z.string(),
  state: VmState,
  numaNode: z.number().int().nullable(),
  hostdevs: z.array(
    z.object({
      address: PciAddress,
      via: z.string(),
      pending: z.boolean(),
    }),
  ),
});
export type SimulatedVm = z.infer<typeof SimulatedVm>;

export const SimulatedHypervisorState = z.object({
  version: z.literal(1),
  vms: z.array(SimulatedVm),
});
export type SimulatedHypervisorState = z.infer<typeof SimulatedHypervisorState>;

/** Where the simulated hypervisor keeps its state, relative to the simulated root. */
export const SIMULATED_HYPERVISOR_STATE_PATH = 'var/lib/vfmap-sim/hypervisor.json';

/**
 * The fd number a simulated VM's QEMU keeps an IOMMU group open on (`/proc/<pid>/fd/<N>` →
 * `/dev/vfio/<group>`): written by packages/simhost, changed by the simulated adapter when a
 * running VM gets or loses a device.
 */
export function simulatedGroupFd(group: number): number {
  return 100 + group;
}
