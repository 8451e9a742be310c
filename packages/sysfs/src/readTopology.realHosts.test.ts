import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Topology as TopologyType, Topology } from '@vfmap/model';
import { extractFixture, fixture, removeFixture } from '../test/extractFixture';
import { readTopology } from './readTopology';

/**
 * Partial sysfs captures of real machines from other projects (ghw, hwloc), kernels 3.10-el7 to 2025.
 * Each test pins one pitfall listed in fixtures/real-hosts/README.md.
 */
const NAMES = [
  'xeon-l5640-i350-vfs',
  'supermicro-x722-nec-ve',
  'thinkpad-x1c10-shared-groups',
  'dell-dcs8000z-xeon-phi',
  'kvm-guest-domain10000-edited',
] as const;
type Name = (typeof NAMES)[number];

const roots = {} as Record<Name, string>;
const topologies = {} as Record<Name, TopologyType>;
beforeAll(() => {
  for (const name of NAMES) {
    roots[name] = extractFixture(fixture('real-hosts', name));
    topologies[name] = readTopology({ root: roots[name], pciIds: null });
  }
});
afterAll(() => Object.values(roots).forEach(removeFixture));

const all = (t: TopologyType) => [...t.devices, ...t.pfs, ...t.pfs.flatMap((p) => p.vfs)];
const find = (t: TopologyType, address: string) => all(t).find((d) => d.address === address)!;

