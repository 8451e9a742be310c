import { HypervisorError } from '@vfmap/hypervisors';
import type { HelperFailure, HelperRefusalReason } from '@vfmap/model';
import { SysfsError } from '@vfmap/sysfs';
import { NoKernelError } from '../errors';

/**
 * The root helper refused a message before acting on it: it is not one of the messages it knows,
 * or a value in it failed the helper's own check (an address that is not one, or names no device;
 * a count beyond sriov_totalvfs; a VM id the hypervisor would not accept), or the peer is not the
 * HTTP side's user. The HTTP side validates first, so on a request it sent this means a race (a
 * device gone meanwhile) or a bug; the problem table answers it as an internal error.
 */
export class HelperRefused extends Error {
  override readonly name = 'HelperRefused';
  constructor(
    readonly reason: HelperRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** An error as the helper sends it: the typed ones as data, so the HTTP side rebuilds the same class with the same fields. */
export function toHelperFailure(err: unknown): HelperFailure {
  const stack = err instanceof Error && err.stack ? { stack: err.stack } : {};
  if (err instanceof HelperRefused) return { type: 'HelperRefused', reason: err.reason, message: err.message };
  if (err instanceof SysfsError) return { type: 'SysfsError', code: err.code, path: err.path, message: err.message, ...stack };
  if (err instanceof NoKernelError) return { type: 'NoKernelError', message: err.message, ...stack };
  if (err instanceof HypervisorError) {
    return { type: 'HypervisorError', code: err.code, command: err.command ? [...err.command] : null, exitStatus: err.exitStatus, stderr: err.stderr, message: err.message, ...stack };
  }
  if (err instanceof Error) return { type: 'Error', name: err.name, message: err.message, ...stack };
  return { type: 'Error', name: 'Error', message: String(err) };
}

export function fromHelperFailure(f: HelperFailure): Error {
  const err = rebuild(f);
  if ('stack' in f && f.stack) err.stack = f.stack;
  return err;
}

function rebuild(f: HelperFailure): Error {
  switch (f.type) {
    case 'SysfsError':
      return new SysfsError(f.code, f.path, f.message);
    case 'NoKernelError':
      return new NoKernelError(f.message);
    case 'HypervisorError':
      return new HypervisorError(f.message, { code: f.code, command: f.command, exitStatus: f.exitStatus, stderr: f.stderr });
    case 'HelperRefused':
      return new HelperRefused(f.reason, f.message);
    case 'Error': {
      const err = new Error(f.message);
      err.name = f.name;
      return err;
    }
  }
}
