import { z } from 'zod';
import { HYPERVISOR_KINDS } from './hypervisorKinds';
import { PciAddress, PciSlot } from './pciAddressSchema';
import { WarningCode } from './warningCode';
import { VfConfig } from './vfConfig';
import { DriftFinding } from './drift';

export const HypervisorKind = z.enum(HYPERVISOR_KINDS);
export type HypervisorKind = z.infer<typeof HypervisorKind>;

export const Warning = z
  .object({
    code: WarningCode.describe('stable machine-readable code: what could not be read or trusted'),
    message: z.string(),
    path: z.string().optional().describe('the file or directory the warning is about, relative to the root'),
  })
  .describe('something the reader could not read or did not trust; the rest of the result stands');
export type Warning = z.infer<typeof Warning>;

export const Netdev = z.object({
  name: z.string(),
  mac: z.string().nullable().describe('link-layer address as sysfs prints it (6 bytes for Ethernet, 20 for IPoIB)'),
  operState: z.string().nullable().describe('operstate: up, down, unknown, ...'),
  speedMbps: z.number().int().nullable().describe('null when the link is down or the speed is unknown (-1)'),
});
export type Netdev = z.infer<typeof Netdev>;

export const HolderSource = z.enum(['config', 'running', 'both']);
export type HolderSource = z.infer<typeof HolderSource>;

export const Holder = z.object({
  vmId: z.string(),
  vmName: z.string(),
  via: z.string().describe('where the VM config names the device: "hostpci0", "hostdev", "interface"...'),
  pending: z.boolean().describe('the change is in the configuration but not yet in effect'),
  pendingChange: z
    .enum(['attach', 'detach'])
    .nullable()
    .optional()
    .describe('which way a pending change goes: the VM gets the device at its next start, or gives it up then'),
  source: HolderSource.optional().describe(
    'where the holder comes from: a VM configuration, a running QEMU process (pidfile, cmdline, open /dev/vfio fds), or both',
  ),
  configuredVmId: z
    .string()
    .nullable()
    .optional()
    .describe('the VM a configuration names for this device when a running process holds it instead (the live claim wins)'),
  ambiguous: z
    .boolean()
    .optional()
    .describe('the running process holds the IOMMU group this device shares with others: it may hold another member instead'),
});
export type Holder = z.infer<typeof Holder>;

export const VmState = z.enum(['running', 'stopped', 'paused', 'unknown']);
export type VmState = z.infer<typeof VmState>;

export const Vm = z.object({
  id: z.string(),
  name: z.string(),
  state: VmState,
});
export type Vm = z.infer<typeof Vm>;

export const Vf = z.object({
  address: PciAddress,
  index: z.number().int().nonnegative().describe('N of the PF\'s virtfnN link'),
  pf: PciAddress,
  vendorId: z.string(),
  deviceId: z.string(),
  driver: z.string().nullable(),
  driverOverride: z.string().nullable().describe('null when sysfs reads "(null)" or the file is absent'),
  netdevs: z.array(Netdev),
  numaNode: z.number().int().nullable(),
  iommuGroup: z.number().int().nullable(),
  holder: Holder.nullable(),
  config: VfConfig.nullable()
    .default(null)
    .describe("the VF's settings as its PF's driver reports them (netlink); null when the PF has no netdev or they could not be read"),
});
export type Vf = z.infer<typeof Vf>;

export const Pf = z.object({
  address: PciAddress,
  vendorId: z.string().describe('hex without 0x, 4 digits'),
  deviceId: z.string(),
  vendorName: z.string().nullable(),
  deviceName: z.string().nullable(),
  subsystemVendorId: z.string().nullable(),
  subsystemDeviceId: z.string().nullable(),
  class: z.string().describe('hex without 0x, 6 digits'),
  driver: z.string().nullable(),
  driverOverride: z.string().nullable(),
  netdevs: z.array(Netdev),
  numaNode: z.number().int().nullable().describe('-1 in sysfs is null'),
  iommuGroup: z.number().int().nullable(),
  totalVfs: z.number().int().nonnegative(),
  numVfs: z.number().int().nonnegative(),
  vfDeviceId: z.string().nullable().describe('null on kernels without sriov_vf_device'),
  offset: z.number().int().nullable().describe('null on kernels without sriov_offset'),
  stride: z.number().int().nullable(),
  driversAutoprobe: z.boolean().nullable(),
  holder: Holder.nullable().describe('a VM holding the whole PF'),
  vfs: z.array(Vf),
});
export type Pf = z.infer<typeof Pf>;

export const Card = z.object({
  id: PciSlot,
  vendorId: z.string(),
  deviceId: z.string(),
  vendorName: z.string().nullable(),
  deviceName: z.string().nullable(),
  numaNodes: z.array(z.number().int()).describe('distinct NUMA nodes of its PFs; a card is not always on one'),
  pfs: z.array(PciAddress),
});
export type Card = z.infer<typeof Card>;

export const Device = z.object({
  address: PciAddress,
  vendorId: z.string(),
  deviceId: z.string(),
  vendorName: z.string().nullable(),
  deviceName: z.string().nullable(),
  class: z.string(),
  driver: z.string().nullable(),
  driverOverride: z.string().nullable(),
  numaNode: z.number().int().nullable(),
  iommuGroup: z.number().int().nullable(),
  netdevs: z.array(Netdev),
  holder: Holder.nullable(),
});
export type Device = z.infer<typeof Device>;

export const IommuGroup = z.object({
  id: z.number().int().nonnegative(),
  devices: z.array(PciAddress),
});
export type IommuGroup = z.infer<typeof IommuGroup>;

export const Host = z.object({
  id: z.string().describe('the id the API uses in /hosts/:host'),
  hostname: z.string(),
  kernel: z.string().nullable(),
  iommu: z.object({
    enabled: z.boolean().describe('the kernel made IOMMU groups; without them no VF can be passed through'),
  }),
  hypervisor: HypervisorKind,
  collectedAt: z.string().datetime({ offset: true }),
});
export type Host = z.infer<typeof Host>;

export const Topology = z.object({
  host: Host,
  cards: z.array(Card),
  pfs: z.array(Pf),
  devices: z.array(Device).describe('every PCI device that is neither a PF nor a VF'),
  iommuGroups: z.array(IommuGroup),
  vms: z.array(Vm),
  drift: z
    .array(DriftFinding)
    .default([])
    .describe('where VM configurations and what runs on the host disagree (held-not-configured, config-names-missing-vf, ...)'),
  warnings: z.array(Warning),
});
export type Topology = z.infer<typeof Topology>;
