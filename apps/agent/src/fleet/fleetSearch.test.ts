import { describe, expect, it } from 'vitest';
import type { HostSummary, Pf, Topology, Vf } from '@vfmap/model';
import { searchFleet } from './fleetSearch';

const vf = (pf: string, address: string, group: number, held = false): Vf => ({
  address, index: Number(address.slice(-1)), pf, vendorId: '8086', deviceId: '1889', driver: 'iavf', driverOverride: null, netdevs: [], numaNode: null, iommuGroup: group,
  holder: held ? { vmId: '100', vmName: 'web', via: 'hostpci0', pending: false } : null,
  config: null,
});
const pf = (address: string, model: { deviceId: string; deviceName: string }, numaNode: number, speedMbps: number | null, vfs: Vf[]): Pf => ({
  address, vendorId: '8086', vendorName: 'Intel Corporation', ...model, subsystemVendorId: null, subsystemDeviceId: null, class: '020000', driver: 'ice', driverOverride: null,
  netdevs: [{ name: `ens${address.slice(5, 7)}`, mac: null, operState: speedMbps ? 'up' : 'down', speedMbps }], numaNode, iommuGroup: 1, totalVfs: 8, numVfs: vfs.length,
  vfDeviceId: '1889', offset: 8, stride: 1, driversAutoprobe: true, holder: null, vfs,
});
const E810 = { deviceId: '1592', deviceName: 'Ethernet Controller E810-C for QSFP' };
const X710 = { deviceId: '1572', deviceName: 'Ethernet Controller X710 for 10GbE SFP+' };

function host(id: string, status: HostSummary['status'], pfs: Pf[]): { summary: HostSummary; topology: Topology } {
  const groups = pfs.flatMap((p) => p.vfs).map((v) => ({ id: v.iommuGroup!, devices: [v.address] }));
  return {
    summary: { id, hostname: id, hypervisor: 'proxmox', url: '', local: false, status, lastSeen: null, ageSeconds: null, version: null, counts: null, capacity: [], problem: null, source: 'proxmox' },
    topology: {
      host: { id, hostname: id, kernel: null, iommu: { enabled: true }, hypervisor: 'proxmox', collectedAt: '2026-01-01T00:00:00Z' },
      cards: [], devices: [], vms: [], drift: [], warnings: [], iommuGroups: groups, pfs,
    },
  };
}

const fleet = [
  host('pve1', 'ok', [
    pf('0000:18:00.0', E810, 0, 100_000, [vf('0000:18:00.0', '0000:18:01.0', 10, true), vf('0000:18:00.0', '0000:18:01.1', 11)]),
    pf('0000:af:00.0', E810, 1, 100_000, [vf('0000:af:00.0', '0000:af:01.0', 20)]),
  ]),
  host('pve2', 'stale', [pf('0000:3b:00.0', X710, 1, 10_000, [vf('0000:3b:00.0', '0000:3b:02.0', 30)]), pf('0000:af:00.0', E810, 1, null, [vf('0000:af:00.0', '0000:af:01.0', 40)])]),
];

const ids = (query: Parameters<typeof searchFleet>[1]) => searchFleet(fleet, query).vfs.map((v) => `${v.host}/${v.vf}`);

describe('searchFleet', () => {
  it('finds a free E810 VF on NUMA node 1 at 100G', () => {
    expect(ids({ free: true, device: 'e810', numaNode: 1, minSpeedMbps: 100_000, limit: 100 })).toEqual(['pve1/0000:af:01.0']);
  });

  it('matches ids exactly and names by any part, any case', () => {
    expect(ids({ device: '1572', limit: 100 })).toEqual(['pve2/0000:3b:02.0']);
    expect(ids({ device: '157', limit: 100 })).toEqual([]);
    expect(ids({ vendor: 'intel', host: 'pve2', limit: 100 })).toHaveLength(2);
  });

  it('lists free VFs first, says a stale host is stale, and counts beyond the limit', () => {
    const result = searchFleet(fleet, { limit: 2 });
    expect(result.total).toBe(5);
    expect(result.vfs.map((v) => v.state)).toEqual(['free', 'free']);
    const x710 = searchFleet(fleet, { pf: '0000:3b', limit: 10 }).vfs[0]!;
    expect(x710).toMatchObject({ hostStatus: 'stale', speedMbps: 10_000, pfNetdev: 'ens3b', numaNode: 1 });
  });

  it('leaves out links that are down from a speed search, and free=false keeps the others', () => {
    expect(ids({ minSpeedMbps: 1, host: 'pve2', limit: 10 })).toEqual(['pve2/0000:3b:02.0']);
    expect(ids({ free: false, limit: 10 })).toEqual(['pve1/0000:18:01.0']);
  });

  it('finds one VF by its address, and a host by its hostname or short name', () => {
    expect(ids({ pf: '0000:af:01.0', limit: 10 })).toEqual(['pve1/0000:af:01.0', 'pve2/0000:af:01.0']);
    expect(ids({ pf: '0000:af:01.0', host: 'PVE2', limit: 10 })).toEqual(['pve2/0000:af:01.0']);
    const named = [{ ...fleet[0]!, summary: { ...fleet[0]!.summary, hostname: 'node-a.lab.example' } }];
    expect(searchFleet(named, { host: 'node-a', limit: 10 }).total).toBe(3);
  });

  it('says which hosts had no topology to search', () => {
    const result = searchFleet([...fleet, { summary: { ...fleet[0]!.summary, id: 'pve3' }, topology: null }], { limit: 10 });
    expect(result.hosts).toEqual([
      { id: 'pve1', status: 'ok', searched: true },
      { id: 'pve2', status: 'stale', searched: true },
      { id: 'pve3', status: 'ok', searched: false },
    ]);
  });
});
