import { describe, expect, it } from 'vitest';
import { Topology, type Holder, type RunningFacts, type RunningQemu, type Vf } from '@vfmap/model';
import { applyRunningHolders } from './applyRunningHolders';

function vf(index: number, group: number, holder: Holder | null = null): Vf {
  return {
    address: `0000:3b:01.${index}`, index, pf: '0000:3b:00.0', vendorId: '8086', deviceId: '1889', driver: 'vfio-pci', driverOverride: null,
    netdevs: [], numaNode: 0, iommuGroup: group, holder, config: null,
  };
}
const configHolder = (vmId: string, via = 'hostpci0'): Holder => ({ vmId, vmName: `vm-${vmId}`, via, pending: false, pendingChange: null });

function topology(vfs: Vf[]): Topology {
  const groups = new Map<number, string[]>();
  for (const v of vfs) groups.set(v.iommuGroup!, [...(groups.get(v.iommuGroup!) ?? []), v.address]);
  return Topology.parse({
    host: { id: 'pve1', hostname: 'pve1', kernel: '6.8.12-4-pve', iommu: { enabled: true }, hypervisor: 'proxmox', collectedAt: '2026-01-05T10:00:00Z' },
    cards: [],
    pfs: [{
      address: '0000:3b:00.0', vendorId: '8086', deviceId: '1592', vendorName: null, deviceName: null, subsystemVendorId: null,
      subsystemDeviceId: null, class: '020000', driver: 'ice', driverOverride: null, netdevs: [], numaNode: 0, iommuGroup: 20,
      totalVfs: 8, numVfs: vfs.length, vfDeviceId: '1889', offset: 8, stride: 1, driversAutoprobe: true, holder: null, vfs,
    }],
    devices: [],
    iommuGroups: [...groups].map(([id, devices]) => ({ id, devices })),
    vms: [],
    warnings: [],
  });
}
const qemu = (p: Partial<RunningQemu> & { pid: number }): RunningQemu => ({ vmId: null, name: null, via: 'process', hosts: [], vfioGroups: [], vfioDevices: [], fdsRead: true, ...p });
const facts = (processes: RunningQemu[], reservations: RunningFacts['reservations'] = []): RunningFacts => ({ processes, reservations, warnings: [] });
const holders = (t: Topology) => Object.fromEntries(t.pfs[0]!.vfs.map((v) => [v.address, v.holder]));

describe('applyRunningHolders', () => {
  it('says "both" where the running VM holds what its config names, and "config" where nothing runs', () => {
    const t = topology([vf(0, 100, configHolder('100')), vf(1, 101, configHolder('101'))]);
    const out = holders(applyRunningHolders(t, facts([qemu({ pid: 4242, vmId: '100', name: 'vm-100', via: 'proxmox', vfioGroups: [100] })])));
    expect(out['0000:3b:01.0']).toEqual({ ...configHolder('100'), source: 'both' });
    expect(out['0000:3b:01.1']).toEqual({ ...configHolder('101'), source: 'config' });
  });

  it('gives a VF held only by a running process a holder with source "running"', () => {
    const t = topology([vf(0, 100), vf(1, 101)]);
    const out = holders(applyRunningHolders(t, facts([qemu({ pid: 7000, name: 'scratch', hosts: ['0000:3b:01.1'], vfioGroups: [101] })])));
    expect(out['0000:3b:01.0']).toBeNull();
    expect(out['0000:3b:01.1']).toEqual({ vmId: 'scratch', vmName: 'scratch', via: 'qemu pid 7000', pending: false, pendingChange: null, source: 'running' });
  });

  it('lets the live claim win over a config naming another VM, keeping that VM in configuredVmId', () => {
    const t = topology([vf(0, 100, configHolder('101'))]);
    const out = holders(applyRunningHolders(t, facts([qemu({ pid: 4242, vmId: '100', name: 'vm-100', via: 'proxmox', vfioGroups: [100] })])));
    expect(out['0000:3b:01.0']).toMatchObject({ vmId: '100', source: 'running', configuredVmId: '101', via: 'proxmox pid 4242' });
  });

  it('claims every member of a shared group as ambiguous, and lets an ambiguous claim not override a config', () => {
    const t = topology([vf(0, 100), vf(1, 100, configHolder('101')), vf(2, 102)]);
    const out = holders(applyRunningHolders(t, facts([qemu({ pid: 4242, vmId: '100', via: 'proxmox', vfioGroups: [100] })])));
    expect(out['0000:3b:01.0']).toMatchObject({ vmId: '100', source: 'running', ambiguous: true });
    expect(out['0000:3b:01.1']).toEqual({ ...configHolder('101'), source: 'config' });
    expect(out['0000:3b:01.2']).toBeNull();
  });

  it('takes a shared group as exact for the member the process names on its command line', () => {
    const t = topology([vf(0, 100), vf(1, 100)]);
    const out = holders(applyRunningHolders(t, facts([qemu({ pid: 4242, vmId: '100', via: 'proxmox', hosts: ['0000:3b:01.1'], vfioGroups: [100] })])));
    expect(out['0000:3b:01.0']).toBeNull();
    expect(out['0000:3b:01.1']).toMatchObject({ vmId: '100', source: 'running' });
    expect(out['0000:3b:01.1']).not.toHaveProperty('ambiguous');
  });

  it('uses a live reservation to say which pool member a VM got, and ignores a stale one', () => {
    const t = topology([vf(0, 100, configHolder('100', 'hostpci0')), vf(1, 100), vf(2, 102)]);
    const out = holders(applyRunningHolders(t, facts(
      [qemu({ pid: 4242, vmId: '100', via: 'proxmox', vfioGroups: [100] })],
      [{ address: '0000:3b:01.1', vmId: '100', pid: 4242, stale: false }, { address: '0000:3b:01.2', vmId: '105', pid: 999, stale: true }],
    )));
    // The config named .0 (the first of the pool); the reservation says the VM got .1.
    expect(out['0000:3b:01.1']).toMatchObject({ vmId: '100', source: 'running' });
    expect(out['0000:3b:01.0']).toEqual({ ...configHolder('100', 'hostpci0'), source: 'config' });
    expect(out['0000:3b:01.2']).toBeNull();
  });

  it('does not count a cmdline device whose group the process closed (hot-unplugged), unless its fds could not be read', () => {
    const t = topology([vf(0, 100), vf(1, 101)]);
    const unplugged = holders(applyRunningHolders(t, facts([qemu({ pid: 7000, vmId: '100', via: 'proxmox', hosts: ['0000:3b:01.0', '0000:3b:01.1'], vfioGroups: [101] })])));
    expect(unplugged['0000:3b:01.0']).toBeNull();
    expect(unplugged['0000:3b:01.1']).toMatchObject({ vmId: '100', source: 'running' });
    const unread = holders(applyRunningHolders(t, facts([qemu({ pid: 7000, vmId: '100', via: 'proxmox', hosts: ['0000:3b:01.0'], fdsRead: false })])));
    expect(unread['0000:3b:01.0']).toMatchObject({ vmId: '100', source: 'running' });
  });
});
