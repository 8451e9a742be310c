import { planNumVfs, type DesiredPfState, type Pf, type PrepareRequest, type PrepareResult, type Vm } from '@vfmap/model';
import type { TopologySnapshot } from '../topologyService';
import { pfAuditState } from './auditState';
import { OperationRefused } from './errors';
import { findPf } from './lookup';
import { checkManagementPath } from './managementPath';
import { checkCount, heldRefusal } from './numVfs';
import type { OperationRecord } from './operationRun';
import type { PfStepDeps } from './pfSteps';
import type { PfLocks } from './pfLock';
import { checkPrecondition, type IfMatch } from './precondition';
import { planPrepare } from './preparePlan';
import { runSteps } from './stepRunner';

export interface PrepareDeps extends PfStepDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  /** The stable MAC of each VF index below `count` of the PF. */
  stableMacs(pf: Pf, count: number): Promise<string[]>;
  now: () => Date;
}

/**
 * Prepares a PF's VFs for VMs in one operation, in the PF's turn: count, drivers_autoprobe, each
 * VF's stable MAC and VLAN, each VF's driver, and what keeps it at boot — the steps planPrepare
 * lists, each reported as operation.progress. dryRun answers the plan and writes nothing. A step
 * that fails stops the operation: the problem lists the steps done and the one that failed; when
 * it is the first step that touches the host, the desired state is put back as it was too.
 */
export async function prepareVfs(deps: PrepareDeps, record: OperationRecord, address: string, request: PrepareRequest, ifMatch: IfMatch | null): Promise<PrepareResult> {
  checkCount(findPf((await deps.topology.get()).topology, address), request.count);
  deps.hung.check(address);

  return deps.locks.run(address, async () => {
    deps.hung.check(address);
    const snapshot = await deps.topology.scanNow();
    checkPrecondition(ifMatch, snapshot, address);
    const pf = findPf(snapshot.topology, address);
    const previousDesired = (await deps.desired.read())[pf.address] ?? null;
    const planned = await planFor(deps, pf, request, previousDesired, snapshot.topology.vms);
    const numVfs = planNumVfs(pf, request.count, snapshot.topology.vms);
    if (planned.needsForce && !request.force) throw heldRefusal(pf, request.count, numVfs);
    if (!request.force && numVfs.writes.length > 0) checkManagementPath(deps.paths.root, snapshot.topology, pf, request.count);
    record.before = pfAuditState(pf);
    await record.acting();

    const steps = planned.actions.map((action, i) => ({ action, description: planned.plan.steps[i]!.description }));
    const ran = await runSteps(deps, record, {
      what: 'Preparing',
      pf,
      steps,
      afterFailure: async (touchedHost, failed) => {
        if (touchedHost) return 'The desired state keeps what was asked: the PF shows as differing from it until it is re-applied or changed.';
        if (failed.kind !== 'desired') await restoreDesired(deps, pf, previousDesired);
        return 'Nothing on the host changed; the desired state was put back as it was.';
      },
    });

    const after = await deps.topology.scanNow();
    deps.announce(after);
    const pfAfter = findPf(after.topology, address);
    record.after = pfAuditState(pfAfter);
    record.detail = `Prepared ${pf.address}: ${pfAfter.numVfs} VFs${request.driver ? ' on vfio-pci' : ''}${request.stableMacs ? ' with stable MACs' : ''}; ${steps.length} steps done.`;
    return { operationId: record.id, pf: pfAfter, changed: ran.touchedHost, steps: ran.done, message: record.detail, plan: planned.plan };
  });
}

/** The plan for `request` on the PF as last read, without waiting for the PF's turn: what dryRun answers. Writes nothing. */
export async function planPrepareVfs(deps: Pick<PrepareDeps, 'topology' | 'desired' | 'stableMacs' | 'now' | 'persist'>, address: string, request: PrepareRequest): Promise<PrepareResult> {
  const { topology } = await deps.topology.get();
  const pf = findPf(topology, address);
  const planned = await planFor(deps, pf, request, (await deps.desired.read())[pf.address] ?? null, topology.vms);
  return { operationId: '', pf, changed: false, steps: [], message: `The plan for ${pf.address}: ${planned.plan.steps.length} steps; nothing was written.`, plan: planned.plan };
}

/** Checks the request against the PF and plans it. */
async function planFor(deps: Pick<PrepareDeps, 'stableMacs' | 'now' | 'persist'>, pf: Pf, request: PrepareRequest, desiredNow: DesiredPfState | null, vms: readonly Vm[]) {
  checkCount(pf, request.count);
  if ((request.stableMacs || (request.vlans ?? []).some((v) => v !== null && v > 0)) && pf.netdevs.length === 0) {
    throw new OperationRefused(
      { reason: 'no-net-interface', pf: pf.address },
      `${pf.address} has no network interface${pf.driver ? ` (its driver ${pf.driver} makes none)` : ' (no driver is bound)'}: a VF's MAC and VLAN are set through the PF's netdev. Prepare it without stable MACs and VLANs.`,
    );
  }
  return planPrepare({ pf, request, macs: request.stableMacs ? await deps.stableMacs(pf, request.count) : [], desiredNow, now: deps.now(), persist: deps.persist !== undefined, vms });
}

async function restoreDesired(deps: PrepareDeps, pf: Pf, previous: DesiredPfState | null): Promise<void> {
  try {
    await deps.desired.update(pf, () => previous);
  } catch {
    // The problem still says what happened; the desired state then differs from live, which the page shows.
  }
}
