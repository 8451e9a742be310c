import { describe, expect, it } from 'vitest';
import { Topology, type DriftFinding, type Holder, type RunningFacts, type RunningQemu, type Vf } from '@vfmap/model';
import { findDrift, type DriftInput } from './findDrift';
import type { Assignment, PoolClaim } from './hypervisor';

const PF = '0000:3b:00.0';
const addr = (index: number) => `0000:3b:01.${index}`;

function vf(index: number, group: number, options: { holder?: Holder | null; driver?: string | null } = {}): Vf {
  return {
    address: addr(index), index, pf: PF, vendorId: '8086', deviceId: '1889', driver: options.driver === undefined ? 'iavf' : options.driver,
    driverOverride: null, netdevs: [], numaNode: 0, iommuGroup: group, holder: options.holder ?? null, config: null,
  };
}
const held = (vmId: string, via = 'hostpci0', pendingChange: Holder['pendingChange'] = null): Holder => ({
  vmId, vmName: `vm-${vmId}`, via, pending: pendingChange !== null, pendingChange,
});

/** A PF with 8 possible VFs at 0000:3b:01.<index> (offset 8, stride 1), `vfs` of them enabled. */
function topology(vfs: Vf[], vms: string[] = []): Topology {
  const groups = new Map<number, string[]>();
  for (const v of vfs) groups.set(v.iommuGroup!, [...(groups.get(v.iommuGroup!) ?? []), v.address]);
  return Topology.parse({
    host: { id: 'pve1', hostname: 'pve1', kernel: '6.8.12-4-pve', iommu: { enabled: true }, hypervisor: 'proxmox', collectedAt: '2026-01-05T10:00:00Z' },
    cards: [],
    pfs: [{
      address: PF, vendorId: '8086', deviceId: '1592', vendorName: null, deviceName: null, subsystemVendorId: null,
      subsystemDeviceId: null, class: '020000', driver: 'ice', driverOverride: null, netdevs: [], numaNode: 0, iommuGroup: 20,
      totalVfs: 8, numVfs: vfs.length, vfDeviceId: '1889', offset: 8, stride: 1, driversAutoprobe: true, holder: null, vfs,
    }],
    devices: [],
    iommuGroups: [...groups].map(([id, devices]) => ({ id, devices })),
    vms: vms.map((id) => ({ id, name: `vm-${id}`, state: 'running' })),
    warnings: [],
  });
}
const assignment = (vmId: string, target: string, via = 'hostpci0', pendingChange: Assignment['pendingChange'] = null): Assignment => ({
  target, vmId, vmName: `vm-${vmId}`, via, pending: pendingChange !== null, pendingChange,
  config: { path: `/etc/pve/qemu-server/${vmId}.conf`, line: `${via}: ${target},pcie=1` },
});
const qemu = (p: Partial<RunningQemu> & { pid: number }): RunningQemu => ({ vmId: null, name: null, via: 'process', hosts: [], vfioGroups: [], vfioDevices: [], fdsRead: true, ...p });
const vmQemu = (vmId: string, pid: number, hosts: string[], groups: number[]) => qemu({ pid, vmId, name: `vm-${vmId}`, via: 'proxmox', hosts, vfioGroups: groups });
const facts = (processes: RunningQemu[], reservations: RunningFacts['reservations'] = []): RunningFacts => ({ processes, reservations, warnings: [] });

function drift(input: Partial<DriftInput> & { configured: Topology }): DriftFinding[] {
  return findDrift({ snapshot: { assignments: [] }, running: facts([]), ...input });
}
const kinds = (findings: DriftFinding[]) => findings.map((f) => [f.kind, f.address, f.vmId]);

