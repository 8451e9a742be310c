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

/** A group with its members in numeric address order. */
const group = (id: number, devices: string[]): IommuGroup => ({ id, devices: devices.length > 1 ? devices.sort(comparePciAddresses) : devices });

/**
 * The ids in `sys/kernel/iommu_groups`: the kernel's own list of the groups. `ok: false` when it
 * cannot be listed (partial captures lack it; with the IOMMU off it is empty or absent).
 */
export function listGroupIds(scan: ScanContext): { ok: true; ids: number[] } | { ok: false; errno: string } {
  const root = list(scan.paths.iommuGroups);
  if (!root.ok) return root;
  const ids: number[] = [];
  for (const name of root.names) {
    const id = parseGroupId(name);
    if (id !== null) ids.push(id);
  }
  return { ok: true, ids };
}

/**
 * Every function reads its own `iommu_group` link (one readlink). The groups are then made from
 * those links, and `sys/kernel/iommu_groups/<id>/devices/` is listed only where a listing can say
 * more than the links: groups that hold a function other than a VF, and groups no function named.
 *
 * A group whose every member is a VF is not listed. The kernel groups a PCI function only with
 * other PCI functions (pci_device_group: DMA aliases, ACS, multifunction siblings), so such a
 * listing could only repeat the links; on a host with 2000 VFs, each in its own group, it would
 * cost five syscalls per VF (openat, fstat, two getdents64, close) against the one readlink.
 * The groups that are listed show what only a listing shows: members that are not PCI functions,
 * and members whose own link is missing (partial captures), which get their group from here.
 */
export function readGroups(scan: ScanContext, ids: readonly number[], functions: ReadonlyMap<string, PciFunction>): IommuGroup[] {
  const vfOnly = new Map<number, boolean>();
  for (const f of functions.values()) {
    if (f.iommuGroup === null) continue;
    vfOnly.set(f.iommuGroup, (vfOnly.get(f.iommuGroup) ?? true) && f.physfn !== null);
  }
  const listed: IommuGroup[] = [];
  for (const id of ids) {
    if (vfOnly.get(id) === true) continue;
    const dir = scan.paths.iommuGroupDevices(id);
    const members = list(dir);
    if (!members.ok) {
      // A VF's group goes with the VF when VFs are disabled during the scan.
      scan.warn(members.errno === 'ENOENT' ? 'vanished' : 'unreadable', `cannot list IOMMU group ${id} (${members.errno})`, dir);
      continue;
    }
    const devices: string[] = [];
    for (const member of members.names) {
      if (!isPciAddress(member)) {
        scan.warn('non-pci-group-member', `IOMMU group ${id} also holds ${member}, which is not a PCI function`, `${dir}/${member}`);
        continue;
      }
      devices.push(member);
      const f = functions.get(member);
      if (f && f.iommuGroup === null) f.iommuGroup = id;
    }
    if (devices.length > 0) listed.push(group(id, devices));
  }
  return listed;
}

/**
 * The groups of a scan: those listed (readGroups), and the others made from the functions' links
 * (`all`: every function read, including VFs read after the listing).
 */
export function mergeGroups(listed: readonly IommuGroup[], all: Iterable<PciFunction>): IommuGroup[] {
  const done = new Set(listed.map((g) => g.id));
  return [...listed, ...fromLinks(all, done)].sort(byId);
}

function fromLinks(functions: Iterable<PciFunction>, skip: ReadonlySet<number>): IommuGroup[] {
  const byGroup = new Map<number, string[]>();
  for (const f of functions) {
    if (f.iommuGroup === null || skip.has(f.iommuGroup)) continue;
    const members = byGroup.get(f.iommuGroup);
    if (members) members.push(f.address);
    else byGroup.set(f.iommuGroup, [f.address]);
  }
  return [...byGroup].map(([id, devices]) => group(id, devices));
}

/**
 * The groups rebuilt from the functions' `iommu_group` links, when sys/kernel/iommu_groups could not
 * be listed (`errno`). Partial captures lack the directory while their devices still carry the
 * links (dangling); a warning says the groups were rebuilt. With neither, the IOMMU is off: no
 * groups, which must not be read as "every device is isolated".
 */
export function groupsFromLinks(scan: ScanContext, functions: readonly PciFunction[], errno: string): IommuGroup[] {
  const linked = functions.some((f) => f.iommuGroup !== null);
  if (errno !== 'ENOENT') {
    scan.warn('unreadable', `cannot list the IOMMU groups (${errno})`, scan.paths.iommuGroups);
  } else if (linked) {
    scan.warn(
      'iommu-groups-missing',
      `sys/kernel/iommu_groups is missing; the groups were rebuilt from the devices' iommu_group links`,
      scan.paths.iommuGroups,
    );
  }
  return fromLinks(functions, new Set()).sort(byId);
}
