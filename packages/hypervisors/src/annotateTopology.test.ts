import { describe, expect, it } from 'vitest';
import { Topology, type Device, type Pf, type Vf } from '@vfmap/model';
import { annotateTopology } from './annotateTopology';
import type { Assignment, HypervisorSnapshot } from './hypervisor';

function vf(pf: string, index: number, address: string): Vf {
  return {
    address, index, pf, vendorId: '8086', deviceId: '1889', driver: 'iavf', driverOverride: null,
    netdevs: [], numaNode: 0, iommuGroup: 100 + index, holder: null, config: null,
  };
}
function pf(address: string, vfs: Vf[]): Pf {
  return {
    address, vendorId: '8086', deviceId: '1592', vendorName: 'Intel Corporation', deviceName: 'E810-C', subsystemVendorId: null,
    subsystemDeviceId: null, class: '020000', driver: 'ice', driverOverride: null, netdevs: [], numaNode: 0, iommuGroup: 20,
    totalVfs: 128, numVfs: vfs.length, vfDeviceId: '1889', offset: 8, stride: 1, driversAutoprobe: true, holder: null, vfs,
  };
}
function device(address: string): Device {
  return {
    address, vendorId: '10de', deviceId: '24b0', vendorName: null, deviceName: null, class: '030000', driver: 'vfio-pci',
    driverOverride: null, numaNode: 0, iommuGroup: 14, netdevs: [], holder: null,
  };
}

const topology: Topology = Topology.parse({
  host: { id: 'pve1', hostname: 'pve1', kernel: '6.8.12-4-pve', iommu: { enabled: true }, hypervisor: 'proxmox', collectedAt: '2026-01-05T10:00:00Z' },
  cards: [],
  pfs: [pf('0000:3b:00.0', [vf('0000:3b:00.0', 0, '0000:3b:01.0'), vf('0000:3b:00.0', 1, '0000:3b:01.1'), vf('0000:3b:00.0', 2, '0000:3b:01.2')])],
  devices: [device('0000:01:00.0'), device('0000:01:00.1')],
  iommuGroups: [],
  vms: [],
  warnings: [{ code: 'unreadable', message: 'from sysfs' }],
});

const assignment = (target: string, vmId: string, via: string, pending = false): Assignment => ({
  target, vmId, vmName: `vm-${vmId}`, via, pending, pendingChange: pending ? 'attach' : null,
});
const snapshot = (assignments: Assignment[]): HypervisorSnapshot => ({
  vms: [{ id: '100', name: 'vm-100', state: 'running' }, { id: '101', name: 'vm-101', state: 'stopped' }],
  assignments,
  warnings: [{ code: 'mapping-pool', message: 'from the hypervisor' }],
});

describe('annotateTopology', () => {
  it('puts the VMs on the topology and each holder on the VF it names', () => {
    const out = annotateTopology(topology, snapshot([assignment('0000:3b:01.1', '100', 'hostpci0'), assignment('0000:3b:01.2', '101', 'hostpci1', true)]));
    expect(out.vms).toEqual([{ id: '100', name: 'vm-100', state: 'running' }, { id: '101', name: 'vm-101', state: 'stopped' }]);
    expect(out.pfs[0]!.vfs.map((v) => v.holder)).toEqual([
      null,
      { vmId: '100', vmName: 'vm-100', via: 'hostpci0', pending: false, pendingChange: null },
      { vmId: '101', vmName: 'vm-101', via: 'hostpci1', pending: true, pendingChange: 'attach' },
    ]);
    expect(Topology.safeParse(out).success).toBe(true);
  });
  it('holds every function of a slot target, whatever kind of device', () => {
    const out = annotateTopology(topology, snapshot([assignment('0000:01:00', '100', 'hostpci2')]));
    expect(out.devices.map((d) => d.holder?.via)).toEqual(['hostpci2', 'hostpci2']);
  });
  it('holds a PF given whole', () => {
    const out = annotateTopology(topology, snapshot([assignment('0000:3b:00.0', '101', 'hostdev')]));
    expect(out.pfs[0]!.holder).toEqual({ vmId: '101', vmName: 'vm-101', via: 'hostdev', pending: false, pendingChange: null });
  });
  it('warns about a VM naming a device the host does not have', () => {
    const out = annotateTopology(topology, snapshot([assignment('0000:3b:01.7', '100', 'hostpci3'), assignment('0000:99:00', '100', 'hostpci4')]));
    expect(out.warnings.filter((w) => w.code === 'holder-missing-device').map((w) => w.message)).toEqual([
      'VM 100 (vm-100) hostpci3 names 0000:3b:01.7, which this host does not have',
      'VM 100 (vm-100) hostpci4 names 0000:99:00, which this host does not have',
    ]);
  });
  it('warns when two VMs name one device and shows the one that holds it now', () => {
    const out = annotateTopology(topology, snapshot([assignment('0000:3b:01.0', '101', 'hostpci0', true), assignment('0000:3b:01.0', '100', 'hostpci5')]));
    expect(out.pfs[0]!.vfs[0]!.holder).toMatchObject({ vmId: '100', pending: false });
    expect(out.warnings.filter((w) => w.code === 'holder-conflict')).toHaveLength(1);
  });
  it('keeps the warnings of sysfs and of the hypervisor, and host.hypervisor unless told', () => {
    const out = annotateTopology(topology, snapshot([]));
    expect(out.warnings.map((w) => w.message)).toEqual(['from sysfs', 'from the hypervisor']);
    expect(out.host.hypervisor).toBe('proxmox');
    expect(annotateTopology(topology, snapshot([]), { hypervisor: 'libvirt' }).host.hypervisor).toBe('libvirt');
  });
  it('clears holders left from an earlier annotation and does not change its input', () => {
    const once = annotateTopology(topology, snapshot([assignment('0000:3b:01.0', '100', 'hostpci0')]));
    const again = annotateTopology(once, snapshot([]));
    expect(again.pfs[0]!.vfs[0]!.holder).toBeNull();
    expect(topology.pfs[0]!.vfs[0]!.holder).toBeNull();
  });
});
