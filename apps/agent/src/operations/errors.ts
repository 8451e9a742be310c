import type { Pf, RefusalProblem, Vf, VfSettingName } from '@vfmap/model';

/** RFC 9457 members that server/problems.ts fills in; a refusal carries the rest. */
type ProblemHeadKey = 'type' | 'status' | 'title' | 'detail' | 'instance';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Why the agent did not attempt an operation, and what goes with the reason (the VMs involved,
 * the IOMMU group's members...): exactly the fields the model's problem variant for that reason
 * has, so the compiler refuses a refusal the API could not describe. server/problems.ts maps
 * each reason to its problem type and status.
 */
export type Refusal = DistributiveOmit<RefusalProblem, ProblemHeadKey>;
export type { RefusalReason } from '@vfmap/model';

export class OperationRefused extends Error {
  override readonly name = 'OperationRefused';
  constructor(
    readonly refusal: Refusal,
    message: string,
  ) {
    super(message);
  }

  get reason(): Refusal['reason'] {
    return this.refusal.reason;
  }
}

/** A sriov_numvfs write the kernel refused before anything changed. */
export class KernelWriteFailed extends Error {
  override readonly name = 'KernelWriteFailed';
  constructor(
    message: string,
    /** errno name: 'EBUSY', 'ERANGE', 'EINVAL', 'ENOENT', 'EACCES', ... */
    readonly errno: string,
    readonly path: string,
    readonly pf: string,
    readonly value: string,
  ) {
    super(message);
  }
}

/**
 * A count change that stopped half-way: the kernel took "0" (every VF is gone) and then refused
 * the new count. The PF is left with no VFs, which is what the problem must say.
 */
export class PartialNumVfsChange extends Error {
  override readonly name = 'PartialNumVfsChange';
  constructor(
    message: string,
    /** The errno of the refused write, or null when it failed without one (the write worker died). */
    readonly errno: string | null,
    readonly path: string,
    readonly pf: string,
    readonly previousCount: number,
    readonly requested: number,
    /** sriov_numvfs as re-read after the refusal (0 unless something else wrote meanwhile); null when the re-read failed. */
    readonly countNow: number | null,
    /** The PF as re-read, when the re-read worked. */
    readonly pfNow: Pf | null,
  ) {
    super(message);
  }
}

/**
 * If-Match named neither the host topology's ETag nor the PF's as they are when the write's turn
 * on the PF comes: the host moved after the client read it, and nothing was attempted.
 */
export class PreconditionFailed extends Error {
  override readonly name = 'PreconditionFailed';
  constructor(
    message: string,
    /** The topology's ETag now. */
    readonly etag: string,
    /** The PF's ETag now. */
    readonly pfEtag: string,
    readonly pf: string,
  ) {
    super(message);
  }
}

/** A kernel write that has not returned: 504 for the operation that made it, 409 for the ones after it (hungWrites.ts). */
export class KernelWriteHung extends Error {
  override readonly name = 'KernelWriteHung';
  constructor(
    message: string,
    readonly status: 409 | 504,
    readonly path: string,
    readonly pf: string,
    readonly value: string,
    readonly waitedMs: number,
  ) {
    super(message);
  }
}

/**
 * A multi-step operation (prepare, re-apply) that stopped at one step: the steps before it are
 * done and stay done; the problem lists both, with the PF as re-read. `refused`: the host refused
 * the step (409) rather than the agent failing (500).
 */
export class StepsStopped extends Error {
  override readonly name = 'StepsStopped';
  constructor(
    message: string,
    readonly pf: string,
    readonly done: readonly string[],
    readonly failed: string,
    /** Why the step failed, as the kernel or the step said. */
    readonly why: string,
    readonly refused: boolean,
    readonly pfNow: Pf | null,
  ) {
    super(message);
  }
}

/**
 * A VF setting that `ip link set dev <pf> vf N …` did not apply (the PF's driver refused it, or
 * `ip` failed): the settings of the same change applied before it stay applied, and are named
 * here in order, so the answer says exactly what state the VF was left in.
 */
export class VfSettingRefused extends Error {
  override readonly name = 'VfSettingRefused';
  constructor(
    message: string,
    readonly details: {
      pf: string;
      interface: string;
      vfIndex: number;
      driver: string | null;
      setting: VfSettingName;
      command: string[];
      exitStatus: number | null;
      errno: string | null;
      stderr: string;
      applied: VfSettingName[];
      /** The refusal was said by `ip` not finishing in time. */
      timedOut?: boolean;
      vf?: string;
      vfNow?: Vf;
    },
  ) {
    super(message);
  }

  /** The same refusal, with what the operation knows besides: the VF's address and how it reads now. */
  with(extra: { vf: string; vfNow?: Vf | null; message?: string }): VfSettingRefused {
    const { vfNow, message, ...rest } = extra;
    return new VfSettingRefused(message ?? this.message, { ...this.details, ...rest, ...(vfNow ? { vfNow } : {}) });
  }
}
