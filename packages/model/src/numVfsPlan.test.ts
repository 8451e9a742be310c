import { describe, expect, it } from 'vitest';
import { describeHeldRefusal, describeNumVfsChange, heldVfOf, planNumVfs, possibleVfs, vmsLosingVfs } from './numVfsPlan';
import type { Holder, Pf, Vf, Vm } from './topology';
import { vfAddressOf } from './vfAddress';

// An X710 port: 64 VFs at offset 16, stride 1 → VF n at 3b:02.0 + n.
const PF = '0000:3b:00.0';
const vms: Vm[] = [
  { id: '101', name: 'router', state: 'running' },
  { id: '102', name: 'build', state: 'stopped' },
];

interface VfSpec {
  vm?: string;
  pending?: boolean;
  /** the holder as a scan with running processes says it (source, configuredVmId...), in place of the config's */
  holder?: Holder;
}

function pfWith(numVfs: number, held: Record<number, VfSpec> = {}, over: Partial<Pf> = {}): Pf {
  const address = over.address ?? PF;
  const offset = over.offset === undefined ? 16 : over.offset;
  const stride = over.stride === undefined ? 1 : over.stride;
  const vfs: Vf[] = Array.from({ length: numVfs }, (_, index) => {
    const spec = held[index];
    const vm = spec?.vm ? vms.find((v) => v.id === spec.vm) : undefined;
    return {
      address: vfAddressOf(address, offset ?? 16, stride ?? 1, index)!,
      index,
      pf: address,
      vendorId: '8086',
      deviceId: '154c',
      driver: vm ? 'vfio-pci' : 'iavf',
      driverOverride: vm ? 'vfio-pci' : null,
      netdevs: vm ? [] : [{ name: `ens2f0v${index}`, mac: null, operState: 'up', speedMbps: 10000 }],
      numaNode: 0,
      iommuGroup: 100 + index,
      holder: spec?.holder ?? (vm ? { vmId: vm.id, vmName: vm.name, via: `hostpci${index}`, pending: spec?.pending ?? false } : null),
      config: null,
    };
  });
  return {
    address,
    vendorId: '8086',
    deviceId: '1572',
    vendorName: null,
    deviceName: null,
    subsystemVendorId: null,
    subsystemDeviceId: null,
    class: '020000',
    driver: 'i40e',
    driverOverride: null,
    netdevs: [],
    numaNode: 0,
    iommuGroup: 25,
    totalVfs: 64,
    numVfs,
    vfDeviceId: '154c',
    offset,
    stride,
    driversAutoprobe: true,
    holder: null,
    ...over,
    vfs,
  };
}

