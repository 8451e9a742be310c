import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { detachDriver } from './driverBinding';
import { errnoError } from './errno';
import { removeFromGroup, removeFromIommuUnit } from './iommuGroups';
import { withKernelLock } from './kernelLock';
import { replaceFile } from './replaceFile';
import { simPaths } from './simPaths';
import { SimTree } from './simTree';

/**
 * Faults the simulated kernel can be told to make, as plain data (a worker thread gets them in
 * workerData, tests and `--fault` write them to the tree's fault file). Modelled on libvirt's
 * virpcimock, which fails bind, unbind, new_id and remove_id per driver:
 *
 * | spec                              | what happens                                                                       |
 * | numvfs-write:<pf>=<ERRNO>         | a write of sriov_numvfs on <pf> ('*': any PF) fails with EBUSY/ENOENT/EIO/ERANGE/ENOMEM |
 * | vf-remove-delay=<n>ms|s           | a VF removal (sriov_numvfs "0") blocks this much longer, as when a VF's driver is held |
 * | bind:<driver> (unbind, new_id, remove_id) | that write under drivers/<driver>/ fails (=<ERRNO>, default ENODEV)         |
 * | vanish:<addr>                     | the PCI function is hot-unplugged: its directory goes, links to it dangle          |
 * | garbage:<attr>[@<addr>]           | the sysfs file <attr> (of <addr>, or of every function) reads as garbage            |
 */
export type Fault =
  | { kind: 'numvfs-write'; pf: string; errno: FaultErrno }
  | { kind: 'vf-remove-delay'; ms: number }
  | { kind: 'driver-file'; file: DriverFile; driver: string; errno: FaultErrno }
  | { kind: 'vanish'; address: string }
  | { kind: 'garbage'; attr: string; address: string | null };

export const FAULT_ERRNOS = ['EBUSY', 'ENOENT', 'EIO', 'ERANGE', 'ENOMEM', 'ENODEV', 'EINVAL'] as const;
export type FaultErrno = (typeof FAULT_ERRNOS)[number];
const DRIVER_FILES = ['bind', 'unbind', 'new_id', 'remove_id'] as const;
type DriverFile = (typeof DRIVER_FILES)[number];

const PCI_ADDRESS = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

/** One `--fault` value as a Fault; throws FaultSpecError saying what is wrong and what is allowed. */
export function parseFault(text: string): Fault {
  const m = /^([a-z_-]+)(?::([^=]*))?(?:=(.*))?$/.exec(text.trim());
  if (!m) throw new FaultSpecError(`--fault ${JSON.stringify(text)}: expected <kind>[:<target>][=<value>], e.g. numvfs-write:0000:18:00.0=EBUSY`);
  const [, kind, target, value] = m as unknown as [string, string, string | undefined, string | undefined];
  const bad = (why: string): never => {
    throw new FaultSpecError(`--fault ${text}: ${why}`);
  };
  switch (kind) {
    case 'numvfs-write': {
      const pf = target ?? bad('name the PF: numvfs-write:<pci address or *>=<ERRNO>');
      if (pf !== '*' && !PCI_ADDRESS.test(pf)) bad(`"${pf}" is not a PCI address like 0000:18:00.0 (or *)`);
      return { kind, pf, errno: errnoOf(value ?? bad(`give the errno: =${FAULT_ERRNOS.join('|')}`), bad) };
    }
    case 'vf-remove-delay': {
      if (target !== undefined) bad('vf-remove-delay takes no target: vf-remove-delay=30s');
      const d = /^(\d+)(ms|s)$/.exec(value ?? '') ?? bad('give the delay as <n>ms or <n>s, e.g. vf-remove-delay=30s');
      return { kind, ms: Number(d[1]) * (d[2] === 's' ? 1000 : 1) };
    }
    case 'bind':
    case 'unbind':
    case 'new_id':
    case 'remove_id': {
      const driver = target ?? bad(`name the driver: ${kind}:<driver>`);
      if (!NAME.test(driver)) bad(`"${driver}" is not a driver name`);
      return { kind: 'driver-file', file: kind, driver, errno: value === undefined ? 'ENODEV' : errnoOf(value, bad) };
    }
    case 'vanish': {
      if (!target || !PCI_ADDRESS.test(target)) bad('name the PCI function: vanish:0000:18:01.0');
      if (value !== undefined) bad('vanish takes no value');
      return { kind, address: target! };
    }
    case 'garbage': {
      const [attr, address] = (target ?? bad('name the attribute: garbage:<attr>[@<pci address>]')).split('@') as [string, string | undefined];
      if (!NAME.test(attr)) bad(`"${attr}" is not a sysfs attribute name`);
      if (address !== undefined && !PCI_ADDRESS.test(address)) bad(`"${address}" is not a PCI address`);
      if (value !== undefined) bad('garbage takes no value');
      return { kind, attr, address: address ?? null };
    }
    default:
      return bad(`unknown fault "${kind}"; known: numvfs-write, vf-remove-delay, bind, unbind, new_id, remove_id, vanish, garbage`);
  }
}

