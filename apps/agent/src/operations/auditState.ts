import type { AuditPfState, AuditVfState, Pf, Vf } from '@vfmap/model';

/** What the audit log keeps of a PF around a count change: enough to see what was destroyed. */
export function pfAuditState(pf: Pf): AuditPfState {
  return {
    numVfs: pf.numVfs,
    driver: pf.driver,
    held: pf.vfs.filter((vf) => vf.holder).map((vf) => ({ vf: vf.address, vmId: vf.holder!.vmId })),
  };
}

export function vfAuditState(vf: Vf): AuditVfState {
  const h = vf.holder;
  return { holder: h ? { vmId: h.vmId, vmName: h.vmName, via: h.via, pending: h.pending } : null };
}

/** A VF around a driver change: its holder, and its driver and driver_override. */
export function vfDriverAuditState(vf: Vf): AuditVfState {
  return { ...vfAuditState(vf), driver: vf.driver, driverOverride: vf.driverOverride };
}
