import { SysfsError } from '@vfmap/sysfs';

/**
 * The errors sysfs reads and writes throw, as one type. realKernel() throws SysfsError already;
 * the simulated kernel, and an fs call the reader does not expect to fail (a stat of pci.ids
 * below a file), throw errors shaped like Node's (`code`, negative `errno`, `path`). Anything
 * else (a bug) is left as it is. `path` is what was written, when the caller knows it.
 */
export function asSysfsError(err: unknown, path?: string): unknown {
  if (err instanceof SysfsError) return err;
  const e = err as { code?: unknown; path?: unknown; message?: unknown } | null;
  const code = e?.code;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return err;
  const where = path ?? (typeof e?.path === 'string' ? e.path : '');
  return new SysfsError(code, where, typeof e?.message === 'string' ? e.message : code);
}
