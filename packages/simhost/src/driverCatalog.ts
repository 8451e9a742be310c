import { z } from 'zod';

/**
 * What the simulated kernel knows about a PCI driver that sysfs does not say: which devices its
 * id table matches (so a new VF finds its driver), whether it implements sriov_configure, what
 * binding it adds under the device (net interfaces, an nvme controller, a vfio device) and what
 * its remove() does to the VFs.
 */
export const DriverTraits = z.object({
  name: z.string(),
  /** /sys/module/<module>. */
  module: z.string(),
  /** Id table entries (subsystem ids any). */
  ids: z.array(z.object({ vendor: z.number().int(), device: z.number().int() })).default([]),
  /** PCI_DEVICE_CLASS entries: match when (class & mask) === value. */
  classes: z.array(z.object({ value: z.number().int(), mask: z.number().int() })).default([]),
  /** Implements sriov_configure (sriov_numvfs writes need it: ENOENT without). */
  sriovConfigure: z.boolean().default(false),
  /** remove() calls pci_disable_sriov (igb, ice, i40e, ixgbe, mlx5); nvme and pci-pf-stub leave VFs behind. */
  removeDisablesSriov: z.boolean().default(false),
  /** Registers a net interface per function. */
  netdev: z.boolean().default(false),
  /** Makes an nvme controller (nvme/nvmeN) and DMA pools. */
  nvme: z.boolean().default(false),
  /** Makes vfio-dev/vfioN (vfio-pci, Linux ≥ 6.1). */
  vfioDev: z.boolean().default(false),
  /** MSI-X vectors it enables on a function it binds (0: none, vfio-pci waits for the VM). */
  msiVectors: z.number().int().default(0),
  /** DMA mask it sets (dma_mask_bits); unbound functions read 32. */
  dmaBits: z.number().int().default(64),
  /** pci_enable_device() on probe (the `enable` attribute reads 1). */
  enablesDevice: z.boolean().default(true),
});
export type DriverTraits = z.infer<typeof DriverTraits>;
type DriverInput = z.input<typeof DriverTraits>;

const intel = (...devices: number[]) => devices.map((device) => ({ vendor: 0x8086, device }));

