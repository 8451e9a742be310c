import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topology } from '@vfmap/model';
import { readTopology } from '@vfmap/sysfs';
import { generateHost } from './generateHost';
import { profiles } from './profiles';
import { createSimKernel } from './simKernel';
import { tempRoot } from './tempRoot';

/**
 * The sysfs reader of @vfmap/sysfs reads the generated trees back: what the profile put in must
 * come out, with no warning — a generated tree is as clean as a real host's.
 */
describe('readTopology over the generated demo host', () => {
  const tmp = tempRoot();
  let topology: Topology;
  beforeAll(() => {
    generateHost(tmp.dir, profiles.demo!);
    topology = Topology.parse(readTopology({ root: tmp.dir, now: () => new Date('2026-01-01T00:00:00Z') }));
  });
  afterAll(() => tmp.remove());

  it('reads it without a warning', () => {
    expect(topology.warnings).toEqual([]);
  });

  it('reads the host: name, kernel, IOMMU', () => {
    expect(topology.host).toMatchObject({ hostname: 'hv-demo-01', kernel: '6.1.0-28-amd64', iommu: { enabled: true } });
  });

  it('finds every PF with its SR-IOV values, driver, NUMA node and net interface', () => {
    const pf = (a: string) => topology.pfs.find((p) => p.address === a)!;
    expect(topology.pfs.map((p) => p.address)).toEqual([
      '0000:18:00.0',
      '0000:18:00.1',
      '0000:3b:00.0',
      '0000:3b:00.1',
      '0000:86:00.0',
      '0000:86:00.1',
      '0000:af:00.0',
      '0000:af:00.1',
    ]);
    expect(pf('0000:18:00.1')).toMatchObject({
      vendorId: '8086',
      deviceId: '1592',
      vendorName: 'Intel Corporation',
      deviceName: 'Ethernet Controller E810-C for QSFP',
      driver: 'ice',
      numaNode: 0,
      totalVfs: 128,
      numVfs: 16,
      offset: 135,
      stride: 1,
      vfDeviceId: '1889',
      driversAutoprobe: true,
    });
    expect(pf('0000:18:00.1').netdevs).toEqual([{ name: 'ens1f1', mac: 'b4:96:91:a5:7c:21', operState: 'up', speedMbps: 100000 }]);
    expect(pf('0000:3b:00.1')).toMatchObject({ numVfs: 0, totalVfs: 64, vfs: [] });
    expect(pf('0000:86:00.0')).toMatchObject({ numaNode: 1, totalVfs: 63, stride: 2 });
    expect(pf('0000:af:00.1')).toMatchObject({ driversAutoprobe: false, numVfs: 4 });
    expect(pf('0000:86:00.0').iommuGroup).toBe(pf('0000:86:00.1').iommuGroup);
  });

  it('finds the 68 VFs with their index, driver, override, netdevs and own IOMMU groups', () => {
    const vfs = topology.pfs.flatMap((p) => p.vfs);
    expect(vfs).toHaveLength(68);
    const vf = (a: string) => vfs.find((v) => v.address === a)!;
    expect(vf('0000:86:10.3')).toMatchObject({ index: 1, pf: '0000:86:00.1', deviceId: '10ed', driver: 'ixgbevf', numaNode: 1 });
    expect(vf('0000:18:01.0')).toMatchObject({ index: 0, driver: 'vfio-pci', driverOverride: 'vfio-pci', netdevs: [] });
    expect(vf('0000:18:01.3').netdevs).toEqual([{ name: 'ens1f0v3', mac: expect.stringMatching(/^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/), operState: 'down', speedMbps: null }]);
    expect(vf('0000:af:02.2')).toMatchObject({ driver: null, driverOverride: null, netdevs: [] });
    expect(new Set(vfs.map((v) => v.iommuGroup)).size).toBe(68);
  });

  it('lists the other functions, the shared IOMMU groups and the cards', () => {
    expect(topology.devices).toHaveLength(101 - 8 - 68);
    const group = (a: string) => topology.iommuGroups.find((g) => g.devices.includes(a))!;
    expect(group('0000:00:1f.4').devices).toEqual(['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.4', '0000:00:1f.5']);
    expect(group('0000:03:00.0').devices).toEqual(['0000:02:00.0', '0000:03:00.0']);
    expect(topology.devices.find((d) => d.address === '0000:d8:00.0')).toMatchObject({ driver: 'vfio-pci', driverOverride: 'vfio-pci', numaNode: 1 });
    expect(topology.cards.find((c) => c.id === '0000:18:00')).toMatchObject({ pfs: ['0000:18:00.0', '0000:18:00.1'], numaNodes: [0] });
  });

  it('sees what the simulated kernel changes: VFs enabled on the idle X710 port', () => {
    createSimKernel(tmp.dir).writeAttribute(join(tmp.dir, 'sys/bus/pci/devices/0000:3b:00.1/sriov_numvfs'), '4');
    const after = readTopology({ root: tmp.dir });
    expect(after.warnings).toEqual([]);
    const pf = after.pfs.find((p) => p.address === '0000:3b:00.1')!;
    expect(pf.numVfs).toBe(4);
    // Port 1's VFs follow port 0's 64: routing id 0x3b01 + 79 = 3b:0a.0.
    expect(pf.vfs.map((v) => [v.address, v.driver, v.netdevs[0]?.name])).toEqual([
      ['0000:3b:0a.0', 'iavf', 'ens2f1v0'],
      ['0000:3b:0a.1', 'iavf', 'ens2f1v1'],
      ['0000:3b:0a.2', 'iavf', 'ens2f1v2'],
      ['0000:3b:0a.3', 'iavf', 'ens2f1v3'],
    ]);
  });
});

describe('readTopology over the other profiles', () => {
  const read = (name: string) => {
    const tmp = tempRoot();
    try {
      generateHost(tmp.dir, profiles[name]!);
      return readTopology({ root: tmp.dir });
    } finally {
      tmp.remove();
    }
  };

  it('minimal: one PF with 2 of 7 VFs, the ICH9 group shared', () => {
    const t = read('minimal');
    expect(t.warnings).toEqual([]);
    expect(t.pfs.map((p) => [p.address, p.numVfs, p.totalVfs, p.vfs.map((v) => v.address)])).toEqual([['0000:01:00.0', 2, 7, ['0000:01:10.0', '0000:01:10.2']]]);
    expect(t.iommuGroups.find((g) => g.devices.includes('0000:00:1f.2'))!.devices).toHaveLength(3);
  });

  it('no-sriov: no PF at all', () => {
    const t = read('no-sriov');
    expect(t.warnings).toEqual([]);
    expect(t.pfs).toEqual([]);
    expect(t.devices.length).toBeGreaterThan(10);
  });

  it('iommu-off: the IOMMU reads as off and nothing has a group', () => {
    const t = read('iommu-off');
    expect(t.warnings).toEqual([]);
    expect(t.host.iommu.enabled).toBe(false);
    expect(t.iommuGroups).toEqual([]);
    expect(t.pfs[0]!.vfs.every((v) => v.iommuGroup === null)).toBe(true);
  });

  it('qemu-q35: numa_node -1 everywhere reads as no NUMA node', () => {
    const t = read('qemu-q35');
    expect(t.warnings).toEqual([]);
    expect([...t.pfs, ...t.devices].every((d) => d.numaNode === null)).toBe(true);
  });
});
