import { getSystemErrorMap } from 'node:util';

/** The errno values the simulated kernel answers with; Node reports them negative. */
export const ERRNO = {
  ENOENT: -2,
  EIO: -5,
  ENODEV: -19,
  EACCES: -13,
  EBUSY: -16,
  ENOMEM: -12,
  EINVAL: -22,
  EISDIR: -21,
  ERANGE: -34,
} as const;
export type ErrnoCode = keyof typeof ERRNO;

export interface ErrnoError extends Error {
  code: ErrnoCode;
  errno: number;
  syscall: 'open' | 'write';
  path: string;
}

/**
 * An error shaped like the one fs.writeFileSync throws for the same errno: the same `code`,
 * negative `errno`, `syscall` and libuv's message ("EBUSY: resource busy or locked, write").
 * Node leaves `path` off errors of the write(2) step; this adds it, since the caller always
 * knows which attribute it wrote and error handlers want it.
 */
export function errnoError(code: ErrnoCode, syscall: 'open' | 'write', path: string): ErrnoError {
  const errno = ERRNO[code];
  const description = getSystemErrorMap().get(errno)?.[1] ?? code.toLowerCase();
  const message = syscall === 'open' ? `${code}: ${description}, open '${path}'` : `${code}: ${description}, write`;
  const err = new Error(message) as ErrnoError;
  err.errno = errno;
  err.code = code;
  err.syscall = syscall;
  err.path = path;
  return err;
}
