import type { DesiredPfState, Pf } from '@vfmap/model';

/**
 * The changes a driver or autoprobe operation makes to a PF's desired state (desired/desiredStore.ts),
 * as pure functions of what is kept: nothing kept yet starts from the PF as it is (its live count,
 * nothing else managed).
 */

function startFrom(current: DesiredPfState | null, pf: Pick<Pf, 'numVfs' | 'vendorId' | 'deviceId'>, setAt: string): DesiredPfState {
  return current ?? { count: pf.numVfs, vendorId: pf.vendorId, deviceId: pf.deviceId, setAt, stableMacs: false, driversAutoprobe: null, vfs: [] };
}

/**
 * VF `index` kept on vfio-pci, or (null) on its host driver. A VF with no settings and the host
 * driver has nothing left to keep, and leaves the list ("only VFs with something kept").
 */
export function desiredWithVfDriver(current: DesiredPfState | null, pf: Pick<Pf, 'numVfs' | 'vendorId' | 'deviceId'>, index: number, driver: 'vfio-pci' | null, setAt: string): DesiredPfState {
  const base = startFrom(current, pf, setAt);
  const others = base.vfs.filter((v) => v.index !== index);
  const settings = base.vfs.find((v) => v.index === index)?.settings ?? {};
  const keep = driver !== null || Object.keys(settings).length > 0;
  const vfs = keep ? [...others, { index, settings, driver }].sort((a, b) => a.index - b.index) : others;
  return { ...base, setAt, vfs };
}

/** The PF's sriov_drivers_autoprobe kept as `enabled`. */
export function desiredWithAutoprobe(current: DesiredPfState | null, pf: Pick<Pf, 'numVfs' | 'vendorId' | 'deviceId'>, enabled: boolean, setAt: string): DesiredPfState {
  return { ...startFrom(current, pf, setAt), setAt, driversAutoprobe: enabled };
}