describe('planNumVfs', () => {
  it('writes the count alone when the PF has no VFs, destroys nothing, and places the new VFs by offset and stride', () => {
    const plan = planNumVfs(pfWith(0), 3);
    expect(plan.kind).toBe('enable');
    expect(plan.writes).toEqual(['3']);
    expect(plan.destroyed).toEqual([]);
    expect(plan.created).toEqual([
      { index: 0, address: '0000:3b:02.0' },
      { index: 1, address: '0000:3b:02.1' },
      { index: 2, address: '0000:3b:02.2' },
    ]);
    expect(plan.needsForce).toBe(false);
    expect(plan.blocking).toEqual([]);
  });

  it('writes nothing for the count the PF has, held VFs or not', () => {
    const plan = planNumVfs(pfWith(2, { 0: { vm: '101' } }), 2, vms);
    expect(plan).toMatchObject({ kind: 'unchanged', writes: [], destroyed: [], created: [], held: [], needsForce: false, blocking: [] });
  });

  it('writes 0 and then the count to go from one non-zero count to another, destroying every VF', () => {
    const plan = planNumVfs(pfWith(3), 5);
    expect(plan.kind).toBe('through-zero');
    expect(plan.writes).toEqual(['0', '5']);
    expect(plan.destroyed.map((v) => v.index)).toEqual([0, 1, 2]);
    // The kernel puts VF n at the same routing id again: the first 3 come back where they were.
    expect(plan.created.slice(0, 3).map((v) => v.address)).toEqual(plan.destroyed.map((v) => v.address));
    expect(plan.sameAddresses).toBe(3);
  });

  it('counts a held VF below the new count as lost too, says it comes back, and groups the losses by VM', () => {
    const plan = planNumVfs(pfWith(4, { 0: { vm: '101' }, 2: { vm: '102' }, 3: { vm: '101' } }), 3, vms);
    expect(plan.held.map((h) => [h.index, h.vmId, h.recreated, h.via])).toEqual([
      [0, '101', true, 'hostpci0'],
      [2, '102', true, 'hostpci2'],
      [3, '101', false, 'hostpci3'],
    ]);
    expect(plan.vms.map((vm) => [vm.vmName, vm.state, vm.vfs.map((v) => v.index)])).toEqual([
      ['router', 'running', [0, 3]],
      ['build', 'stopped', [2]],
    ]);
    expect(plan.needsForce).toBe(true);
    // VF 3 is not recreated (3 VFs after): router's configuration would name a VF that no longer exists.
    expect(vmsLosingVfs(plan)).toEqual([
      { vmId: '101', vmName: 'router', holds: 'config', vfs: ['0000:3b:02.0', '0000:3b:02.3'], configNamesMissing: ['0000:3b:02.3'] },
      { vmId: '102', vmName: 'build', holds: 'config', vfs: ['0000:3b:02.2'], configNamesMissing: [] },
    ]);
    expect(plan.held.map(heldVfOf)[0]).toEqual({ address: '0000:3b:02.0', index: 0, vmId: '101', vmName: 'router', recreated: true, source: 'config' });
    expect(describeHeldRefusal(pfWith(4), 3, plan)).toContain('After the change the configuration of router (101) names 0000:3b:02.3, which would no longer exist');
  });

  it('names the running process that holds a VF and the VM whose configuration names it, each with how it holds it', () => {
    // A hand-started QEMU holds VF 1, which build's (stopped) configuration names: the live claim
    // wins the holder, and the configuration keeps its VM in configuredVmId.
    const running: Holder = { vmId: 'pid:5150', vmName: 'pid:5150', via: 'qemu pid 5150', pending: false, pendingChange: null, source: 'running', configuredVmId: '102' };
    const pf = pfWith(2, { 0: { vm: '101', holder: { vmId: '101', vmName: 'router', via: 'hostpci0', pending: false, source: 'both' } }, 1: { holder: running } });
    const plan = planNumVfs(pf, 1, vms);
    expect(plan.needsForce).toBe(true);
    expect(vmsLosingVfs(plan)).toEqual([
      { vmId: '101', vmName: 'router', holds: 'both', vfs: ['0000:3b:02.0'], configNamesMissing: [] },
      { vmId: 'pid:5150', vmName: 'pid:5150', holds: 'running', vfs: ['0000:3b:02.1'], configNamesMissing: [] },
      { vmId: '102', vmName: 'build', holds: 'config', vfs: ['0000:3b:02.1'], configNamesMissing: ['0000:3b:02.1'] },
    ]);
    expect(plan.vms.map((vm) => [vm.vmId, vm.state])).toEqual([
      ['101', 'running'],
      ['pid:5150', 'unknown'],
      ['102', 'stopped'],
    ]);
    const detail = describeHeldRefusal(pf, 1, plan);
    expect(detail).toContain('VMs hold 2 of them');
    expect(detail).toContain('pid:5150 (pid:5150) holds 0000:3b:02.1 (a running process, no configuration of it names it)');
    expect(detail).toContain('build (102) holds 0000:3b:02.1 (its configuration names it)');
    expect(detail).toContain('the configuration of build (102) names 0000:3b:02.1, which would no longer exist: that VM fails at the next start');
    expect(describeNumVfsChange(pf, 1, plan, 1)).toContain('The configurations of build (102) name VFs that no longer exist (0000:3b:02.1)');
  });

  it('counts a VF only a running process holds as held, with nothing its configuration would miss', () => {
    const running: Holder = { vmId: 'scratch', vmName: 'scratch', via: 'qemu pid 77', pending: false, pendingChange: null, source: 'running' };
    const plan = planNumVfs(pfWith(2, { 1: { holder: running } }), 0, vms);
    expect(plan.needsForce).toBe(true);
    expect(vmsLosingVfs(plan)).toEqual([{ vmId: 'scratch', vmName: 'scratch', holds: 'running', vfs: ['0000:3b:02.1'], configNamesMissing: [] }]);
    expect(describeHeldRefusal(pfWith(2), 0, plan)).not.toContain('no longer exist');
  });

  it('writes 0 alone to disable, and every held VF is lost for good', () => {
    const plan = planNumVfs(pfWith(2, { 0: { vm: '102' } }), 0, vms);
    expect(plan.kind).toBe('disable');
    expect(plan.writes).toEqual(['0']);
    expect(plan.created).toEqual([]);
    expect(plan.held.map((h) => h.recreated)).toEqual([false]);
    expect(plan.needsForce).toBe(true);
  });

  it('lists the pending assignments and the host interfaces the change takes away', () => {
    const plan = planNumVfs(pfWith(4, { 1: { vm: '101', pending: true } }), 0, vms);
    expect(plan.pending.map((p) => [p.index, p.vmName, p.via])).toEqual([[1, 'router', 'hostpci1']]);
    expect(plan.hostNetdevs).toEqual(['ens2f0v0', 'ens2f0v2', 'ens2f0v3']);
  });

  it('gives a VM the hypervisor does not list the state unknown', () => {
    expect(planNumVfs(pfWith(1, { 0: { vm: '101' } }), 0).vms[0]!.state).toBe('unknown');
  });

  it('refuses more VFs than sriov_totalvfs, a count that is not a whole number, and a PF without a driver', () => {
    expect(planNumVfs(pfWith(0), 65).blocking).toEqual(['0000:3b:00.0 supports at most 64 VFs (sriov_totalvfs).']);
    expect(planNumVfs(pfWith(0), 2.5).blocking).toEqual(['A VF count is a whole number, 0 or more.']);
    expect(planNumVfs(pfWith(0), 64).blocking).toEqual([]);
    expect(planNumVfs(pfWith(0, {}, { driver: null }), 2).blocking[0]).toMatch(/No driver is bound to the PF.*ENOENT/);
    expect(planNumVfs(pfWith(2, {}, { driver: null }), 2).blocking).toEqual([]);
  });

  it('does not guess the addresses of new VFs without offset and stride, and does not refuse for it', () => {
    const plan = planNumVfs(pfWith(0, {}, { offset: null, stride: null }), 2);
    expect(plan.created).toEqual([
      { index: 0, address: null },
      { index: 1, address: null },
    ]);
    expect(plan.blocking).toEqual([]);
  });
});

describe('planNumVfs where the VFs reach bus ff', () => {
  // A single-port E810 on bus ff: 256 VFs at offset 8, stride 1 → VF 247 at ff:1f.7, VF 248 nowhere.
  const pf = pfWith(0, {}, { address: '0000:ff:00.0', offset: 8, totalVfs: 256 });

  it('makes the VFs up to the last one on bus ff', () => {
    const plan = planNumVfs(pf, 248);
    expect(plan.blocking).toEqual([]);
    expect(plan.created.at(-1)).toEqual({ index: 247, address: '0000:ff:1f.7' });
  });

  it('refuses a count that needs a VF past bus ff, which has no address', () => {
    const plan = planNumVfs(pf, 249);
    expect(plan.blocking).toEqual([
      '0000:ff:00.0 can have at most 248 VFs: VF 248 and above would lie past bus ff, where there is no PCI address (the kernel would answer ENOMEM).',
    ]);
    expect(plan.created.at(-1)).toEqual({ index: 248, address: null });
    expect(possibleVfs(pf)).toBe(248);
  });

  it('knows only sriov_totalvfs without offset and stride', () => {
    expect(possibleVfs({ ...pf, offset: null, stride: null })).toBe(256);
  });
});
