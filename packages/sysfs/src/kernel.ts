import { writeFileSync } from 'node:fs';

/**
 * The one way vfmap writes to the kernel: a sysfs attribute, by absolute path.
 * The real kernel and the simulated one (packages/simhost) both implement it, so the
 * operations code never knows which it talks to.
 */
export interface Kernel {
  /** Writes `value` to the attribute at `path`; throws a SysfsError carrying the errno code. */
  writeAttribute(path: string, value: string): void;
}

/** An errno from the kernel (or the simulated kernel) for a sysfs read or write. */
export class SysfsError extends Error {
  override readonly name = 'SysfsError';
  constructor(
    /** errno name as Node reports it: 'EBUSY', 'ERANGE', 'EINVAL', 'ENOENT', 'EACCES', ... */
    readonly code: string,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The real kernel: a plain write(2) of the whole value, as `echo N > file` does. */
export function realKernel(): Kernel {
  return {
    writeAttribute(path, value) {
      try {
        writeFileSync(path, value);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new SysfsError(e.code ?? 'EIO', path, e.message);
      }
    },
  };
}
