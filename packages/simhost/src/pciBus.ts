import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { attr, file, link, powerEntries, RO, WO, RW, type Entry } from './entries';
import type { SimTree } from './simTree';
import { linkTargets, upToSys } from './sysfsLinks';

export interface PciBusFacts {
  /** `0000:18` */
  name: string;
  /** The directory of the bridge (or host bridge) above the bus, under sys/devices. */
  ownerPath: string;
  cpus: { mask: string; list: string };
}

/** pci_bus/<dddd:bb>/ under the bridge that owns the bus (drivers/pci/probe.c, pci_bus class). */
export function pciBusEntries(b: PciBusFacts): Entry[] {
  const prefix = `pci_bus/${b.name}`;
  const owner = b.ownerPath.slice(b.ownerPath.lastIndexOf('/') + 1);
  return [
    { kind: 'dir', path: prefix },
    attr(`${prefix}/cpuaffinity`, RO, b.cpus.mask),
    attr(`${prefix}/cpulistaffinity`, RO, b.cpus.list),
    link(`${prefix}/device`, `../../../${owner}`),
    ...powerEntries(`${prefix}/`, { wakeup: false, activeTime: 0, usage: 0 }),
    file(`${prefix}/rescan`, WO, ''),
    link(`${prefix}/subsystem`, `../../${upToSys(b.ownerPath)}class/pci_bus`),
    file(`${prefix}/uevent`, RW, ''),
  ];
}

/** Creates the bus entry and its sys/class/pci_bus link, unless the bus is there already. */
export function addPciBus(tree: SimTree, b: PciBusFacts, write: (dir: string, entries: Entry[]) => void): void {
  const ownerDir = tree.deviceDir(b.ownerPath);
  if (existsSync(join(ownerDir, 'pci_bus', b.name))) return;
  if (!existsSync(join(ownerDir, 'pci_bus'))) mkdirSync(join(ownerDir, 'pci_bus'));
  write(ownerDir, pciBusEntries(b).filter((e) => e.path !== 'pci_bus'));
  mkdirSync(tree.paths.classPciBus, { recursive: true });
  tree.symlink(linkTargets.classPciBus(`${b.ownerPath}/pci_bus/${b.name}`), join(tree.paths.classPciBus, b.name));
}

/** virtfn_remove_bus(): a virtual bus goes with its last VF. */
export function removePciBus(tree: SimTree, ownerPath: string, name: string): void {
  tree.unlinkIfExists(join(tree.paths.classPciBus, name));
  const dir = join(tree.deviceDir(ownerPath), 'pci_bus');
  rmSync(join(dir, name), { recursive: true, force: true });
  if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
}
