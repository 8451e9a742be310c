import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { attr, RO, RW } from './entries';
import type { DeviceHandle, SimTree } from './simTree';
import { linkTargets } from './sysfsLinks';
import { writeEntries } from './writeEntries';

/** Group numbers in use: the directories of sys/kernel/iommu_groups. */
export function groupsInUse(tree: SimTree): Set<number> {
  try {
    return new Set(readdirSync(tree.paths.iommuGroups).map(Number).filter(Number.isInteger));
  } catch {
    return new Set();
  }
}

/**
 * iommu_group_alloc() takes the lowest free id (ida_alloc), so a group number freed by removing
 * VFs is handed out again (the real kernel reused 11..14 after a disable: probe.txt).
 */
export function lowestFreeGroup(inUse: ReadonlySet<number>): number {
  let n = 0;
  while (inUse.has(n)) n++;
  return n;
}

/**
 * A group directory is made whole beside the tree (in the simulated kernel's state folder, on the
 * same file system) and renamed into sys/kernel/iommu_groups, and taken out by a rename before it
 * is deleted: a writer killed at any point leaves the group there with its `devices`, or not there
 * at all — never a group without `devices`, which the real kernel never shows.
 */
function scratchDir(tree: SimTree, group: number): string {
  const dir = join(tree.paths.simState, 'scratch');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `iommu-group-${group}`);
  rmSync(path, { recursive: true, force: true });
  return path;
}

export function addToGroup(tree: SimTree, dev: DeviceHandle, group: number): void {
  const dir = join(tree.paths.iommuGroups, String(group));
  if (!existsSync(dir)) {
    const building = scratchDir(tree, group);
    mkdirSync(building);
    writeEntries(building, [
      { kind: 'dir', path: 'devices' },
      attr('reserved_regions', RO, tree.state.iommu.reservedRegions.replace(/\n$/, '')),
      attr('type', RW, tree.state.iommu.groupType),
    ]);
    renameSync(building, dir);
  }
  tree.symlink(linkTargets.groupDevice(dev.devPath), join(dir, 'devices', dev.address));
}

/** Takes the device out of its group; the group goes when its last device does. */
export function removeFromGroup(tree: SimTree, dev: DeviceHandle, group: number): void {
  const dir = join(tree.paths.iommuGroups, String(group));
  tree.unlinkIfExists(join(dir, 'devices', dev.address));
  let left: string[] = [];
  try {
    left = readdirSync(join(dir, 'devices'));
  } catch {
    return;
  }
  if (left.length > 0) return;
  const leaving = scratchDir(tree, group);
  renameSync(dir, leaving);
  rmSync(leaving, { recursive: true, force: true });
}

/** sys/devices/virtual/iommu/<unit>/devices/<addr>: the translation unit lists its devices. */
export function addToIommuUnit(tree: SimTree, dev: DeviceHandle, unit: string): void {
  const devices = join(tree.paths.virtualIommu, unit, 'devices');
  // A captured tree may not hold the unit's directory.
  mkdirSync(devices, { recursive: true });
  tree.symlink(linkTargets.iommuDevice(dev.devPath), join(devices, dev.address));
}

export function removeFromIommuUnit(tree: SimTree, dev: DeviceHandle, unit: string): void {
  tree.unlinkIfExists(join(tree.paths.virtualIommu, unit, 'devices', dev.address));
}
