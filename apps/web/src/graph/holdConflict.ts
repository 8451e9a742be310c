import type { Vf, VmState } from '@vfmap/model';

/**
 * A VF a VM's configuration names while the VM runs, yet a host driver (mlx5_core, iavf, ...)
 * holds it: the VM cannot have it, so its start or the hot-plug failed. The page shows this as
 * one state with a warning, never "held by" and "bound to a host driver" side by side.
 * Null when the facts agree (no holder, a pending change, a stopped VM, vfio or no driver).
 */
export interface HoldConflict {
  vmId: string;
  vmName: string;
  driver: string;
  warning: string;
}

export const HOLD_CONFLICT_WARNING = "VM config names this VF, but the host driver holds it: the VM's start or hot-plug failed";

/** vfio-pci and its vendor variants (mlx5_vfio_pci, ice_vfio_pci, ...) are what a VM holds a VF through. */
export function isVfioDriver(driver: string): boolean {
  return driver === 'vfio-pci' || driver === 'vfio_pci' || /_vfio_pci$/.test(driver);
}

export function holdConflictOf(vf: Pick<Vf, 'holder' | 'driver'>, vmState: VmState | null): HoldConflict | null {
  const h = vf.holder;
  if (!h || h.pending) return null;
  // A running process that holds it is what it is; only a configuration's claim can be stale.
  if (h.source === 'running') return null;
  if (vmState !== 'running' && vmState !== 'paused') return null;
  if (vf.driver === null || isVfioDriver(vf.driver)) return null;
  return { vmId: h.vmId, vmName: h.vmName, driver: vf.driver, warning: `${HOLD_CONFLICT_WARNING} (it is bound to ${vf.driver}).` };
}
