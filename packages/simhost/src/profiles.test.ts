import { describe, expect, it } from 'vitest';
import { vfAddressOf, vfBusOf } from '@vfmap/model';
import type { HostProfile, PciFunctionSpec } from './hostProfile';
import { hypervisorState, vfioBoundDevices } from './hypervisorState';
import { layoutHost } from './layoutHost';
import { allFunctions } from './profileFacts';
import { profileNames, profiles } from './profiles';

const pfs = (p: HostProfile) => layoutHost(p).functions.filter((f) => f.spec.sriov);
const sriovOf = (p: HostProfile, pick: (f: PciFunctionSpec) => boolean) =>
  allFunctions(p)
    .filter((f) => pick(f) && f.sriov)
    .map((f) => ({ ...f.sriov!, numVfs: undefined, autoprobe: undefined, vfNetdevName: undefined, vfNetdevOperState: undefined }));

describe('profiles', () => {
  it('are the ones the agent and the benchmarks ask for', () => {
    expect(profileNames).toEqual(expect.arrayContaining(['demo', 'minimal', 'no-sriov', 'iommu-off', 'large']));
    for (const name of profileNames) expect(profiles[name]!.name).toBe(name);
  });

  it('use the real SR-IOV capability values of each adapter', () => {
    const pick = (vendor: number, device: number) => (f: PciFunctionSpec) => f.ids.vendor === vendor && f.ids.device === device;
    const demo = profiles.demo!;
    const caps = (vendor: number, device: number, p = demo) =>
      sriovOf(p, pick(vendor, device)).map((s) => [s.totalVfs, s.offset, s.stride, s.vfDeviceId.toString(16)]);
    expect(caps(0x8086, 0x1592)).toEqual([[128, 8, 1, '1889'], [128, 135, 1, '1889']]); // E810-C-Q2, ice/iavf
    expect(caps(0x8086, 0x1572)).toEqual([[64, 16, 1, '154c'], [64, 79, 1, '154c']]); // X710-DA2, i40e/iavf
    expect(caps(0x8086, 0x10fb)).toEqual([[63, 128, 2, '10ed'], [63, 128, 2, '10ed']]); // 82599, ixgbe/ixgbevf
    expect(caps(0x15b3, 0x101d)).toEqual([[16, 2, 1, '101e'], [16, 17, 1, '101e']]); // ConnectX-6 Dx, mlx5_core
    expect(caps(0x8086, 0x1533)).toEqual([]); // I210: no SR-IOV
    expect(caps(0x8086, 0x1592, profiles.large!)).toEqual(Array(8).fill([256, 8, 1, '1889'])); // E810-C-Q1
    expect(caps(0x8086, 0x10c9, profiles.minimal!)).toEqual([[7, 128, 2, '10ca']]); // 82576 in QEMU, igb/igbvf
    expect(caps(0x1b36, 0x0010, profiles['qemu-q35']!)).toEqual([[8, 1, 1, '10'], [8, 1, 1, '10']]); // QEMU NVMe
    const drivers = allFunctions(demo).filter((f) => f.sriov).map((f) => f.driver);
    expect(new Set(drivers)).toEqual(new Set(['ice', 'i40e', 'ixgbe', 'mlx5_core']));
  });

  it('place no two functions at one address, and every bridge’s bus range holds the VFs that spill, up to bus ff', () => {
    for (const name of profileNames) {
      const layout = layoutHost(profiles[name]!);
      const addresses = layout.functions.map((f) => f.address);
      expect(new Set(addresses).size).toBe(addresses.length);
      for (const pf of layout.functions.filter((f) => f.spec.sriov)) {
        const s = pf.spec.sriov!;
        // VFs past bus ff have no address (the bus-end profile has such a PF): none to reserve.
        const lastBus = Math.min(0xff, vfBusOf(pf.address, s.offset, s.stride, s.totalVfs - 1));
        const bridge = layout.functions.find((f) => f.address === pf.parent);
        if (bridge) expect({ pf: pf.address, fits: lastBus <= bridge.bridge!.subordinate }).toEqual({ pf: pf.address, fits: true });
      }
    }
  });

  it('keep BARs aligned and apart', () => {
    for (const name of profileNames) {
      const bars = layoutHost(profiles[name]!).functions.flatMap((f) => [...f.bars, ...f.iovBars, ...(f.rom ? [f.rom] : [])].filter((b) => b.kind !== 'io'));
      const sorted = [...bars].sort((a, b) => (a.start < b.start ? -1 : 1));
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start >= sorted[i - 1]!.start + sorted[i - 1]!.size).toBe(true);
    }
  });

  it('demo: two NUMA nodes, 60 to 100 VFs, a PF at 0 of N, VMs running and stopped, a GPU and NVMe', () => {
    const demo = profiles.demo!;
    expect(demo.cpus.nodes.map((n) => n.id)).toEqual([0, 1]);
    const vfs = pfs(demo).reduce((n, f) => n + f.spec.sriov!.numVfs, 0);
    expect(vfs).toBeGreaterThanOrEqual(60);
    expect(vfs).toBeLessThanOrEqual(100);
    expect(pfs(demo).some((f) => f.spec.sriov!.numVfs === 0)).toBe(true);
    expect(new Set(pfs(demo).map((f) => f.root.numaNode))).toEqual(new Set([0, 1]));
    expect(allFunctions(demo).some((f) => f.ids.classCode === 0x010802)).toBe(true);
    expect(allFunctions(demo).some((f) => f.ids.classCode >> 16 === 0x03)).toBe(true);
    expect(demo.vms.length).toBeGreaterThanOrEqual(6);
    expect(new Set(demo.vms.map((v) => v.state))).toEqual(expect.objectContaining(new Set(['running', 'stopped'])));
    expect(vfioBoundDevices(demo).length).toBeGreaterThan(0);
  });

  it('names VM devices that exist: VFs within the enabled count of their PF (but the one drift names on purpose)', () => {
    // drift's batch VM names VF 6 of a PF with 6 VFs: the config-names-missing-vf finding.
    const onPurpose: Record<string, string[]> = { drift: [vfAddressOf('0000:01:00.0', 128, 2, 6)!] };
    for (const name of profileNames) {
      const profile = profiles[name]!;
      const layout = layoutHost(profile);
      const present = new Set(layout.functions.map((f) => f.address));
      for (const pf of layout.functions.filter((f) => f.spec.sriov)) {
        const s = pf.spec.sriov!;
        for (let n = 0; n < s.numVfs; n++) present.add(vfAddressOf(pf.address, s.offset, s.stride, n)!);
      }
      for (const address of hypervisorState(profile).vms.flatMap((v) => v.hostdevs.map((h) => h.address))) {
        const missing = onPurpose[name]?.includes(address) ?? false;
        expect({ name, address, present: present.has(address) }).toEqual({ name, address, present: !missing });
      }
    }
  });

  it('no-sriov has no PF; iommu-off has no IOMMU', () => {
    expect(pfs(profiles['no-sriov']!)).toEqual([]);
    expect(profiles['iommu-off']!.iommu.enabled).toBe(false);
    expect(layoutHost(profiles['iommu-off']!).groups.size).toBe(0);
  });

  it('large: 8 PFs with 256 VFs each and 100 other functions, 2156 in all', () => {
    const layout = layoutHost(profiles.large!);
    const pfList = layout.functions.filter((f) => f.spec.sriov);
    expect(pfList.map((f) => f.spec.sriov!.numVfs)).toEqual(Array(8).fill(256));
    expect(layout.functions.length - pfList.length).toBe(100);
    expect(layout.functions.length + 8 * 256).toBe(2156);
  });
});

describe('layoutHost', () => {
  it('numbers IOMMU groups in the order the kernel adds devices: a bus, then each child bus', () => {
    const layout = layoutHost(profiles['qemu-q35']!);
    expect([...layout.groups].map(([g, members]) => `${g}:${members.join(',')}`)).toEqual([
      '0:0000:00:00.0',
      '1:0000:00:02.0',
      '2:0000:00:03.0',
      '3:0000:00:04.0',
      '4:0000:00:10.0',
      '5:0000:00:11.0',
      '6:0000:00:12.0',
      '7:0000:00:1f.0,0000:00:1f.2,0000:00:1f.3',
      '8:0000:01:00.0',
      '9:0000:02:00.0',
      '10:0000:03:00.0',
    ]);
  });

  it('puts the functions under their bridges in sysfs', () => {
    const demo = layoutHost(profiles.demo!);
    expect(demo.functions.find((f) => f.address === '0000:03:00.0')!.devPath).toBe('pci0000:00/0000:00:1c.5/0000:02:00.0/0000:03:00.0');
    expect(demo.buses.map((b) => b.name)).toEqual(expect.arrayContaining(['0000:00', '0000:17', '0000:18', '0000:d8']));
  });
});
