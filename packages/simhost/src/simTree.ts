import { existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { PciAddress } from '@vfmap/model';
import { readKernelState, writeKernelState, type KernelState } from './kernelState';
import { replaceFile } from './replaceFile';
import { simPaths, type SimPaths } from './simPaths';

/** A PCI function in the tree: its address and where its directory is. */
export interface DeviceHandle {
  address: PciAddress;
  /** Under sys/devices: `pci0000:00/0000:00:02.0/0000:01:00.0`. */
  devPath: string;
  dir: string;
}

const BUS_DEVICE_PREFIX = '../../../devices/';

/**
 * The simulated host's tree and the kernel's notes beside it: what the generator and the
 * simulated kernel both work on. Nothing is cached between calls except the notes, which are
 * saved whenever they change, so several SimTrees over one root stay consistent.
 */
export class SimTree {
  readonly paths: SimPaths;
  private dirty = false;

  constructor(
    root: string,
    public state: KernelState,
  ) {
    this.paths = simPaths(root);
  }

  static open(root: string): SimTree {
    return new SimTree(root, readKernelState(simPaths(root)));
  }

  deviceDir(devPath: string): string {
    return join(this.paths.sysDevices, devPath);
  }

  /** The function at `address`, found through sys/bus/pci/devices as a reader finds it. */
  device(address: string): DeviceHandle | null {
    let target: string;
    try {
      target = readlinkSync(join(this.paths.busPciDevices, address));
    } catch {
      return null;
    }
    if (!target.startsWith(BUS_DEVICE_PREFIX)) return null;
    const devPath = target.slice(BUS_DEVICE_PREFIX.length).replace(/\/$/, '');
    return { address: address as PciAddress, devPath, dir: this.deviceDir(devPath) };
  }

  /** The function whose directory is `dir` (an absolute path under sys/devices), or null. */
  deviceAtDir(dir: string): DeviceHandle | null {
    const prefix = `${this.paths.sysDevices}/`;
    if (!dir.startsWith(prefix)) return null;
    const devPath = dir.slice(prefix.length);
    const address = devPath.slice(devPath.lastIndexOf('/') + 1);
    const found = this.device(address);
    return found && found.devPath === devPath ? found : null;
  }

  readAttr(dev: DeviceHandle, name: string): string | null {
    try {
      return readFileSync(join(dev.dir, name), 'utf8').replace(/\n$/, '');
    } catch {
      return null;
    }
  }

  readLinkName(dev: DeviceHandle, name: string): string | null {
    try {
      const target = readlinkSync(join(dev.dir, name));
      return target.slice(target.lastIndexOf('/') + 1);
    } catch {
      return null;
    }
  }

  /** Replaces an attribute's value atomically (see replaceFile). */
  writeAttr(path: string, value: string, mode: number): void {
    this.ensureStaging();
    replaceFile(path, value, mode, this.paths.staging);
  }

  private stagingReady = false;

  ensureStaging(): void {
    if (this.stagingReady) return;
    if (!existsSync(this.paths.staging)) mkdirSync(this.paths.staging, { recursive: true });
    this.stagingReady = true;
  }

  /** A fresh directory in the staging area, gone from any earlier run. */
  stagingDir(name: string): string {
    this.ensureStaging();
    const dir = join(this.paths.staging, name);
    try {
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Left by a run that died halfway: start again.
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
    }
    return dir;
  }

  symlink(target: string, path: string): void {
    symlinkSync(target, path);
  }

  unlinkIfExists(path: string): void {
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  allocIrqs(count: number): number[] {
    const first = this.state.nextIrq;
    this.state.nextIrq += count;
    this.dirty = count > 0 || this.dirty;
    return Array.from({ length: count }, (_, i) => first + i);
  }

  markDirty(): void {
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    writeKernelState(this.paths, this.state);
    this.dirty = false;
  }
}
