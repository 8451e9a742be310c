import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { planNumVfsChange, vfAddressOf } from './planNumVfsChange';

const E810_0 = '0000:3b:00.0'; // 64 of 128 VFs; router 0–3, web 4–5, db 6, k8s 10–19 and 20 (pending)
const E810_1 = '0000:3b:00.1'; // 8 of 128 VFs; build-runner (stopped) holds 0 and 1
const CX6_1 = '0000:af:00.1'; // 0 of 16 VFs, offset 17, stride 1

describe('planNumVfsChange', () => {
  it('goes from one non-zero count to another through 0, destroying every VF, and says which come back', () => {
    const plan = planNumVfsChange(labTopology(), E810_0, 8);
    expect(plan.kind).toBe('through-zero');
    expect(plan.writes).toEqual(['0', '8']);
    expect(plan.destroyed).toHaveLength(64);
    expect(plan.created.map((v) => v.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The kernel puts VF i at the same routing id again: the first 8 come back where they were.
    expect(plan.created.map((v) => v.address)).toEqual(plan.destroyed.slice(0, 8).map((v) => v.address));
    expect(plan.sameAddresses).toBe(8);
  });

  it('counts a held VF below the new count as lost too: the VM loses it while the count goes through 0', () => {
    const plan = planNumVfsChange(labTopology(), E810_0, 8);
    expect(plan.needsForce).toBe(true);
    expect(plan.vms.map((vm) => [vm.vmName, vm.state, vm.vfs.map((v) => v.index)])).toEqual([
      ['nfv-router', 'running', [0, 1, 2, 3]],
      ['web-01', 'running', [4, 5]],
      ['db-01', 'running', [6]],
      ['k8s-worker-1', 'running', [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]],
    ]);
    const router = plan.held.filter((h) => h.vmName === 'nfv-router');
    expect(router.every((h) => h.comesBack)).toBe(true);
    expect(plan.held.filter((h) => h.vmName === 'k8s-worker-1').some((h) => h.comesBack)).toBe(false);
  });

  it('lists the pending assignments and the host interfaces the change takes away', () => {
    const plan = planNumVfsChange(labTopology(), E810_0, 8);
    expect(plan.pending.map((p) => [p.index, p.vmName, p.via])).toEqual([[20, 'k8s-worker-1', 'hostpci10']]);
    // 64 VFs, 18 of them on vfio-pci for VMs: the other 46 are iavf interfaces on the host.
    expect(plan.hostNetdevs).toHaveLength(46);
    expect(plan.hostNetdevs[0]).toBe('ens1f0v7');
  });

  it('enables VFs on a PF with none with one write, computing their addresses from offset and stride', () => {
    const plan = planNumVfsChange(labTopology(), CX6_1, 4);
    expect(plan.kind).toBe('enable');
    expect(plan.writes).toEqual(['4']);
    expect(plan.destroyed).toEqual([]);
    expect(plan.created).toEqual([
      { index: 0, address: '0000:af:02.2' },
      { index: 1, address: '0000:af:02.3' },
      { index: 2, address: '0000:af:02.4' },
      { index: 3, address: '0000:af:02.5' },
    ]);
    expect(plan.needsForce).toBe(false);
    expect(plan.blocking).toEqual([]);
  });

  it('disables every VF with a single 0, and a stopped VM that holds one still needs force', () => {
    const plan = planNumVfsChange(labTopology(), E810_1, 0);
    expect(plan.kind).toBe('disable');
    expect(plan.writes).toEqual(['0']);
    expect(plan.created).toEqual([]);
    expect(plan.vms).toEqual([
      expect.objectContaining({ vmName: 'build-runner', state: 'stopped', vfs: [expect.objectContaining({ index: 0, comesBack: false }), expect.objectContaining({ index: 1, comesBack: false })] }),
    ]);
    expect(plan.needsForce).toBe(true);
  });

  it('plans nothing for the count the PF already has', () => {
    const plan = planNumVfsChange(labTopology(), E810_1, 8);
    expect(plan.kind).toBe('unchanged');
    expect(plan.writes).toEqual([]);
    expect(plan.destroyed).toEqual([]);
    expect(plan.needsForce).toBe(false);
  });

  it('refuses more VFs than sriov_totalvfs and a count that is not a whole number', () => {
    expect(planNumVfsChange(labTopology(), E810_1, 129).blocking).toEqual(['0000:3b:00.1 supports at most 128 VFs (sriov_totalvfs).']);
    expect(planNumVfsChange(labTopology(), E810_1, 2.5).blocking).toEqual(['A VF count is a whole number, 0 or more.']);
    expect(planNumVfsChange(labTopology(), E810_1, 128).blocking).toEqual([]);
  });

  it('refuses a change on a PF with no driver bound, as the kernel would (ENOENT)', () => {
    const topology = labTopology();
    topology.pfs[3]!.driver = null;
    expect(planNumVfsChange(topology, CX6_1, 2).blocking[0]).toMatch(/No driver is bound to the PF.*ENOENT/);
  });
});

describe('vfAddressOf', () => {
  it('spills onto the next bus when offset and stride run past device 31', () => {
    const pf = labTopology().pfs[1]!; // 0000:3b:00.1, offset 143
    expect(vfAddressOf(pf, 120)).toBe('0000:3c:01.0');
  });

  it('uses a stride of more than one (the I350 puts its VFs 4 functions apart)', () => {
    const pf = { ...labTopology().pfs[5]!, vfs: [] }; // 0000:d8:00.1, offset 128, stride 4
    expect([0, 1, 2].map((i) => vfAddressOf(pf, i))).toEqual(['0000:d8:10.1', '0000:d8:10.5', '0000:d8:11.1']);
  });

  it('does not guess an address without offset and stride', () => {
    const pf = { ...labTopology().pfs[3]!, offset: null, stride: null };
    expect(vfAddressOf(pf, 0)).toBeNull();
  });
});
