import { errnoError, type ErrnoCode } from './errno';
import type { Fault } from './faults';
import type { DeviceHandle, SimTree } from './simTree';
import type { VfTiming } from './virtfns';

/** One write(2) reaching a sysfs store() of the simulated kernel. */
export interface StoreContext {
  tree: SimTree;
  /** The path as the caller wrote it (errors carry it). */
  path: string;
  /** The bytes written, as text. */
  value: string;
  timing: VfTiming;
  /** The faults in force for this write (faults.ts). */
  faults: readonly Fault[];
}

export interface DeviceStoreContext extends StoreContext {
  dev: DeviceHandle;
}

/** Fails the write the way the store's negative return fails write(2). */
export function fail(ctx: StoreContext, code: ErrnoCode): never {
  throw errnoError(code, 'write', ctx.path);
}

/** sysfs_streq(): equal, ignoring one trailing newline on either side. */
export function sysfsStreq(a: string, b: string): boolean {
  return a.replace(/\n$/, '') === b.replace(/\n$/, '');
}