function errnoOf(value: string, bad: (why: string) => never): FaultErrno {
  return (FAULT_ERRNOS as readonly string[]).includes(value) ? (value as FaultErrno) : bad(`errno "${value}" is not one of ${FAULT_ERRNOS.join(', ')}`);
}

/** The fault file of a simulated host: what its kernel reads at every write. */
export function faultFile(root: string): string {
  return join(simPaths(root).simState, 'faults.json');
}

/** The faults in force on the host under `root` (none when the file is absent). */
export function readFaults(root: string): Fault[] {
  const file = faultFile(root);
  if (!existsSync(file)) return [];
  return JSON.parse(readFileSync(file, 'utf8')) as Fault[];
}

/**
 * Puts `faults` in force on the host under `root`, replacing the ones before (`[]` clears them):
 * the kernel's faults take effect at its next write, on any thread; vanish and garbage change
 * the tree now, as a hot-unplug or a broken driver would (clearing does not bring them back).
 */
export function setFaults(root: string, faults: readonly Fault[]): void {
  const paths = simPaths(root);
  mkdirSync(paths.simState, { recursive: true });
  replaceFile(faultFile(root), `${JSON.stringify(faults)}\n`, 0o644, paths.simState);
  for (const fault of faults) {
    if (fault.kind === 'vanish') vanish(root, fault.address);
    if (fault.kind === 'garbage') garble(root, fault.attr, fault.address);
  }
}

/** The error a write must fail with under `faults`, or null. `file` is the attribute's name, `device` its PCI function or driver. */
export function writeFault(faults: readonly Fault[], path: string, file: string, owner: string): Error | null {
  for (const f of faults) {
    if (f.kind === 'numvfs-write' && file === 'sriov_numvfs' && (f.pf === '*' || f.pf === owner)) return errnoError(f.errno, 'write', path);
    if (f.kind === 'driver-file' && f.file === file && f.driver === owner) return errnoError(f.errno, 'write', path);
  }
  return null;
}

/** Extra time a VF removal takes under `faults`. */
export function removeDelayMs(faults: readonly Fault[]): number {
  return faults.reduce((ms, f) => (f.kind === 'vf-remove-delay' ? ms + f.ms : ms), 0);
}

/**
 * A hot-unplug as pciehp does it (pci_stop_and_remove_bus_device): the driver lets go, the
 * function leaves its IOMMU group and the bus, its directory goes. A VF's PF keeps its virtfnN
 * link, dangling — what a scan meets when a function goes while it reads.
 */
function vanish(root: string, address: string): void {
  const paths = simPaths(root);
  withKernelLock(paths, () => {
    const tree = SimTree.open(root);
    try {
      const dev = tree.device(address);
      if (!dev) return;
      detachDriver(tree, dev);
      const group = tree.readLinkName(dev, 'iommu_group');
      if (group !== null) removeFromGroup(tree, dev, Number(group));
      const unit = tree.readLinkName(dev, 'iommu');
      if (unit !== null) removeFromIommuUnit(tree, dev, unit);
      tree.unlinkIfExists(join(paths.busPciDevices, address));
      rmSync(dev.dir, { recursive: true, force: true });
    } finally {
      tree.save();
    }
  });
}

const GARBAGE = '\u0000\u00ff\u00fegarbage\u0007\n';

function garble(root: string, attr: string, address: string | null): void {
  const paths = simPaths(root);
  const addresses = address === null ? listDevices(paths.busPciDevices) : [address];
  for (const a of addresses) {
    const file = join(paths.busPciDevices, a, attr);
    const mode = fileMode(file);
    // A new inode: attributes of sibling functions may share one through hard links.
    if (mode !== null) replaceFile(file, GARBAGE, mode, paths.simState);
  }
}

function listDevices(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function fileMode(path: string): number | null {
  try {
    const st = lstatSync(path);
    return st.isFile() ? st.mode & 0o777 : null;
  } catch {
    return null;
  }
}
