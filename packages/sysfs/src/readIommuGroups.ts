import { readdirSync } from 'node:fs';
import { type IommuGroup, comparePciAddresses, isPciAddress } from '@vfmap/model';
import type { ScanContext } from './scanContext';
import type { PciFunction } from './pciFunction';
import { parseGroupId } from './parseAttribute';

function list(path: string): { ok: true; names: string[] } | { ok: false; errno: string } {
  try {
    return { ok: true, names: readdirSync(path) };
  } catch (err) {
    return { ok: false, errno: (err as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}

const byId = (a: IommuGroup, b: IommuGroup) => a.id - b.id;

/** The kernel's own list of the groups, and each PCI function's group as it says. */
export interface IommuListing {
  /** Sorted by id, each with its PCI members in numeric address order. */
  groups: IommuGroup[];
  /** Address → group id, for every PCI member of a group. */
  groupOf: ReadonlyMap<string, number>;
}

/**
 * Lists `sys/kernel/iommu_groups/<id>/devices/`. It is read before the devices, so that each
 * function's group comes from here and its `iommu_group` link need not be read: the kernel makes
 * the link and the group's entry together (iommu_group_add_device), and the listing is needed
 * anyway, because only it shows members that are not PCI functions. That saves a readlink per
 * device, the same number of syscalls as a thousand groups listed.
 *
 * `ok: false` when the directory cannot be listed (partial captures lack it): the groups are then
 * rebuilt from the links (groupsFromLinks), which the devices read instead.
 */
export function listIommuGroups(scan: ScanContext): { ok: true; listing: IommuListing } | { ok: false; errno: string } {
  const root = list(scan.paths.iommuGroups);
  if (!root.ok) return root;

  const groups: IommuGroup[] = [];
  const groupOf = new Map<string, number>();
  for (const name of root.names) {
    const id = parseGroupId(name);
    if (id === null) continue;
    const dir = scan.paths.iommuGroupDevices(id);
    const members = list(dir);
    if (!members.ok) {
      // A VF's group goes with the VF when VFs are disabled during the scan.
      scan.warn(members.errno === 'ENOENT' ? 'vanished' : 'unreadable', `cannot list IOMMU group ${id} (${members.errno})`, dir);
      continue;
    }
    const devices: string[] = [];
    for (const member of members.names) {
      if (isPciAddress(member)) {
        devices.push(member);
        groupOf.set(member, id);
      } else {
        scan.warn('non-pci-group-member', `IOMMU group ${id} also holds ${member}, which is not a PCI function`, `${dir}/${member}`);
      }
    }
    if (devices.length > 0) groups.push({ id, devices: devices.length > 1 ? devices.sort(comparePciAddresses) : devices });
  }
  return { ok: true, listing: { groups: groups.sort(byId), groupOf } };
}

/**
 * The groups rebuilt from the functions' `iommu_group` links, when sys/kernel/iommu_groups could not
 * be listed (`errno`). Partial captures lack the directory while their devices still carry the
 * links (dangling); a warning says the groups were rebuilt. With neither, the IOMMU is off: no
 * groups, which must not be read as "every device is isolated".
 */
export function groupsFromLinks(scan: ScanContext, functions: readonly PciFunction[], errno: string): IommuGroup[] {
  const linked = functions.filter((f) => f.iommuGroup !== null);
  if (errno !== 'ENOENT') {
    scan.warn('unreadable', `cannot list the IOMMU groups (${errno})`, scan.paths.iommuGroups);
  } else if (linked.length > 0) {
    scan.warn(
      'iommu-groups-missing',
      `sys/kernel/iommu_groups is missing; the groups were rebuilt from the devices' iommu_group links`,
      scan.paths.iommuGroups,
    );
  }
  const byGroup = new Map<number, string[]>();
  for (const f of linked) {
    const members = byGroup.get(f.iommuGroup!);
    if (members) members.push(f.address);
    else byGroup.set(f.iommuGroup!, [f.address]);
  }
  return [...byGroup].map(([id, devices]) => ({ id, devices: devices.sort(comparePciAddresses) })).sort(byId);
}
