import { HypervisorError } from '@vfmap/hypervisors';
import type { HelperFailure, HelperRefusalReason } from '@vfmap/model';
import { VfSettingRefused } from '../operations/errors';
import { VfDriverStepFailed } from '../operations/vfDriverErrors';
import { fromWorkerError, toWorkerError } from '../workerError';

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

/**
 * An error as the helper sends it: the typed ones as data, so the HTTP side rebuilds the same class
 * with the same fields — what a worker thread's errors carry (workerError.ts), and the hypervisor's
 * errors and the helper's own refusals besides.
 */
export function toHelperFailure(err: unknown): HelperFailure {
  const stack = err instanceof Error && err.stack ? { stack: err.stack } : {};
  if (err instanceof HelperRefused) return { type: 'HelperRefused', reason: err.reason, message: err.message };
  if (err instanceof VfDriverStepFailed) {
    const { vf, driver, failed, errno, path, undoFailed, now, message } = err;
    return { type: 'VfDriverStepFailed', vf, driver, failed, errno, path, undoFailed, driverNow: now.driver, driverOverrideNow: now.driverOverride, message };
  }
  if (err instanceof HypervisorError) {
    return { type: 'HypervisorError', code: err.code, command: err.command ? [...err.command] : null, exitStatus: err.exitStatus, stderr: err.stderr, message: err.message, ...stack };
  }
  if (err instanceof VfSettingRefused) {
    const d = err.details;
    return {
      type: 'VfSettingRefused',
      message: err.message,
      pf: d.pf,
      interface: d.interface,
      vfIndex: d.vfIndex,
      driver: d.driver,
      setting: d.setting,
      command: [...d.command],
      exitStatus: d.exitStatus,
      errno: d.errno,
      stderr: d.stderr,
      applied: [...d.applied],
      timedOut: d.timedOut ?? false,
      ...stack,
    };
  }
  return toWorkerError(err);
}

export function fromHelperFailure(f: HelperFailure): Error {
  switch (f.type) {
    case 'HypervisorError': {
      const err = new HypervisorError(f.message, { code: f.code, command: f.command, exitStatus: f.exitStatus, stderr: f.stderr });
      if (f.stack) err.stack = f.stack;
      return err;
    }
    case 'HelperRefused':
      return new HelperRefused(f.reason, f.message);
    case 'VfSettingRefused': {
      const { type: _type, message, stack, timedOut, ...details } = f;
      const err = new VfSettingRefused(message, { ...details, ...(timedOut ? { timedOut } : {}) });
      if (stack) err.stack = stack;
      return err;
    }
    case 'VfDriverStepFailed':
      return new VfDriverStepFailed(f.message, f.vf, f.driver, f.failed, f.errno, f.path, f.undoFailed, { driver: f.driverNow, driverOverride: f.driverOverrideNow });
    default:
      return fromWorkerError(f);
  }
}
