import { existsSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { errnoError } from './errno';
import { finishInterruptedWrite } from './interruptedWrite';
import { readFaults, removeDelayMs, writeFault, type Fault } from './faults';
import { withKernelLock } from './kernelLock';
import type { NumvfsIntent } from './numvfsIntent';
import { simPaths } from './simPaths';
import { SimTree } from './simTree';
import { storeAutoprobe } from './storeAutoprobe';
import type { DeviceStoreContext, StoreContext } from './storeContext';
import { storeBind, storeDriversProbe, storeUnbind } from './storeDriverFiles';
import { storeDriverOverride } from './storeDriverOverride';
import { storeSriovNumvfs } from './storeSriovNumvfs';
import type { VfTiming } from './virtfns';

export interface SimKernelOptions {
  /** Artificial time per VF created by a sriov_numvfs write (default 0). */
  enableDelayMs?: number;
  /** Artificial time per VF removed (default 0). */
  disableDelayMs?: number;
  /** Artificial time once per enable, before any VF appears (default 0). */
  enableFixedMs?: number;
  /** Artificial time once per disable, after the VFs are gone and before sriov_numvfs reads 0 (default 0). */
  disableFixedMs?: number;
  /** The writer's uid: sysfs attributes are root's, so any other uid gets EACCES (probe.txt: uid 65534). */
  uid?: number;
  /**
   * Faults in force from the start (faults.ts), on top of the ones in the tree's fault file
   * (setFaults), which the kernel reads again at every write so a test can change them.
   */
  faults?: Fault[];
}

/**
 * The real kernel's pace (probe.txt, Linux 6.1 in QEMU): enabling 4-8 VFs took 115-215 ms, the
 * 100 ms sriov_enable() sleeps after VF Enable plus a little per VF; disabling took 1.0-1.5 s,
 * the second sriov_disable() sleeps plus a little per VF. For a demo that should feel like one.
 */
export const REAL_KERNEL_TIMING: Required<Pick<SimKernelOptions, 'enableDelayMs' | 'disableDelayMs' | 'enableFixedMs' | 'disableFixedMs'>> = {
  enableFixedMs: 100,
  enableDelayMs: 12,
  disableFixedMs: 1000,
  disableDelayMs: 25,
};

/** Structurally the `Kernel` of @vfmap/sysfs: one synchronous write of a sysfs attribute. */
export interface SimKernel {
  writeAttribute(path: string, value: string): void;
}

/** store() methods of PCI function attributes the simulated kernel implements. */
const deviceStores: Record<string, (ctx: DeviceStoreContext) => void> = {
  sriov_numvfs: storeSriovNumvfs,
  sriov_drivers_autoprobe: storeAutoprobe,
  driver_override: storeDriverOverride,
};

/**
 * A simulated kernel over a generated tree. A write is resolved the way open(2) + write(2) on
 * sysfs are: through symlinks (sys/bus/pci/devices/<addr>/...), refused with EACCES when the
 * attribute does not exist (sysfs refuses O_CREAT) or is read-only, then handed to the store()
 * of that attribute — sriov_numvfs, sriov_drivers_autoprobe, driver_override, drivers_probe,
 * drivers/<name>/bind and unbind behave as in Linux 6.1 (see the store*.ts files and
 * fixtures/realkernel/probe.txt). Any other attribute under sys/ just takes the value;
 * write-only ones (remove, reset, rescan...) take it and keep nothing. Paths outside sys/ are
 * plain files. Errors look like fs.writeFileSync's: `code`, negative `errno`, `syscall`, `path`.
 */
export function createSimKernel(root: string, options: SimKernelOptions = {}): SimKernel {
  const rootDir = realpathOr(resolve(root));
  const timing: VfTiming = {
    enableDelayMs: options.enableDelayMs ?? 0,
    disableDelayMs: options.disableDelayMs ?? 0,
    enableFixedMs: options.enableFixedMs ?? 0,
    disableFixedMs: options.disableFixedMs ?? 0,
  };
  const uid = options.uid ?? 0;
  // A writer killed during a sriov_numvfs change left it half-done: finish it first, as the real
  // kernel finishes a write whatever becomes of the process that made it.
  settleSimKernel(rootDir);

  return {
    writeAttribute(path: string, value: string): void {
      const sysDir = join(rootDir, 'sys');
      const target = resolveTarget(path);
      if (target === null || !isInside(realpathOr(sysDir), target)) {
        writeFileSync(path, value);
        return;
      }
      let mode: number;
      try {
        const st = statSync(target);
        if (st.isDirectory()) throw errnoError('EISDIR', 'open', path);
        mode = st.mode;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw errnoError('EACCES', 'open', path);
        throw err;
      }
      // kernfs_fop_open(): no write bit at all → EACCES, even for root. Everything is root's 0644 or stricter.
      if ((mode & 0o222) === 0 || uid !== 0) throw errnoError('EACCES', 'open', path);
      // A zero-length write never reaches store() (probe.txt: value "" → OK, nothing happens).
      if (value.length === 0) return;

      withKernelLock(simPaths(rootDir), () => {
        // Opened under the lock: another writer's changes to the notes are in.
        const tree = SimTree.open(rootDir);
        finishInterruptedWrite(tree);
        const faults = [...(options.faults ?? []), ...readFaults(rootDir)];
        const delay = removeDelayMs(faults);
        const ctx: StoreContext = { tree, path, value, timing: delay > 0 ? { ...timing, disableFixedMs: timing.disableFixedMs + delay } : timing, faults };
        try {
          dispatch(ctx, target, mode);
        } finally {
          tree.save();
        }
      });
    },
  };
}

/**
 * Finishes a sriov_numvfs change that a killed writer left half-done (interruptedWrite.ts), under
 * the kernel lock; returns it, or null when there was none. Making a simulated kernel does this
 * too; the agent calls it at start, before its first scan, so that it reads what the real kernel
 * would show.
 */
export function settleSimKernel(root: string): NumvfsIntent | null {
  const rootDir = realpathOr(resolve(root));
  if (!existsSync(simPaths(rootDir).simState)) return null;
  return withKernelLock(simPaths(rootDir), () => {
    const tree = SimTree.open(rootDir);
    const finished = finishInterruptedWrite(tree);
    tree.save();
    return finished;
  });
}

function dispatch(ctx: StoreContext, target: string, mode: number): void {
  const { paths } = ctx.tree;
  const name = basename(target);
  const parent = dirname(target);

  if (parent === realpathOr(paths.busPci) && name === 'drivers_probe') return storeDriversProbe(ctx);
  const driverDir = dirname(parent) === realpathOr(paths.busPciDrivers);
  if (driverDir) failIfFaulted(ctx, name, basename(parent));
  if (driverDir && (name === 'bind' || name === 'unbind')) {
    const driver = basename(parent);
    return name === 'bind' ? storeBind(ctx, driver) : storeUnbind(ctx, driver);
  }
  const store = deviceStores[name];
  if (store) {
    const dev = ctx.tree.deviceAtDir(parent);
    if (dev) failIfFaulted(ctx, name, dev.address);
    if (dev) return store({ ...ctx, dev });
  }
  // Write-only attributes are actions (remove, reset, rescan, new_id...): nothing to keep.
  if ((mode & 0o444) === 0) return;
  ctx.tree.writeAttr(target, ctx.value, mode & 0o777);
}

/** A write the fault spec fails (faults.ts): it never reaches the attribute's store(). */
function failIfFaulted(ctx: StoreContext, file: string, owner: string): void {
  const err = writeFault(ctx.faults, ctx.path, file, owner);
  if (err) throw err;
}

/** The real path of the file a write would open: its directory resolved, its name kept. */
function resolveTarget(path: string): string | null {
  try {
    return join(realpathSync(dirname(resolve(path))), basename(path));
  } catch {
    return null;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
}
