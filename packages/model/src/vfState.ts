import type { IommuGroup, Topology, Vf } from './topology';

export type VfState = 'free' | 'assigned' | 'unavailable';

/**
 * What a VF is to an operator: held by a VM, free to give away, or not assignable alone.
 * A VF cannot be passed through without an IOMMU group, nor alone when its group has other
 * members (the whole group goes to the VM or none of it).
 */
export function vfState(vf: Vf, topology: Pick<Topology, 'iommuGroups'>): VfState {
  if (vf.holder) return 'assigned';
  if (vf.iommuGroup === null) return 'unavailable';
  return groupPeers(vf.address, vf.iommuGroup, topology.iommuGroups).length > 0 ? 'unavailable' : 'free';
}

/** Groups by id, built once per groups array: a full host asks for the peers of thousands of VFs. */
const groupIndex = new WeakMap<readonly IommuGroup[], Map<number, IommuGroup>>();

/** The other members of a device's IOMMU group. */
export function groupPeers(address: string, groupId: number, groups: readonly IommuGroup[]): string[] {
  let index = groupIndex.get(groups);
  if (!index) {
    index = new Map(groups.map((g) => [g.id, g]));
    groupIndex.set(groups, index);
  }
  const group = index.get(groupId);
  return group ? group.devices.filter((d) => d !== address) : [];
}
