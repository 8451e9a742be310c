import type { z } from 'zod';
import {
  Topology,
  vfAddressOf,
  type Device,
  type DriftFinding,
  type Holder,
  type Netdev,
  type Pf,
  type Vf,
  type Vm,
} from '@vfmap/model';

/**
 * Builds Topology values the way the agent reports them, for component tests and screenshots.
 * VF addresses follow offset/stride from the PF's routing id exactly as the kernel computes them,
 * so the fixtures spill onto the next device numbers (and buses) the way real hosts do.
 */

export interface PfSpec {
  address: string;
  vendorId: string;
  deviceId: string;
  vendorName: string;
  deviceName: string;
  driver: string | null;
  netdev: { name: string; operState: string; speedMbps: number | null } | null;
  numaNode: number | null;
  iommuGroup: number | null;
  totalVfs: number;
  numVfs: number;
  vfDeviceId: string;
  offset: number;
  stride: number;
  /** driver per VF index; default: `vfio-pci` for held VFs, `vfDriver` for the others. */
  vfDriver: string | null;
  /** IOMMU group of VF `i`; default: one group per VF counted up from `firstVfGroup`. */
  vfGroup?: (index: number) => number | null;
  firstVfGroup?: number;
  holders?: Record<number, Holder>;
  holder?: Holder | null;
}

/** VF `index` of a fixture's PF; a fixture never describes a VF past bus ff, which cannot exist. */
export function vfAddress(pf: string, offset: number, stride: number, index: number): string {
  const address = vfAddressOf(pf, offset, stride, index);
  if (address === null) throw new Error(`fixture asks for VF ${index} of ${pf}, which would lie past bus ff`);
  return address;
}

export function mac(seed: number, index: number): string {
  const bytes = [0x52, 0x54, (seed >> 8) & 0xff, seed & 0xff, (index >> 8) & 0xff, index & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function holder(vm: Vm, via: string, pending = false): Holder {
  return { vmId: vm.id, vmName: vm.name, via, pending };
}

export function buildPf(spec: PfSpec, macSeed: number): Pf {
  const vfs: Vf[] = [];
  for (let i = 0; i < spec.numVfs; i++) {
    const address = vfAddress(spec.address, spec.offset, spec.stride, i);
    const held = spec.holders?.[i] ?? null;
    const driver = held ? 'vfio-pci' : spec.vfDriver;
    const netdevs: Netdev[] =
      driver && driver !== 'vfio-pci' && spec.netdev
        ? [{ name: `${spec.netdev.name}v${i}`, mac: mac(macSeed, i + 1), operState: 'up', speedMbps: spec.netdev.speedMbps }]
        : [];
    vfs.push({
      address,
      index: i,
      pf: spec.address,
      vendorId: spec.vendorId,
      deviceId: spec.vfDeviceId,
      driver,
      driverOverride: driver === 'vfio-pci' ? 'vfio-pci' : null,
      netdevs,
      numaNode: spec.numaNode,
      iommuGroup: spec.vfGroup ? spec.vfGroup(i) : spec.iommuGroup === null ? null : (spec.firstVfGroup ?? 200) + i,
      holder: held,
      config: null,
    });
  }
  return {
    address: spec.address,
    vendorId: spec.vendorId,
    deviceId: spec.deviceId,
    vendorName: spec.vendorName,
    deviceName: spec.deviceName,
    subsystemVendorId: spec.vendorId,
    subsystemDeviceId: '0001',
    class: '020000',
    driver: spec.driver,
    driverOverride: null,
    netdevs: spec.netdev ? [{ ...spec.netdev, mac: mac(macSeed, 0) }] : [],
    numaNode: spec.numaNode,
    iommuGroup: spec.iommuGroup,
    totalVfs: spec.totalVfs,
    numVfs: spec.numVfs,
    vfDeviceId: spec.vfDeviceId,
    offset: spec.offset,
    stride: spec.stride,
    driversAutoprobe: true,
    holder: spec.holder ?? null,
    vfs,
  };
}

/** IOMMU groups from every function's `iommuGroup`, as /sys/kernel/iommu_groups lists them. */
export function groupsOf(pfs: Pf[], devices: Device[]): { id: number; devices: string[] }[] {
  const groups = new Map<number, string[]>();
  const add = (group: number | null, address: string) => {
    if (group === null) return;
    groups.set(group, [...(groups.get(group) ?? []), address]);
  };
  for (const d of devices) add(d.iommuGroup, d.address);
  for (const pf of pfs) {
    add(pf.iommuGroup, pf.address);
    for (const vf of pf.vfs) add(vf.iommuGroup, vf.address);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([id, members]) => ({ id, devices: members }));
}

export function device(
  address: string,
  vendorName: string,
  deviceName: string,
  cls: string,
  driver: string | null,
  iommuGroup: number | null,
  extra: Partial<Device> = {},
): Device {
  return {
    address,
    vendorId: '8086',
    deviceId: '2020',
    vendorName,
    deviceName,
    class: cls,
    driver,
    driverOverride: null,
    numaNode: 0,
    iommuGroup,
    netdevs: [],
    holder: null,
    ...extra,
  };
}

/** Parses with the model's schema, so a fixture that drifts from the contract fails loudly. */
export function topology(input: z.input<typeof Topology>): Topology {
  return Topology.parse(input);
}

/**
 * A drift finding as the agent reports it; what a test does not say is empty. The evidence
 * defaults to one line of the VM's configuration naming the address, the commonest fact.
 */
export function driftFinding(f: Pick<DriftFinding, 'kind' | 'severity' | 'address' | 'title'> & Partial<DriftFinding>): DriftFinding {
  return {
    pf: null,
    vmId: null,
    vmName: null,
    otherVmId: null,
    why: `why ${f.kind}`,
    fix: `fix ${f.kind}`,
    evidence: [{ path: `/etc/pve/qemu-server/${f.vmId ?? '100'}.conf`, value: `hostpci0: ${f.address}` }],
    ...f,
  };
}
