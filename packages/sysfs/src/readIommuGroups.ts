import { type Dirent, readdirSync } from 'node:fs';
import { type IommuGroup, comparePciAddresses, isPciAddress } from '@vfmap/model';
import type { ScanContext } from './scanContext';
import type { PciFunction } from './pciFunction';
import { parseGroupId } from './parseAttribute';

function list(path: string): { ok: true; entries: Dirent[] } | { ok: false; errno: string } {
  try {
    return { ok: true, entries: readdirSync(path, { withFileTypes: true }) };
  } catch (err) {
    return { ok: false, errno: (err as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}

const byId = (a: IommuGroup, b: IommuGroup) => a.id - b.id;

/**
 * The IOMMU groups, sorted by id, each with its PCI members in numeric address order.
 *
 * The kernel lists them in `sys/kernel/iommu_groups/<id>/devices/`. Partial captures lack that
 * directory while their devices still carry `iommu_group` links (dangling); then the groups are
 * rebuilt from the links, and a warning says so. With neither, the IOMMU is off: no groups, which
 * must not be read as "every device is isolated".
 */
export function readIommuGroups(scan: ScanContext, functions: readonly PciFunction[]): IommuGroup[] {
  const root = list(scan.paths.iommuGroups);
  if (!root.ok) {
    const linked = functions.filter((f) => f.iommuGroup !== null);
    if (root.errno !== 'ENOENT') {
      scan.warn('unreadable', `cannot list the IOMMU groups (${root.errno})`, scan.paths.iommuGroups);
    } else if (linked.length > 0) {
      scan.warn(
        'iommu-groups-missing',
        `sys/kernel/iommu_groups is missing; the groups were rebuilt from the devices' iommu_group links`,
        scan.paths.iommuGroups,
      );
    }
    return groupsFromLinks(linked);
  }

  const groups: IommuGroup[] = [];
  for (const entry of root.entries) {
    const id = parseGroupId(entry.name);
    if (id === null) continue;
    const dir = scan.paths.iommuGroupDevices(id);
    const members = list(dir);
    if (!members.ok) {
      // A VF's group goes with the VF when VFs are disabled during the scan.
      scan.warn(members.errno === 'ENOENT' ? 'vanished' : 'unreadable', `cannot list IOMMU group ${id} (${members.errno})`, dir);
      continue;
    }
    const devices: string[] = [];
    for (const m of members.entries) {
      if (isPciAddress(m.name)) devices.push(m.name);
      else {
        scan.warn('non-pci-group-member', `IOMMU group ${id} also holds ${m.name}, which is not a PCI function`, `${dir}/${m.name}`);
      }
    }
    if (devices.length > 0) groups.push({ id, devices: devices.sort(comparePciAddresses) });
  }
  return groups.sort(byId);
}

function groupsFromLinks(functions: readonly PciFunction[]): IommuGroup[] {
  const byGroup = new Map<number, string[]>();
  for (const f of functions) {
    if (f.iommuGroup === null) continue;
    const members = byGroup.get(f.iommuGroup);
    if (members) members.push(f.address);
    else byGroup.set(f.iommuGroup, [f.address]);
  }
  return [...byGroup].map(([id, devices]) => ({ id, devices: devices.sort(comparePciAddresses) })).sort(byId);
}
