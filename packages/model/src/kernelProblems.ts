import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';
import { problemVariant, ProblemType } from './problemBase';
import { Pf } from './topology';

/** What the kernel refused, with its errno: the agent explains it, the client may switch on it. */

export const KernelWriteHungProblem = problemVariant(ProblemType.kernel, [409, 504], {
  reason: z.literal('write-hung'),
  errno: z.literal('ETIMEDOUT').describe('no errno came back: the write had not returned when the agent stopped waiting'),
  path: z.string().describe('the sriov_numvfs file written'),
  pf: PciAddress,
  value: z.string().describe('the value being written'),
  waitedMs: z.number().int().nonnegative().describe('how long the write has been running'),
}).describe(
  'a sriov_numvfs write did not return within --write-timeout-ms (504): the kernel is still at it (a VF removal waits for a held VF\'s driver). The write goes on; until it returns, every operation on that PF is refused at once with this problem (409), and the PF is re-read when it does',
);

export const NumVfsWriteRefusedProblem = problemVariant(ProblemType.kernel, [409, 422, 500], {
  errno: z.string().describe('the errno name of the refused write: EBUSY, ENOENT (no PF driver), ERANGE, EINVAL, EACCES, EROFS...'),
  path: z.string().describe('the sriov_numvfs file written'),
  pf: PciAddress,
  value: z.string().describe('the value the kernel refused'),
}).describe('the kernel refused a sriov_numvfs write before anything changed: 409 for the state of the host, 422 for the value, 500 for the agent');

export const SysfsProblem = problemVariant(ProblemType.kernel, [500], {
  errno: z.string(),
  path: z.string(),
}).describe('a sysfs file could not be read or written');

export const NoKernelProblem = problemVariant(ProblemType.kernel, [409], {
  reason: z.literal('no-kernel'),
}).describe('the agent was started with --kernel none (a captured tree): it writes no VF count; assignments still work');

export const PartialProblem = problemVariant(ProblemType.partial, [500], {
  errno: z.string().nullable().describe('the errno of the refused count, null when the write failed without one'),
  path: z.string(),
  stoppedAt: z
    .object({
      numVfs: z.number().int().nonnegative().nullable().describe('sriov_numvfs as re-read after the refusal; null when it could not be read'),
      wrote: z.literal('0').describe('the write that went through: every VF is gone'),
      refused: z.string().describe('the count the kernel then refused'),
    })
    .describe('where the change stopped'),
  previousCount: z.number().int().nonnegative(),
  requested: z.number().int().nonnegative(),
  pf: PciAddress,
  pfNow: Pf.optional().describe('the PF as re-read, when the re-read worked'),
}).describe('a count change stopped half-way: "0" was written (every VF destroyed), then the new count refused');

export const StepsStoppedProblem = problemVariant(ProblemType.partial, [409, 500], {
  reason: z.literal('steps-stopped'),
  pf: PciAddress,
  done: z.array(z.string()).describe('the steps that were done, in order, in words'),
  failed: z.string().describe('the step that failed'),
  cause: z.string().describe('why it failed, as the kernel or the step said'),
  pfNow: Pf.optional().describe('the PF as re-read after the failure, when the re-read worked'),
}).describe(
  'a multi-step operation (prepare, re-apply) stopped at a step: the steps before it are done and stay done (the desired state, written first, still says what was asked, so the PF shows as differing from it); 409 when the host refused the step, 500 otherwise',
);

const vfDriverStepFields = {
  vf: PciAddress,
  driver: z.literal('vfio-pci').nullable().describe('the driver asked for (null: the host driver)'),
  failed: z.string().describe('the step that failed, in words'),
  errno: z.string().nullable().describe('its errno; null when every write went through but the VF did not end up bound as asked'),
  path: z.string().nullable().describe('the sysfs file of the failed write; null when no write failed'),
  driverNow: z.string().nullable().describe('the driver the VF is bound to now, as re-read (null: none)'),
  driverOverrideNow: z.string().nullable().describe("the VF's driver_override now, as re-read (null: cleared)"),
};

export const VfDriverFailedProblem = problemVariant(ProblemType.kernel, [409, 500], {
  reason: z.literal('vf-driver-failed'),
  ...vfDriverStepFields,
}).describe(
  "a step of a VF's driver change (driver_override, unbind, drivers_probe) failed, or the VF was not bound as asked after it; the steps done before it were undone, so the VF is bound as it was: 409 for the host's state, 500 when the agent may not write",
);

export const VfDriverPartialProblem = problemVariant(ProblemType.partial, [500], {
  reason: z.literal('vf-driver-partial'),
  ...vfDriverStepFields,
  undoFailed: z.string().describe('the undo step that failed too, and why: the VF is left as driverNow and driverOverrideNow say'),
}).describe("a VF's driver change failed and could not be undone: driverNow and driverOverrideNow say how the VF is left");
