import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topology } from '@vfmap/model';
import { extractFixture, fixture, removeFixture } from '../test/extractFixture';
import { readTopology } from './readTopology';

/**
 * Snapshots of a real 6.1 kernel in QEMU with two NVMe SR-IOV PFs and an e1000e
 * (fixtures/realkernel/README.md; topology-*.txt beside them is the reference reading).
 */
const roots: Record<string, string> = {};
const read = (name: string) => readTopology({ root: roots[name]!, pciIds: null, now: () => new Date('2026-01-02T03:04:05Z') });

beforeAll(() => {
  for (const name of ['baseline', 'vfs-enabled', 'vfs-failed']) roots[name] = extractFixture(fixture('realkernel', name));
});
afterAll(() => Object.values(roots).forEach(removeFixture));

const SHARED_GROUP = { id: 7, devices: ['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3'] };

describe('readTopology on the real-kernel snapshots', () => {
  it('returns a topology that passes the model schema, with no warnings, for every snapshot', () => {
    for (const name of Object.keys(roots)) {
      const topology = read(name);
      expect(() => Topology.parse(topology), name).not.toThrow();
      expect(topology.warnings, name).toEqual([]);
      expect(topology.vms).toEqual([]);
      expect(topology.host.hypervisor).toBe('none');
    }
  });

  it('reads a fresh boot: two PFs with 0 of 8 VFs, the e1000e as a plain device with eth0', () => {
    const t = read('baseline');
    expect(t.pfs.map((p) => [p.address, p.numVfs, p.totalVfs, p.vfs.length])).toEqual([
      ['0000:01:00.0', 0, 8, 0],
      ['0000:02:00.0', 0, 8, 0],
    ]);
    const nic = t.devices.find((d) => d.address === '0000:03:00.0')!;
    expect(nic).toMatchObject({ vendorId: '8086', deviceId: '10d3', class: '020000', driver: 'e1000e', iommuGroup: 10, numaNode: null });
    expect(nic.netdevs).toEqual([{ name: 'eth0', mac: '52:54:00:12:34:56', operState: 'up', speedMbps: 1000 }]);
    expect(t.devices).toHaveLength(11);
  });

  it('reads PF 01:00.0 with 4 VFs on nvme, offset 1, stride 1, VF device 0010 and autoprobe on', () => {
    const pf = read('vfs-enabled').pfs.find((p) => p.address === '0000:01:00.0')!;
    expect(pf).toMatchObject({
      vendorId: '1b36',
      deviceId: '0010',
      class: '010802',
      subsystemVendorId: '1af4',
      subsystemDeviceId: '1100',
      driver: 'nvme',
      driverOverride: null,
      numaNode: null,
      iommuGroup: 8,
      totalVfs: 8,
      numVfs: 4,
      offset: 1,
      stride: 1,
      vfDeviceId: '0010',
      driversAutoprobe: true,
      holder: null,
    });
    expect(pf.vfs.map((v) => [v.index, v.address, v.pf, v.driver, v.iommuGroup])).toEqual([
      [0, '0000:01:00.1', '0000:01:00.0', 'nvme', 11],
      [1, '0000:01:00.2', '0000:01:00.0', 'nvme', 12],
      [2, '0000:01:00.3', '0000:01:00.0', 'nvme', 13],
      [3, '0000:01:00.4', '0000:01:00.0', 'nvme', 14],
    ]);
    expect(pf.vfs.every((v) => v.holder === null && v.driverOverride === null && v.netdevs.length === 0)).toBe(true);
  });

  it('reads PF 02:00.0 with autoprobe off: 02:00.1 on vfio-pci through driver_override, 02:00.2 and 02:00.3 unbound', () => {
    const pf = read('vfs-enabled').pfs.find((p) => p.address === '0000:02:00.0')!;
    expect(pf).toMatchObject({ numVfs: 3, totalVfs: 8, driversAutoprobe: false, offset: 1, stride: 1 });
    expect(pf.vfs.map((v) => [v.address, v.driver, v.driverOverride, v.iommuGroup])).toEqual([
      ['0000:02:00.1', 'vfio-pci', 'vfio-pci', 15],
      ['0000:02:00.2', null, null, 16],
      ['0000:02:00.3', null, null, 17],
    ]);
  });

  it('lists every IOMMU group, including group 7 shared by 00:1f.0, 00:1f.2 and 00:1f.3', () => {
    const t = read('vfs-enabled');
    expect(t.iommuGroups.map((g) => g.id)).toEqual([...Array(18).keys()]);
    expect(t.iommuGroups).toContainEqual(SHARED_GROUP);
    expect(t.iommuGroups.find((g) => g.id === 15)).toEqual({ id: 15, devices: ['0000:02:00.1'] });
    expect(t.host.iommu.enabled).toBe(true);
    for (const d of ['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3']) {
      expect(t.devices.find((x) => x.address === d)!.iommuGroup).toBe(7);
    }
  });

  it('keeps VFs out of devices[] and reports numa_node -1 as null everywhere', () => {
    const t = read('vfs-enabled');
    const vfAddresses = t.pfs.flatMap((p) => p.vfs.map((v) => v.address));
    const pfAddresses = t.pfs.map((p) => p.address);
    expect(vfAddresses).toHaveLength(7);
    expect(t.devices.filter((d) => vfAddresses.includes(d.address) || pfAddresses.includes(d.address))).toEqual([]);
    expect(t.devices).toHaveLength(11);
    const numa = [...t.devices, ...t.pfs, ...t.pfs.flatMap((p) => p.vfs)].map((d) => d.numaNode);
    expect(new Set(numa)).toEqual(new Set([null]));
  });

  it('reads VFs that their driver gave up on as present and unbound', () => {
    const t = read('vfs-failed');
    const pf = t.pfs.find((p) => p.address === '0000:01:00.0')!;
    expect(pf.numVfs).toBe(4);
    expect(pf.vfs.map((v) => [v.address, v.driver])).toEqual([
      ['0000:01:00.1', null],
      ['0000:01:00.2', null],
      ['0000:01:00.3', null],
      ['0000:01:00.4', null],
    ]);
    expect(t.pfs.find((p) => p.address === '0000:02:00.0')!.vfs).toEqual([]);
  });

  it('makes one card per PF slot, named by the slot', () => {
    expect(read('vfs-enabled').cards).toEqual([
      { id: '0000:01:00', vendorId: '1b36', deviceId: '0010', vendorName: null, deviceName: null, numaNodes: [], pfs: ['0000:01:00.0'] },
      { id: '0000:02:00', vendorId: '1b36', deviceId: '0010', vendorName: null, deviceName: null, numaNodes: [], pfs: ['0000:02:00.0'] },
    ]);
  });

  it('falls back to "localhost" and a null kernel when the root has no /proc and no /etc/hostname, and stamps the injected clock', () => {
    const { host } = read('baseline');
    expect(host).toEqual({
      id: 'localhost',
      hostname: 'localhost',
      kernel: null,
      iommu: { enabled: true },
      hypervisor: 'none',
      collectedAt: '2026-01-02T03:04:05.000Z',
    });
  });
});
