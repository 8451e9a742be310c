import { existsSync, readdirSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parsePciAddress, vfAddressOf, type PciAddress } from '@vfmap/model';
import { detachDriver } from './driverBinding';
import { removePciBus } from './pciBus';
import { removeFromGroup } from './iommuGroups';
import type { DeviceHandle, SimTree } from './simTree';
import type { PfView } from './virtfns';

/** The addresses VF 0..count-1 of the PF get (the same every time: offset and stride are fixed). */
export function vfAddresses(pf: PfView, count: number): PciAddress[] {
  const out: PciAddress[] = [];
  for (let index = 0; index < count; index++) {
    const address = vfAddressOf(pf.dev.address, pf.offset, pf.stride, index);
    if (address !== null) out.push(address);
  }
  return out;
}

/** Whether any of these VFs left something in sys/: its virtfn link, its bus link or its directory. */
export function hasVfTraces(tree: SimTree, pf: PfView, addresses: readonly PciAddress[]): boolean {
  const wanted = new Set<string>(addresses.map((a) => `../${a}`));
  for (const name of readdirSync(pf.dev.dir)) {
    if (/^virtfn\d+$/.test(name) && wanted.has(readlinkSync(join(pf.dev.dir, name)))) return true;
  }
  return addresses.some((a) => existsSync(join(tree.paths.busPciDevices, a)) || existsSync(vfHandle(tree, pf, a).dir));
}

/**
 * Takes away whatever a sriov_enable() or sriov_disable() that died half-way left of these VFs, in
 * any state: virtfn and bus links, driver bindings with their class links, IOMMU group and unit
 * links, the directories in sys/devices and in the staging area, and the virtual buses. Every step
 * tolerates a part that is already gone or was never made.
 */
export function removeVfTraces(tree: SimTree, pf: PfView, addresses: readonly PciAddress[]): void {
  const gone = new Set<string>(addresses);
  for (const name of readdirSync(pf.dev.dir)) {
    if (!/^virtfn\d+$/.test(name)) continue;
    const target = readlinkSync(join(pf.dev.dir, name)).replace(/^\.\.\//, '');
    if (gone.has(target)) tree.unlinkIfExists(join(pf.dev.dir, name));
  }
  for (const address of addresses) tree.unlinkIfExists(join(tree.paths.busPciDevices, address));

  // Group links are made while the VF's directory is still in the staging area: look in the groups.
  for (const group of groupsHolding(tree, gone)) {
    for (const address of group.members) removeFromGroup(tree, vfHandle(tree, pf, address), group.number);
  }
  const pfBus = parsePciAddress(pf.dev.address)!.bus;
  const virtualBuses = new Set<string>();
  tree.ensureStaging();
  for (const address of addresses) {
    const dev = vfHandle(tree, pf, address);
    if (pf.iommuUnit) tree.unlinkIfExists(join(tree.paths.virtualIommu, pf.iommuUnit, 'devices', address));
    if (existsSync(dev.dir)) {
      detachDriver(tree, dev);
      const removed = join(tree.paths.staging, `${address}.removed`);
      rmSync(removed, { recursive: true, force: true });
      renameSync(dev.dir, removed);
      rmSync(removed, { recursive: true, force: true });
    }
    rmSync(join(tree.paths.staging, address), { recursive: true, force: true });
    rmSync(join(tree.paths.staging, `${address}.removed`), { recursive: true, force: true });
    if (parsePciAddress(address)!.bus !== pfBus) virtualBuses.add(address.slice(0, address.lastIndexOf(':')));
  }
  for (const bus of virtualBuses) removePciBus(tree, dirname(pf.dev.devPath), bus);
}

function vfHandle(tree: SimTree, pf: PfView, address: PciAddress): DeviceHandle {
  const devPath = `${dirname(pf.dev.devPath)}/${address}`;
  return { address, devPath, dir: tree.deviceDir(devPath) };
}

function groupsHolding(tree: SimTree, addresses: ReadonlySet<string>): Array<{ number: number; members: PciAddress[] }> {
  let groups: string[];
  try {
    groups = readdirSync(tree.paths.iommuGroups);
  } catch {
    return [];
  }
  const out: Array<{ number: number; members: PciAddress[] }> = [];
  for (const group of groups) {
    let devices: string[];
    try {
      devices = readdirSync(join(tree.paths.iommuGroups, group, 'devices'));
    } catch {
      continue;
    }
    const members = devices.filter((d) => addresses.has(d)) as PciAddress[];
    if (members.length > 0) out.push({ number: Number(group), members });
  }
  return out;
}
