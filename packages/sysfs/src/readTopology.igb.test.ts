import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topology } from '@vfmap/model';
import { extractFixture, fixture, removeFixture } from '../test/extractFixture';
import { readTopology } from './readTopology';

/**
 * Snapshots of a real 6.1 kernel with two igb (82576) PFs whose VFs are igbvf net interfaces
 * (fixtures/realkernel-igb/README.md).
 */
const roots: Record<string, string> = {};
const read = (name: string) => readTopology({ root: roots[name]!, pciIds: null });

beforeAll(() => {
  for (const name of ['igb-baseline', 'igb-vfs-enabled', 'igb-vfs-configured']) roots[name] = extractFixture(fixture('realkernel-igb', name));
});
afterAll(() => Object.values(roots).forEach(removeFixture));

describe('readTopology on the igb snapshots', () => {
  it('reads every igb snapshot into a valid topology without warnings', () => {
    for (const name of Object.keys(roots)) {
      const t = read(name);
      expect(() => Topology.parse(t), name).not.toThrow();
      expect(t.warnings, name).toEqual([]);
    }
  });

  it('reads the igb PFs with offset 128, stride 2, VF device 10ca, 7 VFs at most, and their netdevs', () => {
    const t = read('igb-baseline');
    const igb = t.pfs.filter((p) => p.driver === 'igb');
    expect(igb.map((p) => [p.address, p.numVfs, p.totalVfs, p.offset, p.stride, p.vfDeviceId, p.driversAutoprobe])).toEqual([
      ['0000:04:00.0', 0, 7, 128, 2, '10ca', true],
      ['0000:05:00.0', 0, 7, 128, 2, '10ca', true],
    ]);
    expect(igb.map((p) => p.netdevs)).toEqual([
      [{ name: 'eth1', mac: '52:54:00:12:35:01', operState: 'up', speedMbps: 1000 }],
      [{ name: 'eth2', mac: '52:54:00:12:35:02', operState: 'up', speedMbps: 1000 }],
    ]);
  });

  it('takes VF addresses from the virtfn links, far from the PF: virtfn0 is 04:10.0, not 04:00.1', () => {
    const pf = read('igb-vfs-enabled').pfs.find((p) => p.address === '0000:04:00.0')!;
    expect(pf.numVfs).toBe(4);
    expect(pf.vfs.map((v) => [v.index, v.address])).toEqual([
      [0, '0000:04:10.0'],
      [1, '0000:04:10.2'],
      [2, '0000:04:10.4'],
      [3, '0000:04:10.6'],
    ]);
    expect(pf.vfs.every((v) => v.vendorId === '8086' && v.deviceId === '10ca' && v.pf === '0000:04:00.0')).toBe(true);
  });

  it('reads net interfaces under VF directories, and none for a VF on vfio-pci', () => {
    const pf = read('igb-vfs-enabled').pfs.find((p) => p.address === '0000:04:00.0')!;
    expect(pf.vfs.map((v) => [v.driver, v.driverOverride, v.netdevs.map((n) => n.name)])).toEqual([
      ['igbvf', null, ['eth3']],
      ['igbvf', null, ['eth4']],
      ['igbvf', null, ['eth5']],
      ['vfio-pci', 'vfio-pci', []],
    ]);
    // igbvf gives each VF a random MAC and leaves the link down; a down link has no speed.
    expect(pf.vfs[0]!.netdevs[0]).toEqual({ name: 'eth3', mac: 'ba:fe:49:25:d0:82', operState: 'down', speedMbps: null });
  });

  it('reads the PF with autoprobe 0: one VF on vfio-pci, one unbound with no netdev', () => {
    const pf = read('igb-vfs-enabled').pfs.find((p) => p.address === '0000:05:00.0')!;
    expect(pf.driversAutoprobe).toBe(false);
    expect(pf.vfs.map((v) => [v.index, v.address, v.driver, v.driverOverride, v.netdevs])).toEqual([
      [0, '0000:05:10.0', 'vfio-pci', 'vfio-pci', []],
      [1, '0000:05:10.2', null, null, []],
    ]);
  });

  it('shows the MAC set through the PF on the VF netdev once igbvf was re-bound', () => {
    const vf0 = read('igb-vfs-configured').pfs.find((p) => p.address === '0000:04:00.0')!.vfs[0]!;
    expect(vf0.netdevs).toEqual([{ name: 'eth3', mac: '02:00:00:00:01:00', operState: 'down', speedMbps: null }]);
    const before = read('igb-vfs-enabled').pfs.find((p) => p.address === '0000:04:00.0')!.vfs[1]!;
    const after = read('igb-vfs-configured').pfs.find((p) => p.address === '0000:04:00.0')!.vfs[1]!;
    expect(after.netdevs).toEqual(before.netdevs);
  });

  it('gives every VF its own IOMMU group, numbered after the existing ones', () => {
    const t = read('igb-vfs-enabled');
    const vfGroups = t.pfs.flatMap((p) => p.vfs.map((v) => [v.address, v.iommuGroup]));
    expect(vfGroups).toEqual([
      ['0000:04:10.0', 15],
      ['0000:04:10.2', 16],
      ['0000:04:10.4', 17],
      ['0000:04:10.6', 18],
      ['0000:05:10.0', 19],
      ['0000:05:10.2', 20],
    ]);
    expect(t.iommuGroups.filter((g) => g.id >= 15)).toEqual(vfGroups.map(([a, id]) => ({ id, devices: [a] })));
  });
});
