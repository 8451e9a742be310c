import { describe, expect, it } from 'vitest';
import type { Pf, Topology, Vf } from './topology';
import { pfSpeedMbps, summarizeTopology } from './hostCounts';

const vf = (address: string, group: number | null, held = false): Vf => ({
  address, index: 0, pf: '0000:01:00.0', vendorId: '8086', deviceId: '10ca', driver: 'igbvf', driverOverride: null, netdevs: [], numaNode: 0, iommuGroup: group,
  holder: held ? { vmId: '100', vmName: 'web', via: 'hostpci0', pending: false } : null,
  config: null,
});
const pf = (address: string, numaNode: number | null, vfs: Vf[], speed: number | null = 1000): Pf => ({
  address, vendorId: '8086', deviceId: '10c9', vendorName: 'Intel', deviceName: '82576', subsystemVendorId: null, subsystemDeviceId: null, class: '020000',
  driver: 'igb', driverOverride: null, netdevs: [{ name: 'eth0', mac: null, operState: 'up', speedMbps: speed }], numaNode, iommuGroup: 1, totalVfs: 7, numVfs: vfs.length,
  vfDeviceId: '10ca', offset: 128, stride: 2, driversAutoprobe: true, holder: null, vfs,
});

describe('summarizeTopology', () => {
  it('counts free and held VFs per NIC model and NUMA node, by the one VF-state rule', () => {
    const topology = {
      host: { id: 'h', hostname: 'h', kernel: null, iommu: { enabled: true }, hypervisor: 'none', collectedAt: '2026-01-01T00:00:00Z' },
      cards: [], devices: [], vms: [{ id: '100', name: 'web', state: 'running' }], drift: [], warnings: [],
      iommuGroups: [{ id: 10, devices: ['0000:01:10.0'] }, { id: 11, devices: ['0000:01:10.2'] }, { id: 12, devices: ['0000:02:10.0', '0000:02:10.2'] }],
      pfs: [
        pf('0000:01:00.0', 0, [vf('0000:01:10.0', 10, true), vf('0000:01:10.2', 11)]),
        pf('0000:02:00.0', 1, [vf('0000:02:10.0', 12), vf('0000:02:10.2', 12)], null),
      ],
    } satisfies Topology;
    const { counts, capacity } = summarizeTopology(topology);
    expect(counts).toEqual({ pfs: 2, vfs: 4, freeVfs: 1, heldVfs: 1, vms: 1, warnings: 0 });
    expect(capacity.map((c) => [c.numaNode, c.vfs, c.freeVfs, c.heldVfs, c.speedMbps])).toEqual([
      [0, 2, 1, 1, 1000],
      [1, 2, 0, 0, null], // one shared group: neither free nor held
    ]);
  });

  it('takes the fastest link that is up', () => {
    const p = pf('0000:01:00.0', 0, []);
    p.netdevs = [{ name: 'a', mac: null, operState: 'down', speedMbps: null }, { name: 'b', mac: null, operState: 'up', speedMbps: 25000 }, { name: 'c', mac: null, operState: 'up', speedMbps: 10000 }];
    expect(pfSpeedMbps(p)).toBe(25000);
  });
});