describe('readTopology on captures of real hosts', () => {
  it('reads every device of every capture into a valid topology', () => {
    for (const name of NAMES) {
      const t = topologies[name];
      expect(() => Topology.parse(t), name).not.toThrow();
      const listed = readdirSync(join(roots[name], 'sys/bus/pci/devices'));
      expect(all(t).map((d) => d.address).sort(), name).toEqual(listed.sort());
    }
  });

  it('warns about nothing but the missing groups directory where links exist', () => {
    expect(NAMES.map((n) => [n, topologies[n].warnings.map((w) => w.code)])).toEqual([
      ['xeon-l5640-i350-vfs', []],
      ['supermicro-x722-nec-ve', []],
      ['thinkpad-x1c10-shared-groups', ['iommu-groups-missing']],
      ['dell-dcs8000z-xeon-phi', []],
      ['kvm-guest-domain10000-edited', []],
    ]);
  });

  describe('IOMMU groups', () => {
    it('survives a missing sys/kernel/iommu_groups with no links: no groups, IOMMU off, group null and not 0', () => {
      for (const name of ['xeon-l5640-i350-vfs', 'supermicro-x722-nec-ve', 'dell-dcs8000z-xeon-phi', 'kvm-guest-domain10000-edited'] as const) {
        const t = topologies[name];
        expect(t.iommuGroups, name).toEqual([]);
        expect(t.host.iommu.enabled, name).toBe(false);
        expect(new Set(all(t).map((d) => d.iommuGroup)), name).toEqual(new Set([null]));
      }
    });

    it('rebuilds the groups from dangling iommu_group links when sys/kernel/iommu_groups is missing', () => {
      const t = topologies['thinkpad-x1c10-shared-groups'];
      expect(t.host.iommu.enabled).toBe(true);
      expect(t.warnings).toEqual([
        {
          code: 'iommu-groups-missing',
          message: expect.stringContaining('rebuilt from the devices'),
          path: 'sys/kernel/iommu_groups',
        },
      ]);
      expect(t.iommuGroups.map((g) => g.id)).toEqual([...Array(15).keys()]);
    });

    it('keeps shared groups of 2, 3 and 4 members together', () => {
      const groups = new Map(topologies['thinkpad-x1c10-shared-groups'].iommuGroups.map((g) => [g.id, g.devices]));
      expect(groups.get(8)).toEqual(['0000:00:0d.0', '0000:00:0d.2', '0000:00:0d.3']);
      expect(groups.get(9)).toEqual(['0000:00:14.0', '0000:00:14.2']);
      expect(groups.get(11)).toEqual(['0000:00:15.0', '0000:00:15.1']);
      expect(groups.get(12)).toEqual(['0000:00:16.0', '0000:00:16.3']);
      expect(groups.get(13)).toEqual(['0000:00:1f.0', '0000:00:1f.3', '0000:00:1f.4', '0000:00:1f.5']);
    });

    it('takes group numbers from the link text, which do not follow address order, at any link depth', () => {
      const t = topologies['thinkpad-x1c10-shared-groups'];
      expect(find(t, '0000:00:02.0').iommuGroup).toBe(0);
      expect(find(t, '0000:00:00.0').iommuGroup).toBe(1);
      // one bridge down: ../../../../kernel/iommu_groups/14
      expect(find(t, '0000:04:00.0').iommuGroup).toBe(14);
    });
  });

  describe('SR-IOV', () => {
    it('takes interleaved I350 VFs from virtfnN and physfn, never from address order', () => {
      const [pf0, pf1] = topologies['xeon-l5640-i350-vfs'].pfs;
      expect(pf0!.vfs.map((v) => [v.index, v.address, v.pf])).toEqual([
        [0, '0000:05:10.0', '0000:05:00.0'],
        [1, '0000:05:10.4', '0000:05:00.0'],
        [2, '0000:05:11.0', '0000:05:00.0'],
        [3, '0000:05:11.4', '0000:05:00.0'],
      ]);
      expect(pf1!.vfs.map((v) => [v.index, v.address, v.pf])).toEqual([
        [0, '0000:05:10.1', '0000:05:00.1'],
        [1, '0000:05:10.5', '0000:05:00.1'],
        [2, '0000:05:11.1', '0000:05:00.1'],
        [3, '0000:05:11.5', '0000:05:00.1'],
      ]);
      expect([pf0, pf1].map((p) => [p!.numVfs, p!.totalVfs, p!.offset, p!.stride, p!.vfDeviceId, p!.driversAutoprobe])).toEqual([
        [4, 7, 128, 4, '1520', true],
        [4, 7, 128, 4, '1520', true],
      ]);
    });

    it('keeps each I350 port on its own NUMA node with its VFs, and gives the card both nodes', () => {
      const t = topologies['xeon-l5640-i350-vfs'];
      const [pf0, pf1] = t.pfs;
      expect([pf0!.numaNode, ...pf0!.vfs.map((v) => v.numaNode)]).toEqual([0, 0, 0, 0, 0]);
      expect([pf1!.numaNode, ...pf1!.vfs.map((v) => v.numaNode)]).toEqual([1, 1, 1, 1, 1]);
      // the root port above both says -1
      expect(find(t, '0000:00:09.0').numaNode).toBeNull();
      expect(t.cards).toEqual([
        { id: '0000:05:00', vendorId: '8086', deviceId: '1521', vendorName: null, deviceName: null, numaNodes: [0, 1], pfs: ['0000:05:00.0', '0000:05:00.1'] },
      ]);
    });

    it('reads sriov_offset, sriov_stride, sriov_vf_device and sriov_drivers_autoprobe missing on a 3.10 kernel as null, not 0', () => {
      const pfs = topologies['supermicro-x722-nec-ve'].pfs;
      expect(pfs.map((p) => [p.address, p.numVfs, p.totalVfs, p.offset, p.stride, p.vfDeviceId, p.driversAutoprobe])).toEqual([
        ['0000:60:00.0', 0, 64, null, null, null, null],
        ['0000:60:00.1', 0, 64, null, null, null, null],
      ]);
    });

    it('reads a PF with 0 of 64 VFs and no virtfn links as a PF with no VFs', () => {
      const t = topologies['supermicro-x722-nec-ve'];
      expect(t.pfs.map((p) => p.vfs)).toEqual([[], []]);
      expect(t.cards.map((c) => [c.id, c.pfs])).toEqual([['0000:60:00', ['0000:60:00.0', '0000:60:00.1']]]);
    });

    it('ignores unknown sriov_* files such as sriov_vf_total_msix', () => {
      const t = topologies['xeon-l5640-i350-vfs'];
      expect(readdirSync(join(roots['xeon-l5640-i350-vfs'], 'sys/bus/pci/devices/0000:05:00.0'))).toContain('sriov_vf_total_msix');
      expect(t.pfs).toHaveLength(2);
      expect(t.warnings).toEqual([]);
    });

    it('shows SR-IOV-capable silicon without sriov_* files as a plain device, not a PF with 0 VFs', () => {
      const dell = topologies['dell-dcs8000z-xeon-phi'];
      expect(dell.pfs).toEqual([]);
      expect(dell.cards).toEqual([]);
      expect(find(dell, '0000:02:00.0')).toMatchObject({ vendorId: '8086', deviceId: '1521', driver: 'igb' });
      expect(dell.devices.map((d) => d.address)).toEqual(expect.arrayContaining(['0000:02:00.0', '0000:02:00.3']));
      const x722 = topologies['supermicro-x722-nec-ve'];
      // ConnectX-4 (mlx5_core, class 0207: InfiniBand, not 0200) with no sriov_* files
      expect(x722.devices.filter((d) => d.deviceId === '1013').map((d) => [d.address, d.class, d.driver])).toEqual([
        ['0000:1a:00.0', '020700', 'mlx5_core'],
        ['0000:3e:00.0', '020700', 'mlx5_core'],
      ]);
    });

    it('reads driver_override absent (ghw, dell) or "(null)" (x722, kvm) as no override', () => {
      for (const name of NAMES) {
        expect(new Set(all(topologies[name]).map((d) => d.driverOverride)), name).toEqual(new Set([null]));
      }
      const i350 = join(roots['xeon-l5640-i350-vfs'], 'sys/bus/pci/devices/0000:05:00.0');
      expect(readdirSync(i350)).not.toContain('driver_override');
    });
  });

  describe('addresses and paths', () => {
    it('reads the five-digit domain 10000:00:04.0 through a link that ends in a slash, and sorts it after domain 0000', () => {
      const t = topologies['kvm-guest-domain10000-edited'];
      expect(find(t, '10000:00:04.0')).toMatchObject({ vendorId: '1af4', deviceId: '1001', class: '010000', driver: 'virtio-pci' });
      expect(t.devices.map((d) => d.address)).toEqual([
        '0000:00:00.0',
        '0000:00:01.0',
        '0000:00:01.1',
        '0000:00:01.2',
        '0000:00:01.3',
        '0000:00:02.0',
        '0000:00:03.0',
        '10000:00:00.0',
        '10000:00:04.0',
      ]);
    });

    it('tolerates a bridge in the device path that is not in sys/bus/pci/devices (x722 behind 5f:03.0)', () => {
      const t = topologies['supermicro-x722-nec-ve'];
      expect(all(t).map((d) => d.address)).not.toContain('0000:5f:03.0');
      expect(t.pfs[0]).toMatchObject({ address: '0000:60:00.0', driver: 'i40e', numaNode: 0 });
    });

    it('reads several root buses per domain and paths three bridges deep', () => {
      expect(all(topologies['dell-dcs8000z-xeon-phi'])).toHaveLength(136);
      expect(all(topologies['supermicro-x722-nec-ve'])).toHaveLength(28);
      expect(find(topologies['supermicro-x722-nec-ve'], '0000:3d:00.0')).toMatchObject({ vendorId: '1bcf', deviceId: '001c', class: '0b4000', driver: 've_drv' });
    });

    it('names drivers from the link text even though the driver directory was not captured', () => {
      const dell = topologies['dell-dcs8000z-xeon-phi'];
      expect(readdirSync(join(roots['dell-dcs8000z-xeon-phi'], 'sys/bus/pci'))).toEqual(['devices']);
      expect(find(dell, '0000:83:00.0')).toMatchObject({ vendorId: '8086', deviceId: '225c', driver: 'mic', numaNode: 1 });
    });

    it('reads a missing driver link as driver null', () => {
      expect(find(topologies['thinkpad-x1c10-shared-groups'], '0000:00:14.2').driver).toBeNull();
      expect(find(topologies['dell-dcs8000z-xeon-phi'], '0000:7f:08.0').driver).toBeNull();
    });
  });

  describe('NUMA', () => {
    it('reads numa_node -1 as null on every device of the thinkpad and the kvm guest', () => {
      for (const name of ['thinkpad-x1c10-shared-groups', 'kvm-guest-domain10000-edited'] as const) {
        expect(new Set(all(topologies[name]).map((d) => d.numaNode)), name).toEqual(new Set([null]));
      }
    });

    it('keeps socket devices on node 0 or 1 and uncore devices at -1 as null (dell)', () => {
      const dell = topologies['dell-dcs8000z-xeon-phi'];
      expect(find(dell, '0000:82:00.0').numaNode).toBe(1);
      expect(find(dell, '0000:00:00.0').numaNode).toBe(0);
      expect(dell.devices.filter((d) => d.address.startsWith('0000:ff:')).every((d) => d.numaNode === null)).toBe(true);
    });
  });

  describe('net', () => {
    it('reads netdevs with sys/class/net missing, from empty net/<if> directories, as names with unknown attributes', () => {
      const t = topologies['xeon-l5640-i350-vfs'];
      expect(t.pfs[0]!.netdevs).toEqual([{ name: 'enp5s0f0', mac: null, operState: null, speedMbps: null }]);
      expect(t.pfs[1]!.vfs.map((v) => v.netdevs.map((n) => n.name))).toEqual([['enp5s0f1v0'], ['enp5s0f1v1'], ['enp5s0f1v2'], ['enp5s0f1v3']]);
      expect(find(t, '0000:01:00.0').netdevs.map((n) => n.name)).toEqual(['eno1']);
    });

    it('finds a virtio netdev one level down (00:03.0/virtio0/net/ens3) and reads its speed of -1 as unknown', () => {
      expect(find(topologies['kvm-guest-domain10000-edited'], '0000:00:03.0').netdevs).toEqual([
        { name: 'ens3', mac: '06:7a:4c:00:00:22', operState: 'up', speedMbps: null },
      ]);
    });

    it('reads the empty speed of a down link as unknown', () => {
      expect(topologies['supermicro-x722-nec-ve'].pfs[1]!.netdevs).toEqual([
        { name: 'enp96s0f1', mac: 'ac:1f:6b:8a:5f:c9', operState: 'down', speedMbps: null },
      ]);
      expect(find(topologies['dell-dcs8000z-xeon-phi'], '0000:02:00.3').netdevs).toEqual([
        { name: 'eth1', mac: '84:8f:69:fe:cc:41', operState: 'down', speedMbps: null },
      ]);
    });

    it('keeps the 20-byte IPoIB address of ib0 whole', () => {
      const ib0 = find(topologies['dell-dcs8000z-xeon-phi'], '0000:82:00.0').netdevs[0]!;
      expect(ib0.name).toBe('ib0');
      expect(ib0.mac).toBe('80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:f9:bf:a1');
      expect(ib0.mac!.split(':')).toHaveLength(20);
    });

    it('gives a bridge none of the netdevs of the devices behind it (their directories are inside its own)', () => {
      for (const name of ['xeon-l5640-i350-vfs', 'supermicro-x722-nec-ve', 'thinkpad-x1c10-shared-groups', 'dell-dcs8000z-xeon-phi'] as const) {
        const bridges = topologies[name].devices.filter((d) => d.class.startsWith('0604'));
        expect(bridges.length, name).toBeGreaterThan(0);
        expect(bridges.flatMap((b) => b.netdevs), name).toEqual([]);
      }
    });
  });
});