/** Drivers as Linux 6.1 has them (ids from each driver's pci_device_id table). */
const catalog: DriverInput[] = [
  { name: 'ice', module: 'ice', ids: intel(0x1591, 0x1592, 0x1593, 0x1599, 0x159a, 0x159b), sriovConfigure: true, removeDisablesSriov: true, netdev: true, msiVectors: 8 },
  { name: 'iavf', module: 'iavf', ids: intel(0x1889, 0x154c, 0x1571, 0x37cd), netdev: true, msiVectors: 5 },
  { name: 'i40e', module: 'i40e', ids: intel(0x1572, 0x1574, 0x1580, 0x1581, 0x1583, 0x1584, 0x1585, 0x158a, 0x158b, 0x37ce, 0x37cf, 0x37d0, 0x37d1, 0x37d2), sriovConfigure: true, removeDisablesSriov: true, netdev: true, msiVectors: 8 },
  { name: 'ixgbe', module: 'ixgbe', ids: intel(0x10fb, 0x10fc, 0x1528, 0x154d, 0x1557, 0x1563), sriovConfigure: true, removeDisablesSriov: true, netdev: true, msiVectors: 8 },
  { name: 'ixgbevf', module: 'ixgbevf', ids: intel(0x10ed, 0x1515, 0x1565), netdev: true, msiVectors: 3 },
  { name: 'igb', module: 'igb', ids: intel(0x10c9, 0x10e6, 0x10e7, 0x10e8, 0x1521, 0x1533, 0x1536, 0x1537, 0x1538), sriovConfigure: true, removeDisablesSriov: true, netdev: true, msiVectors: 5 },
  { name: 'igbvf', module: 'igbvf', ids: intel(0x10ca, 0x152d, 0x1520, 0x152f), netdev: true, msiVectors: 3 },
  { name: 'e1000e', module: 'e1000e', ids: intel(0x10d3, 0x10d4), netdev: true, msiVectors: 3 },
  {
    name: 'mlx5_core',
    module: 'mlx5_core',
    ids: [0x1017, 0x1018, 0x1019, 0x101a, 0x101b, 0x101c, 0x101d, 0x101e, 0x101f, 0x1021].map((device) => ({ vendor: 0x15b3, device })),
    sriovConfigure: true,
    removeDisablesSriov: true,
    netdev: true,
    msiVectors: 8,
  },
  // nvme binds by class (NVM Express); its sriov_configure is pci_sriov_configure_simple and its
  // remove leaves SR-IOV enabled (probe.txt: "driver left SR-IOV enabled after remove" for the stub).
  { name: 'nvme', module: 'nvme', classes: [{ value: 0x010802, mask: 0xffffff }], sriovConfigure: true, nvme: true, msiVectors: 1 },
  { name: 'ahci', module: 'ahci', classes: [{ value: 0x010601, mask: 0xffffff }], msiVectors: 1 },
  { name: 'pcieport', module: 'pcieport', classes: [{ value: 0x060400, mask: 0xffffff }], msiVectors: 1, dmaBits: 32 },
  { name: 'xhci_hcd', module: 'xhci_pci', classes: [{ value: 0x0c0330, mask: 0xffffff }], msiVectors: 1 },
  { name: 'lpc_ich', module: 'lpc_ich', ids: intel(0x2918, 0xa1c1, 0xa1c2, 0xa1c3), enablesDevice: false, dmaBits: 32 },
  { name: 'i801_smbus', module: 'i2c_i801', ids: intel(0x2930, 0xa1a3, 0xa223), dmaBits: 32 },
  { name: 'mei_me', module: 'mei_me', ids: intel(0xa1ba, 0xa23a), msiVectors: 1 },
  { name: 'intel_pch_thermal', module: 'intel_pch_thermal', ids: intel(0xa1b1), dmaBits: 32 },
  { name: 'ioatdma', module: 'ioatdma', ids: intel(0x2021), msiVectors: 1 },
  { name: 'ast', module: 'ast', ids: [{ vendor: 0x1a03, device: 0x2000 }], dmaBits: 32 },
  { name: 'nvidia', module: 'nvidia', ids: [{ vendor: 0x10de, device: 0x1eb8 }], msiVectors: 1 },
  { name: 'virtio-pci', module: 'virtio_pci', classes: [], ids: [0x1000, 0x1001, 0x1009, 0x1041, 0x1049].map((device) => ({ vendor: 0x1af4, device })), msiVectors: 2 },
  { name: 'skx_uncore', module: 'intel_uncore', ids: intel(0x2014, 0x2040, 0x2041, 0x2042, 0x2043, 0x204c, 0x204d, 0x204e, 0x2054, 0x2058, 0x2066, 0x2088, 0x208d, 0x208e), enablesDevice: false, dmaBits: 32 },
  // Bind only through driver_override (or new_id): no static id table.
  { name: 'vfio-pci', module: 'vfio_pci', vfioDev: true, dmaBits: 32 },
  { name: 'pci-pf-stub', module: 'pci_pf_stub', sriovConfigure: true },
];

export const driverCatalog: ReadonlyMap<string, DriverTraits> = new Map(catalog.map((d) => [d.name, DriverTraits.parse(d)]));

export function driverTraits(name: string): DriverTraits {
  const traits = driverCatalog.get(name);
  if (!traits) throw new Error(`simhost knows no PCI driver "${name}"`);
  return traits;
}

/** pci_match_id(): does this driver's static table match the function? */
export function driverMatchesIds(driver: DriverTraits, vendor: number, device: number, classCode: number): boolean {
  return (
    driver.ids.some((id) => id.vendor === vendor && id.device === device) ||
    driver.classes.some((c) => (classCode & c.mask) === c.value)
  );
}
