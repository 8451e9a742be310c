/** How a VF is bound, as sysfs reads it: its `driver` link and its `driver_override` (null: "(null)"). */
export interface VfBinding {
  driver: string | null;
  driverOverride: string | null;
}

/**
 * A VF's driver change that stopped at a step (kernel/vfDriverSteps.ts): which step, with the
 * kernel's errno, and how the VF is left. `undoFailed` null: the steps done before it were undone
 * and the VF is bound as it was; otherwise the undo failed too and `now` says what it left.
 */
export class VfDriverStepFailed extends Error {
  override readonly name = 'VfDriverStepFailed';
  constructor(
    message: string,
    readonly vf: string,
    readonly driver: 'vfio-pci' | null,
    /** The step that failed, in words. */
    readonly failed: string,
    /** Its errno; null when every write went through but the VF was not bound as asked after them. */
    readonly errno: string | null,
    readonly path: string | null,
    readonly undoFailed: string | null,
    /** The VF as re-read at the end. */
    readonly now: VfBinding,
  ) {
    super(message);
  }

  /** Every step done before the failure was undone. */
  get restored(): boolean {
    return this.undoFailed === null;
  }
}
