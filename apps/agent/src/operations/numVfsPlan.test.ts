import { describe, expect, it } from 'vitest';
import type { Pf, Vf } from '@vfmap/model';
import { planNumVfs, vmsOf } from './numVfsPlan';

const vf = (index: number, vmId?: string): Vf => ({
  address: `0000:18:01.${index}`,
  index,
  pf: '0000:18:00.0',
  vendorId: '8086',
  deviceId: '1889',
  driver: 'iavf',
  driverOverride: null,
  netdevs: [],
  numaNode: 0,
  iommuGroup: 40 + index,
  holder: vmId ? { vmId, vmName: `vm-${vmId}`, via: 'hostpci0', pending: false } : null,
});

const pf = (vfs: Vf[]): Pf => ({
  address: '0000:18:00.0',
  vendorId: '8086',
  deviceId: '1592',
  vendorName: null,
  deviceName: null,
  subsystemVendorId: null,
  subsystemDeviceId: null,
  class: '020000',
  driver: 'ice',
  driverOverride: null,
  netdevs: [],
  numaNode: 0,
  iommuGroup: 25,
  totalVfs: 8,
  numVfs: vfs.length,
  vfDeviceId: '1889',
  offset: 8,
  stride: 1,
  driversAutoprobe: true,
  holder: null,
  vfs,
});

describe('planNumVfs', () => {
  it('writes the count alone when the PF has no VFs, and destroys nothing', () => {
    expect(planNumVfs(pf([]), 4)).toEqual({ writes: ['4'], destroyed: [], held: [] });
  });

  it('writes nothing for the count the PF has', () => {
    expect(planNumVfs(pf([vf(0, '101'), vf(1)]), 2)).toEqual({ writes: [], destroyed: [], held: [] });
  });

  it('writes 0 and then the count to go from one non-zero count to another, destroying every VF', () => {
    const plan = planNumVfs(pf([vf(0), vf(1), vf(2)]), 5);
    expect(plan.writes).toEqual(['0', '5']);
    expect(plan.destroyed.map((v) => v.index)).toEqual([0, 1, 2]);
  });

  it('counts a held VF below the new count as destroyed too, and says it comes back', () => {
    const plan = planNumVfs(pf([vf(0, '101'), vf(1), vf(2, '102'), vf(3, '101')]), 3);
    expect(plan.held).toEqual([
      { address: '0000:18:01.0', index: 0, vmId: '101', vmName: 'vm-101', recreated: true },
      { address: '0000:18:01.2', index: 2, vmId: '102', vmName: 'vm-102', recreated: true },
      { address: '0000:18:01.3', index: 3, vmId: '101', vmName: 'vm-101', recreated: false },
    ]);
    expect(vmsOf(plan.held)).toEqual([
      { vmId: '101', vmName: 'vm-101', vfs: ['0000:18:01.0', '0000:18:01.3'] },
      { vmId: '102', vmName: 'vm-102', vfs: ['0000:18:01.2'] },
    ]);
  });

  it('writes 0 alone to disable, and every held VF is lost for good', () => {
    const plan = planNumVfs(pf([vf(0, '101'), vf(1)]), 0);
    expect(plan.writes).toEqual(['0']);
    expect(plan.held.map((h) => h.recreated)).toEqual([false]);
  });
});
