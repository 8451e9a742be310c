import type { DesiredPfState, Pf } from '@vfmap/model';
import type { DesiredStore } from '../desired/desiredStore';
import { withStableMacs } from './stableMacsDesired';

export interface DesiredCountDeps {
  desired: DesiredStore;
  /** The stable MAC of each VF index below `count` of the PF. */
  stableMacs(pf: Pf, count: number): Promise<string[]>;
  now: () => Date;
}

/**
 * A count change through PUT …/numvfs on a PF vfmap keeps a desired state for: the kept count
 * follows it, before the live write (so a stop in between shows as "desired differs from live",
 * and re-apply never puts back the count the operator just changed), with the stable MAC of each
 * new VF index where stable MACs are on. Nothing kept: nothing is made up (the counts file keeps
 * the count). Answers the state before, to put back when the kernel refuses the write; null when
 * nothing changed.
 */
export async function followCount(deps: DesiredCountDeps, pf: Pf, count: number): Promise<{ previous: DesiredPfState } | null> {
  const kept = (await deps.desired.read())[pf.address];
  if (!kept || kept.vendorId !== pf.vendorId || kept.deviceId !== pf.deviceId || kept.count === count) return null;
  let macs: string[] = [];
  if (kept.stableMacs && count > kept.count) {
    try {
      macs = await deps.stableMacs(pf, count);
    } catch {
      // No permanent MAC now: the new VFs' MACs are derived when they are given (which then says why not).
    }
  }
  const next = withStableMacs({ ...kept, count }, kept.stableMacs, macs, deps.now());
  await deps.desired.update(pf, () => next);
  return { previous: kept };
}

/** Puts the kept state back after a refused write (nothing changed on the host); a failure to do so leaves "desired differs from live", which the page shows. */
export async function restoreCount(deps: Pick<DesiredCountDeps, 'desired'>, pf: Pf, previous: DesiredPfState): Promise<void> {
  try {
    await deps.desired.update(pf, () => previous);
  } catch {
    // See above.
  }
}
