import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';
import { HeldVf } from './operations';
import { problemVariant, ProblemType } from './problemBase';
import { Holder, HolderSource, VmState } from './topology';

/**
 * Why the agent did not attempt an operation (`reason`), with what the client needs to decide
 * what to do next. What does not exist is 404, what the address names is not the right kind of
 * thing 422, what the host's state forbids 409.
 */

export const UnknownPfProblem = problemVariant(ProblemType.notFound, [404], { reason: z.literal('unknown-pf') }).describe('no PCI device at the PF address');

export const UnknownVfProblem = problemVariant(ProblemType.notFound, [404], { reason: z.literal('unknown-vf') }).describe('no PCI device at the VF address');

export const UnknownVmProblem = problemVariant(ProblemType.notFound, [404], {
  reason: z.literal('unknown-vm'),
  vmId: z.string().describe('the VM asked for'),
}).describe('the hypervisor lists no such VM');

export const NotAPfProblem = problemVariant(ProblemType.refused, [422], {
  reason: z.literal('not-a-pf'),
  pf: PciAddress.optional().describe('the PF of the address, when the address is one of its VFs'),
}).describe('the address is a VF, or a device without SR-IOV');

export const CountOutOfRangeProblem = problemVariant(ProblemType.refused, [422], {
  reason: z.literal('count-out-of-range'),
  totalVfs: z.number().int().nonnegative().describe("the PF's sriov_totalvfs"),
  possibleVfs: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('the most VFs that have a PCI address, when fewer than totalVfs: VFs past bus ff cannot exist (the kernel answers ENOMEM)'),
  count: z.number().int().nonnegative().describe('the count asked for'),
}).describe('more VFs than the PF supports, or than fit below bus ff; nothing was written');

export const NotAVfProblem = problemVariant(ProblemType.refused, [422], { reason: z.literal('not-a-vf') }).describe('the address is a device, but not a VF');

export const IommuGroupSharedProblem = problemVariant(ProblemType.refused, [409], {
  reason: z.literal('iommu-group-shared'),
  iommuGroup: z.number().int().nonnegative(),
  members: z.array(PciAddress).describe("the group's other devices, which a VM would have to be given too"),
}).describe('the VF shares its IOMMU group');

export const ManagementPathProblem = problemVariant(ProblemType.conflict, [409], {
  reason: z.literal('management-path'),
  interfaces: z
    .array(z.string())
    .describe('from the interface that holds the default route (or the Proxmox node\'s address) down to the PF\'s own: ["vmbr0", "ens1f0"]'),
}).describe(
  "the PF carries the host's default route or, on Proxmox, the address the node is known by in /etc/pve/.members (itself, or as a port of a bridge or bond): re-creating VFs resets some NICs' links and would cut the host off; send force to change the count anyway",
);

export const NoIommuGroupProblem = problemVariant(ProblemType.refused, [409], { reason: z.literal('no-iommu-group') }).describe(
  'the VF has no IOMMU group (the IOMMU is off), so it cannot be passed through',
);

export const VfsHeldProblem = problemVariant(ProblemType.conflict, [409], {
  reason: z.literal('vfs-held'),
  previousCount: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  vms: z
    .array(
      z.object({
        vmId: z.string().describe('a VM id, or for a QEMU process no VM config or pidfile names, its -name or `pid:<N>`'),
        vmName: z.string(),
        holds: HolderSource.describe('how the VM holds them: its configuration names them (config), a running process holds them (running), or both'),
        vfs: z.array(PciAddress),
        configNamesMissing: z
          .array(PciAddress)
          .describe('VFs its configuration names that would no longer exist after the change (config-names-missing-vf): the VM would fail at its next start'),
      }),
    )
    .describe('each VM that holds a VF the change destroys, with those VFs; a VM whose configuration names a VF a running process holds instead is listed too'),
  vfs: z.array(HeldVf),
}).describe('VMs hold VFs the count change destroys, or their configurations would name VFs that no longer exist; send force to destroy them anyway');

export const VfHeldProblem = problemVariant(ProblemType.conflict, [409], {
  reason: z.literal('vf-held'),
  holder: Holder,
}).describe('a VM already holds the VF');

export const VfNotHeldProblem = problemVariant(ProblemType.conflict, [409], { reason: z.literal('vf-not-held') }).describe('no VM holds the VF');

export const VfHeldByProcessProblem = problemVariant(ProblemType.conflict, [409], {
  reason: z.literal('vf-held-by-process'),
  holder: Holder.describe('the running process that holds the VF (source running)'),
  pid: z.number().int().positive().nullable().describe('the QEMU process that holds it, when known'),
  configuredVmId: z.string().nullable().describe('the VM whose configuration names the VF although another process holds it; null when no configuration names it'),
}).describe(
  'a running process holds the VF and no configuration of it names the VF (a hand-started QEMU, a pool pick, a hand hot-plug): there is no configuration to take it out of; stop that process or VM. Nothing was written',
);

export const NoNetInterfaceProblem = problemVariant(ProblemType.refused, [422], {
  reason: z.literal('no-net-interface'),
  pf: PciAddress,
}).describe('the PF has no network interface (an NVMe controller, or its NIC driver is not bound): a VF\'s MAC, VLAN and other settings are set through the PF\'s netdev');

export const NoVfSettingsProblem = problemVariant(ProblemType.refused, [409], {
  reason: z.literal('no-vf-settings'),
  pf: PciAddress,
}).describe(
  "the PF's driver reports no settings for its VFs (no vfinfo_list), or the agent cannot read them (--kernel none, or `ip` failed): a setting could be neither applied nor read back",
);
export const VfInUseProblem = problemVariant(ProblemType.conflict, [409], {
  reason: z.literal('vf-in-use'),
  holder: Holder,
  vmState: VmState.describe('the state of the VM that holds it'),
}).describe('a running (or paused) VM uses the VF: its driver is not changed under the VM (unbinding vfio-pci would block until the VM lets go)');

export const DriverNotLoadedProblem = problemVariant(ProblemType.refused, [409], {
  reason: z.literal('driver-not-loaded'),
  driver: z.string().describe('the driver asked for'),
}).describe('the driver asked for is not loaded on the host (no /sys/bus/pci/drivers/<driver>): load it (modprobe vfio-pci) and keep it loaded at boot (/etc/modules-load.d/)');

export const NoPermanentMacProblem = problemVariant(ProblemType.refused, [422], {
  reason: z.literal('no-permanent-mac'),
  pf: PciAddress,
}).describe('the PF\'s interface reports no permanent (burnt-in) MAC, from which its VFs\' stable MACs are derived: neither `ip -j link` (permaddr) nor sysfs (addr_assign_type 0) tells it');

/** Every refusal of the agent's own checks (apps/agent/src/operations), one variant per reason. */
export const RefusalProblem = z.union([
  UnknownPfProblem,
  UnknownVfProblem,
  UnknownVmProblem,
  NotAPfProblem,
  CountOutOfRangeProblem,
  NotAVfProblem,
  IommuGroupSharedProblem,
  NoIommuGroupProblem,
  VfsHeldProblem,
  ManagementPathProblem,
  VfHeldProblem,
  VfNotHeldProblem,
  VfHeldByProcessProblem,
  NoNetInterfaceProblem,
  NoVfSettingsProblem,
  VfInUseProblem,
  DriverNotLoadedProblem,
  NoPermanentMacProblem,
]);
export type RefusalProblem = z.infer<typeof RefusalProblem>;
export type RefusalReason = RefusalProblem['reason'];
