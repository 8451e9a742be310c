import type { Check } from '@vfmap/model';
import type { CheckRun } from './checkInput';

const WHY =
  'An IOMMU group is the smallest set of devices the IOMMU can isolate from each other: vfio gives a VM a whole group or nothing. A VF that shares its group (usually with its PF and siblings, because the PF or the port above it has no ACS) cannot be given to a VM alone.';
const FIX = {
  proxmox:
    'Put the card in a slot whose root port has ACS (on most servers: a CPU-attached slot, not one behind the chipset), or use a card whose PF reports ACS. Last resort: the Proxmox kernel accepts pcie_acs_override=downstream,multifunction on the kernel command line, which tells the kernel to pretend isolation that the hardware does not give: a VM can then reach the other members by peer-to-peer DMA. Not for hosts where VMs are not trusted.',
  debian:
    'Move the card to a slot with ACS, or use hardware whose PF reports ACS. Debian\'s kernel has no pcie_acs_override (it is an out-of-tree patch, carried by Proxmox and some other kernels); pass the whole group to one VM instead.',
};

/** VFs whose IOMMU group has other members: the members that share, per PF. */
export const sharedGroupsCheck: CheckRun = ({ files, topology }) => {
  const members = new Map(topology.iommuGroups.map((g) => [g.id, g.devices]));
  const out: Check[] = [];
  for (const pf of topology.pfs) {
    if (pf.vfs.length === 0) continue;
    const shared = new Map<number, string[]>();
    for (const vf of pf.vfs) {
      if (vf.iommuGroup === null) continue;
      const group = members.get(vf.iommuGroup) ?? [];
      if (group.length > 1) shared.set(vf.iommuGroup, group);
    }
    const evidence = [...shared].map(([id, devices]) => files.evidence(`${files.paths.iommuGroups}/${id}/devices`, devices.join(' ')));
    if (shared.size === 0) {
      const known = pf.vfs.some((vf) => vf.iommuGroup !== null);
      out.push({
        id: 'shared-iommu-groups',
        scope: 'pf',
        target: pf.address,
        status: known ? 'ok' : 'unknown',
        title: known ? `Each VF of ${pf.address} has its own IOMMU group` : `The VFs of ${pf.address} have no IOMMU group`,
        evidence: pf.vfs.slice(0, 1).map((vf) => files.evidence(files.paths.pciDeviceFile(vf.address, 'iommu_group'), vf.iommuGroup === null ? null : String(vf.iommuGroup))),
        why: known ? 'Each VF can be given to a VM on its own.' : 'Without IOMMU groups (IOMMU off, or a capture without them) nothing says whether a VF could be passed through alone.',
        fix: { proxmox: '', debian: '' },
      });
      continue;
    }
    const vfsSharing = pf.vfs.filter((vf) => vf.iommuGroup !== null && shared.has(vf.iommuGroup)).length;
    out.push({
      id: 'shared-iommu-groups',
      scope: 'pf',
      target: pf.address,
      status: 'warn',
      title: `${vfsSharing} of ${pf.vfs.length} VFs of ${pf.address} share an IOMMU group (${[...shared.keys()].map((id) => `group ${id}: ${shared.get(id)!.length} members`).join(', ')})`,
      evidence,
      why: WHY,
      fix: FIX,
    });
  }
  return out;
};
