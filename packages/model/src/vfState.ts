import { comparePciAddresses } from './pciAddress';
import type { Topology, Vf } from './topology';

export type VfState = 'free' | 'assigned' | 'unavailable';

/** What the IOMMU rules need of a topology. */
export type GroupSource = Pick<Topology, 'iommuGroups' | 'pfs' | 'devices'>;

/**
 * What a VF is to an operator: held by a VM, free to give away, or not assignable alone.
 * A VF cannot be passed through without an IOMMU group, nor alone when its group has other
 * members (the whole group goes to the VM or none of it). The agent decides assignments by this
 * rule and the page draws by it.
 */
export function vfState(vf: Vf, topology: GroupSource): VfState {
  if (vf.holder) return 'assigned';
  if (vf.iommuGroup === null) return 'unavailable';
  return groupPeers(vf.address, vf.iommuGroup, topology).length > 0 ? 'unavailable' : 'free';
}

/** Members by group, built once per topology: a full host asks for the peers of thousands of VFs. */
const membersIndex = new WeakMap<GroupSource, ReadonlyMap<number, readonly string[]>>();

/**
 * Every IOMMU group's members, in address order: the kernel's group listing, plus any function
 * that reports a group number the listing lacks (a reader that could not list a group directory
 * still has each function's iommu_group link). Built once per topology object.
 */
export function iommuGroupMembers(topology: GroupSource): ReadonlyMap<number, readonly string[]> {
  const known = membersIndex.get(topology);
  if (known) return known;
  const members = new Map<number, string[]>();
  for (const g of topology.iommuGroups) members.set(g.id, [...g.devices]);
  const ensure = (group: number | null, address: string) => {
    if (group === null) return;
    const list = members.get(group);
    if (!list) members.set(group, [address]);
    else if (!list.includes(address)) list.push(address);
  };
  for (const pf of topology.pfs) {
    ensure(pf.iommuGroup, pf.address);
    for (const vf of pf.vfs) ensure(vf.iommuGroup, vf.address);
  }
  for (const d of topology.devices) ensure(d.iommuGroup, d.address);
  for (const list of members.values()) list.sort(comparePciAddresses);
  membersIndex.set(topology, members);
  return members;
}

/** The other members of a device's IOMMU group, in address order. */
export function groupPeers(address: string, groupId: number, topology: GroupSource): string[] {
  return (iommuGroupMembers(topology).get(groupId) ?? []).filter((d) => d !== address);
}
