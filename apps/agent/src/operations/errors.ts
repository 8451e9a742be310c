import type { Pf } from '@vfmap/model';

/**
 * Why the agent did not attempt an operation. Each reason maps to one problem type and status
 * in server/problems.ts; `details` (the VMs involved, the IOMMU group's members...) go into the
 * problem as they are, for the page to show.
 */
export type RefusalReason =
  | 'unknown-pf'
  | 'not-a-pf'
  | 'count-out-of-range'
  | 'vfs-held'
  | 'unknown-vf'
  | 'not-a-vf'
  | 'vf-held'
  | 'vf-not-held'
  | 'iommu-group-shared'
  | 'no-iommu-group'
  | 'unknown-vm';

export class OperationRefused extends Error {
  override readonly name = 'OperationRefused';
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
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
