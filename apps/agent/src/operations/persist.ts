import type { DesiredPfState, Pf, PfWriteResult, PersistWriteOutcome } from '@vfmap/model';
import type { DesiredStore } from '../desired/desiredStore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { TopologySnapshot } from '../topologyService';
import { pfAuditState } from './auditState';
import { findPf } from './lookup';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';

export interface PersistDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  steps: Pick<PrivilegedSteps, 'writePersistence'>;
  desired: Pick<DesiredStore, 'read'>;
}

/** The PF's desired state, or null when none is kept or it was kept for another card in the slot. */
export async function desiredOf(desired: Pick<DesiredStore, 'read'>, pf: Pick<Pf, 'address' | 'vendorId' | 'deviceId'>): Promise<DesiredPfState | null> {
  const kept = (await desired.read())[pf.address];
  return kept && kept.vendorId === pf.vendorId && kept.deviceId === pf.deviceId ? kept : null;
}

/**
 * Writes what keeps the PF's desired state at boot, through the privileged step (which plans the
 * file again on its side), or removes vfmap's files when nothing is desired. No lock and no
 * audit: for operations that hold the PF's turn already (prepare, re-apply) and for `persist`.
 */
export async function persistPf(deps: Pick<PersistDeps, 'steps' | 'desired'>, pf: Pick<Pf, 'address' | 'vendorId' | 'deviceId'>): Promise<PersistWriteOutcome> {
  return deps.steps.writePersistence(pf.address, await desiredOf(deps.desired, pf));
}

/** What the step did, in words, in order: for the answer's steps and the audit entry. */
export function describePersist(address: string, outcome: PersistWriteOutcome): string[] {
  const out: string[] = outcome.removed.map((p) => `Removed ${p}: vfmap's file that no longer applies to ${address}.`);
  switch (outcome.mechanism) {
    case 'link-file':
    case 'link-drop-in':
      out.push(outcome.written ? `Wrote ${outcome.path} (mode 0644): ${outcome.why}.` : `${outcome.path} already holds what is desired for ${address}; nothing written.`);
      break;
    case 'apply-desired':
      out.push(`Nothing written for ${address}: ${outcome.why}.`);
      break;
    case 'none':
      if (outcome.removed.length === 0) out.push(`Nothing to keep for ${address} (${outcome.why}), and no file of vfmap's sets its VFs at boot.`);
      break;
  }
  if (outcome.notKept.length > 0) out.push(`Not kept at boot by this: ${outcome.notKept.join('; ')}.`);
  if (outcome.initramfs) out.push("Run update-initramfs -u: the initramfs keeps its own copy of the .link files, which udev there applies first.");
  return out;
}

/** `persist` as an operation of its own: in the PF's turn, on a fresh scan, audited. */
export async function persistOperation(deps: PersistDeps, record: OperationRecord, address: string): Promise<PfWriteResult> {
  findPf((await deps.topology.get()).topology, address);
  return deps.locks.run(address, async () => {
    const pf = findPf((await deps.topology.scanNow()).topology, address);
    record.before = pfAuditState(pf);
    await record.acting();
    const outcome = await persistPf(deps, pf);
    // The boot files changed, not the PF.
    record.after = record.before;
    const steps = describePersist(address, outcome);
    record.detail = steps.join(' ');
    return { operationId: record.id, pf, changed: outcome.written || outcome.removed.length > 0, steps, message: record.detail };
  });
}
