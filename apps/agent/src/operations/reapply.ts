import { planNumVfs, type DesiredPfState, type Pf, type PfWriteResult } from '@vfmap/model';
import type { TopologySnapshot } from '../topologyService';
import { pfAuditState } from './auditState';
import { OperationRefused } from './errors';
import { findPf } from './lookup';
import { checkManagementPath, type RestoreOptions } from './managementPath';
import { heldRefusal } from './numVfs';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';
import type { PfStepDeps } from './pfSteps';
import { checkPrecondition, type IfMatch } from './precondition';
import { planReapply } from './reapplyPlan';
import { runSteps } from './stepRunner';

export interface ReapplyDeps extends PfStepDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  /** The stable MAC of each VF index below `count` of the PF. */
  stableMacs(pf: Pf, count: number): Promise<string[]>;
}

/**
 * Puts the PF's live state back to its desired state in one operation, in the PF's turn: the
 * steps planReapply lists (only what differs), each reported as operation.progress; a step that
 * fails stops it with StepsStopped naming what was done. The desired state is not changed. What
 * VMs hold is not destroyed: a count change that would is refused (vfs-held), as without force;
 * so is one on the PF that carries the host's management path (management-path).
 */
export async function reapplyDesired(deps: ReapplyDeps, record: OperationRecord, address: string, ifMatch: IfMatch | null, restore: RestoreOptions = {}): Promise<PfWriteResult> {
  findPf((await deps.topology.get()).topology, address);
  deps.hung.check(address);

  return deps.locks.run(address, async () => {
    deps.hung.check(address);
    const snapshot = await deps.topology.scanNow();
    checkPrecondition(ifMatch, snapshot, address);
    const pf = findPf(snapshot.topology, address);
    record.before = pfAuditState(pf);
    const desired = keptFor(pf, (await deps.desired.read())[pf.address]);
    if (typeof desired === 'string') {
      record.after = record.before;
      record.detail = desired;
      return { operationId: record.id, pf, changed: false, steps: [], message: desired };
    }
    const macs = desired.stableMacs && desired.count > 0 ? await deps.stableMacs(pf, desired.count) : [];
    const vms = snapshot.topology.vms;
    const plan = planReapply({ pf, desired, macs, vms });
    const numVfs = planNumVfs(pf, desired.count, vms);
    if (plan.heldRefusal) throw heldRefusal(pf, desired.count, numVfs);
    // The count is not applied yet: re-creating VFs on the PF the host is managed through is
    // refused as a count change is (re-apply has no force; a count change with force does it).
    if (numVfs.writes.length > 0 && !restore.atBoot) checkManagementPath(deps.paths.root, snapshot.topology, pf, desired.count);
    if (plan.steps.some((s) => s.action.kind === 'vf-config') && pf.netdevs.length === 0) {
      throw new OperationRefused(
        { reason: 'no-net-interface', pf: pf.address },
        `${pf.address} has no network interface${pf.driver ? ` (its driver ${pf.driver} makes none)` : ' (no driver is bound)'}: the VF settings kept for it are set through the PF's netdev, so they cannot be re-applied now.`,
      );
    }
    const warnings = plan.warnings.length > 0 ? ` ${plan.warnings.join(' ')}` : '';
    if (plan.steps.length === 0) {
      record.after = record.before;
      record.detail = `${pf.address} already matches its desired state; nothing was written.${warnings}`;
      return { operationId: record.id, pf, changed: false, steps: [], message: record.detail };
    }
    await record.acting();

    const ran = await runSteps(deps, record, {
      what: 'Re-applying the desired state of',
      pf,
      steps: plan.steps,
      afterFailure: async () => 'The desired state is unchanged: the PF shows as differing from it until it is re-applied again or changed.',
    });

    const after = await deps.topology.scanNow();
    deps.announce(after);
    const pfAfter = findPf(after.topology, address);
    record.after = pfAuditState(pfAfter);
    record.detail = `Re-applied the desired state of ${pf.address}: ${ran.done.length} step${ran.done.length === 1 ? '' : 's'} done.${warnings}`;
    return { operationId: record.id, pf: pfAfter, changed: true, steps: ran.done, message: record.detail };
  });
}

/** The desired state kept for this PF, or why there is nothing to re-apply. */
function keptFor(pf: Pf, kept: DesiredPfState | undefined): DesiredPfState | string {
  if (!kept) return `vfmap keeps no desired state for ${pf.address}; nothing to re-apply.`;
  if (kept.vendorId !== pf.vendorId || kept.deviceId !== pf.deviceId) {
    return `The desired state kept for ${pf.address} was set for a ${kept.vendorId}:${kept.deviceId}, and this is a ${pf.vendorId}:${pf.deviceId}: nothing was re-applied.`;
  }
  return kept;
}
