import type { DesiredPfState, Pf } from '@vfmap/model';

/**
 * What vfmap keeps per PF for the next boot (count, VF settings, drivers, autoprobe, stable MACs):
 * the one interface the operations, the persistence view and `vfmap apply-desired` use. The file
 * behind it is replaced atomically, one change at a time (issue 14; desiredNumVfs.ts kept only the
 * count).
 */
export interface DesiredStore {
  /** Every PF's desired state by PCI address; none when nothing is kept yet. */
  read(): Promise<Record<string, DesiredPfState>>;
  /**
   * Replaces what is kept for `pf` with `change(current)` (current null: nothing kept yet, or kept
   * for another card in that slot — other vendor or device id); `change` returning null removes it.
   * Serialized with every other change; resolves with what is kept now.
   */
  update(pf: Pick<Pf, 'address' | 'vendorId' | 'deviceId'>, change: (current: DesiredPfState | null) => DesiredPfState | null): Promise<DesiredPfState | null>;
  /**
   * Puts back exactly `entry` (null: nothing kept) for `address`, whatever card is there: what an
   * interrupted operation's before was (operations/interrupted.ts). Serialized like update.
   */
  restore(address: string, entry: DesiredPfState | null): Promise<void>;
}
