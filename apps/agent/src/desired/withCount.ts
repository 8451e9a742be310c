import type { DesiredPfState, Pf } from '@vfmap/model';

/**
 * The desired state after a count change: the count (and the card it is for), with every other
 * kept setting unchanged — but the settings and drivers of VFs at or above the new count, which
 * no longer exist. The same count for the same card keeps when it was set.
 */
export function withCount(current: DesiredPfState | null, pf: Pick<Pf, 'vendorId' | 'deviceId'>, count: number, now: Date): DesiredPfState {
  if (current && current.count === count && current.vendorId === pf.vendorId && current.deviceId === pf.deviceId) return current;
  return {
    stableMacs: false,
    driversAutoprobe: null,
    ...current,
    count,
    vendorId: pf.vendorId,
    deviceId: pf.deviceId,
    setAt: now.toISOString(),
    vfs: (current?.vfs ?? []).filter((vf) => vf.index < count),
  };
}
