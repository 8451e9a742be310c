import { describe, expect, it } from 'vitest';
import type { Holder, Pf, Topology, Vf } from './topology';
import { groupPeers, iommuGroupMembers, vfState } from './vfState';

function vf(address: string, index: number, iommuGroup: number | null, holder: Holder | null = null): Vf {
  return { address, index, pf: '0000:3b:00.0', vendorId: '8086', deviceId: '154c', driver: 'iavf', driverOverride: null, netdevs: [], numaNode: 0, iommuGroup, holder, config: null };
}

function topologyOf(vfs: Vf[], iommuGroups: Topology['iommuGroups'], devices: Topology['devices'] = []): Pick<Topology, 'iommuGroups' | 'pfs' | 'devices'> {
  const pf = { address: '0000:3b:00.0', iommuGroup: 40, vfs } as unknown as Pf;
  return { pfs: [pf], devices, iommuGroups };
}

const held: Holder = { vmId: '101', vmName: 'web-01', via: 'hostpci0', pending: false };

describe('vfState', () => {
  it('is assigned when held, unavailable without a group or with group peers, else free', () => {
    const vfs = [vf('0000:3b:02.0', 0, 50), vf('0000:3b:02.1', 1, 51, held), vf('0000:3b:02.2', 2, null), vf('0000:3b:02.3', 3, 52), vf('0000:3b:02.4', 4, 52)];
    const t = topologyOf(vfs, [
      { id: 40, devices: ['0000:3b:00.0'] },
      { id: 50, devices: ['0000:3b:02.0'] },
      { id: 51, devices: ['0000:3b:02.1'] },
      { id: 52, devices: ['0000:3b:02.4', '0000:3b:02.3'] },
    ]);
    expect(vfs.map((v) => vfState(v, t))).toEqual(['free', 'assigned', 'unavailable', 'unavailable', 'unavailable']);
    expect(groupPeers('0000:3b:02.3', 52, t)).toEqual(['0000:3b:02.4']);
  });

  it('counts a function that reports a group the listing lacks as a member of it', () => {
    // The reader could not list group 60 (it vanished mid-scan), but two VFs still link to it.
    const vfs = [vf('0000:3b:02.1', 1, 60), vf('0000:3b:02.0', 0, 60)];
    const t = topologyOf(vfs, [{ id: 40, devices: ['0000:3b:00.0'] }]);
    expect(iommuGroupMembers(t).get(60)).toEqual(['0000:3b:02.0', '0000:3b:02.1']);
    expect(vfs.map((v) => vfState(v, t))).toEqual(['unavailable', 'unavailable']);
  });

  it('lists members in address order, and other devices of the group too', () => {
    const vfs = [vf('0000:3b:02.0', 0, 70)];
    const device = { address: '0000:00:1f.0', iommuGroup: 70 } as Topology['devices'][number];
    const t = topologyOf(vfs, [{ id: 70, devices: ['0000:3b:02.0'] }], [device]);
    expect(iommuGroupMembers(t).get(70)).toEqual(['0000:00:1f.0', '0000:3b:02.0']);
    expect(vfState(vfs[0]!, t)).toBe('unavailable');
  });
});