describe('findDrift', () => {
  it('finds nothing where each running VM holds exactly what its config names', () => {
    const configured = topology([vf(0, 100, { holder: held('100'), driver: 'vfio-pci' }), vf(1, 101)], ['100']);
    const findings = drift({ configured, snapshot: { assignments: [assignment('100', addr(0))] }, running: facts([vmQemu('100', 4242, [addr(0)], [100])]) });
    expect(findings).toEqual([]);
  });

  it('says held-not-configured for a hand-started QEMU, with the command line as evidence', () => {
    const configured = topology([vf(0, 100), vf(1, 101, { driver: 'vfio-pci' })]);
    const [f, ...rest] = drift({ configured, running: facts([qemu({ pid: 5150, name: 'scratch', hosts: [addr(1)], vfioGroups: [101] })]) });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'held-not-configured', severity: 'warn', address: addr(1), pf: PF, vmId: 'scratch', otherVmId: null });
    expect(f!.evidence).toEqual([{ path: '/proc/5150/cmdline', value: `-device vfio-pci,host=${addr(1)}` }]);
  });

  it('names the VM whose config gives the device away when another process holds it', () => {
    const configured = topology([vf(0, 100, { holder: held('101') })], ['101']);
    const findings = drift({ configured, snapshot: { assignments: [assignment('101', addr(0))] }, running: facts([qemu({ pid: 5150, name: 'scratch', vfioGroups: [100] })]) });
    expect(findings).toEqual([expect.objectContaining({ kind: 'held-not-configured', vmId: 'scratch', otherVmId: '101' })]);
    expect(findings[0]!.evidence).toContainEqual({ path: '/etc/pve/qemu-server/101.conf', value: `hostpci0: ${addr(0)},pcie=1` });
  });

  it('says configured-not-held for a running VM without its device, and only info for a pending attach', () => {
    const configured = topology([vf(0, 100, { holder: held('100') }), vf(1, 101, { holder: held('100', 'hostpci1', 'attach') })], ['100']);
    const findings = drift({
      configured,
      snapshot: { assignments: [assignment('100', addr(0)), assignment('100', addr(1), 'hostpci1', 'attach')] },
      running: facts([vmQemu('100', 4242, [], [])]),
    });
    expect(findings.map((f) => [f.kind, f.severity, f.address])).toEqual([
      ['configured-not-held', 'warn', addr(0)],
      ['configured-not-held', 'info', addr(1)],
    ]);
  });

  it('says nothing about the configs of a VM whose process is not running', () => {
    const configured = topology([vf(0, 100, { holder: held('100') })]);
    expect(drift({ configured, running: facts([]) })).toEqual([]);
    expect(drift({ configured, running: null })).toEqual([]);
  });

  it('pairs a missing configured VF with an unconfigured held one as holds-a-different-vf', () => {
    const configured = topology([vf(0, 100, { holder: held('100') }), vf(1, 101)], ['100']);
    const findings = drift({ configured, snapshot: { assignments: [assignment('100', addr(0))] }, running: facts([vmQemu('100', 4242, [addr(1)], [101])]) });
    expect(kinds(findings)).toEqual([['holds-a-different-vf', addr(1), '100']]);
    expect(findings[0]!.title).toContain(`its config names ${addr(0)}`);
  });

  it('calls a mapping pool\'s pick holds-a-different-vf (info) and keeps pooled vfio-pci VFs out of the leaks', () => {
    const configured = topology([vf(0, 100, { driver: 'vfio-pci' }), vf(1, 101, { driver: 'vfio-pci' })], ['100']);
    const pool: PoolClaim = { vmId: '100', vmName: 'vm-100', via: 'hostpci0', mapping: 'vf-pool', members: [addr(0), addr(1)], config: { path: '/etc/pve/qemu-server/100.conf', line: 'hostpci0: mapping=vf-pool' } };
    const findings = drift({ configured, snapshot: { assignments: [], pools: [pool] }, running: facts([vmQemu('100', 4242, [addr(1)], [101])]) });
    expect(findings.map((f) => [f.kind, f.severity, f.address])).toEqual([['holds-a-different-vf', 'info', addr(1)]]);
  });

  it('says holds-a-different-vf once per shared group a process has open without naming a member', () => {
    const configured = topology([vf(0, 100), vf(1, 100), vf(2, 102)]);
    const findings = drift({ configured, running: facts([qemu({ pid: 5150, name: 'scratch', vfioGroups: [100] })]) });
    expect(kinds(findings)).toEqual([['holds-a-different-vf', addr(0), 'scratch']]);
    expect(findings[0]!.evidence).toEqual([{ path: '/proc/5150/fd', value: '/dev/vfio/100' }]);
  });

  it('says stale-reservation for a reservation whose process is gone', () => {
    const configured = topology([vf(0, 100)]);
    const findings = drift({ configured, running: facts([], [{ address: addr(0), vmId: '201', pid: 4999, stale: true }]) });
    expect(findings).toEqual([expect.objectContaining({ kind: 'stale-reservation', address: addr(0), vmId: '201', evidence: [{ path: '/run/qemu-server/pci-id-reservations', value: `${addr(0)} 201 pid:4999` }] })]);
  });

  it('says vfio-bound-without-holder for a VF on vfio-pci nobody holds, unless the operator keeps it so', () => {
    const configured = topology([vf(0, 100, { driver: 'vfio-pci' }), vf(1, 101, { driver: 'vfio-pci', holder: held('300') }), vf(2, 102)]);
    expect(kinds(drift({ configured }))).toEqual([['vfio-bound-without-holder', addr(0), null]]);
    expect(drift({ configured, keptOnVfio: new Set([addr(0)]) })).toEqual([]);
  });

  it('says config-names-missing-vf with the config line and the count that would bring the VF back', () => {
    const configured = topology([vf(0, 100), vf(1, 101)]);
    const findings = drift({ configured, snapshot: { assignments: [assignment('100', addr(5), 'hostpci3')] }, running: null });
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'config-names-missing-vf', severity: 'fail', address: addr(5), pf: PF, vmId: '100', evidence: [{ path: '/etc/pve/qemu-server/100.conf', value: `hostpci3: ${addr(5)},pcie=1` }] }),
    ]);
    expect(findings[0]!.fix).toContain(`VF count to 6 or more`);
    // A slot the host has no function of is missing too; a pending detach is leaving anyway.
    const slot = drift({ configured, snapshot: { assignments: [assignment('100', '0000:5e:00'), assignment('101', addr(6), 'hostpci0', 'detach')] }, running: null });
    expect(kinds(slot)).toEqual([['config-names-missing-vf', '0000:5e:00', '100']]);
  });

  it('says group-shared-with-another-vm for each side of a group two VMs hold', () => {
    const configured = topology([vf(0, 100, { holder: held('100') }), vf(1, 100, { holder: held('101') }), vf(2, 102)], ['100', '101']);
    const findings = drift({ configured, running: null });
    expect(findings.map((f) => [f.kind, f.address, f.vmId, f.otherVmId])).toEqual([
      ['group-shared-with-another-vm', addr(0), '100', '101'],
      ['group-shared-with-another-vm', addr(1), '101', '100'],
    ]);
  });
});
