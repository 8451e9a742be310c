import type { Device, IommuGroup, Pf, Topology, Vf } from '@vfmap/model';

/** Test support: a topology built by hand, for checks run over a hand-made tree. */
export function handVf(pf: string, index: number, address: string, over: Partial<Vf> = {}): Vf {
  return { address, index, pf, vendorId: '8086', deviceId: '154c', driver: 'iavf', driverOverride: null, netdevs: [], numaNode: null, iommuGroup: null, holder: null, config: null, ...over };
}

export function handPf(address: string, over: Partial<Pf> = {}): Pf {
  return {
    address,
    vendorId: '8086',
    deviceId: '1572',
    vendorName: null,
    deviceName: null,
    subsystemVendorId: null,
    subsystemDeviceId: null,
    class: '020000',
    driver: 'i40e',
    driverOverride: null,
    netdevs: [],
    numaNode: null,
    iommuGroup: null,
    totalVfs: 64,
    numVfs: 0,
    vfDeviceId: '154c',
    offset: 16,
    stride: 1,
    driversAutoprobe: true,
    holder: null,
    vfs: [],
    ...over,
  };
}

export function handDevice(address: string, over: Partial<Device> = {}): Device {
  return { address, vendorId: '8086', deviceId: '10fb', vendorName: null, deviceName: null, class: '020000', driver: 'ixgbe', driverOverride: null, numaNode: null, iommuGroup: null, netdevs: [], holder: null, ...over };
}

export function handTopology(over: { pfs?: Pf[]; devices?: Device[]; iommuGroups?: IommuGroup[] } = {}): Topology {
  return {
    host: { id: 'hand', hostname: 'hand', kernel: null, iommu: { enabled: (over.iommuGroups ?? []).length > 0 }, hypervisor: 'none', collectedAt: '2026-12-06T18:00:00Z' },
    cards: [],
    pfs: over.pfs ?? [],
    devices: over.devices ?? [],
    iommuGroups: over.iommuGroups ?? [],
    vms: [],
    drift: [],
    warnings: [],
  };
}
