import { heldVfOf, planNumVfs, vmsLosingVfs, type DesiredPfState, type Pf, type PrepareRequest, type PrepareResult } from '@vfmap/model';
import type { SysfsPaths } from '@vfmap/sysfs';
import type { DesiredStore } from '../desired/desiredStore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { TopologySnapshot } from '../topologyService';
import { pfAuditState } from './auditState';
import { KernelWriteFailed, KernelWriteHung, OperationRefused, PartialNumVfsChange, StepsStopped } from './errors';
import type { HungWrites } from './hungWrites';
import { findPf } from './lookup';
import { checkCount, writeCount } from './numVfs';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';
import { checkPrecondition, type IfMatch } from './precondition';
import { planPrepare, type PrepareAction } from './preparePlan';

export interface PrepareDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  steps: Pick<PrivilegedSteps, 'setNumVfs' | 'setVfConfig' | 'setVfDriver' | 'setDriversAutoprobe'>;
  hung: HungWrites;
  paths: SysfsPaths;
  announce: (snapshot: TopologySnapshot) => void;
  desired: DesiredStore;
  /** The stable MAC of each VF index below `count` of the PF. */
  stableMacs(pf: Pf, count: number): Promise<string[]>;
  /** Writes what keeps the PF's desired state at boot; answers what it did, in words. */
  persist(pf: string): Promise<string>;
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
    const snapshot = await deps.topology.scanNow();
    checkPrecondition(ifMatch, snapshot, address);
    const pf = findPf(snapshot.topology, address);
    const desiredAll = await deps.desired.read();
    const planned = await planFor(deps, pf, request, desiredAll[pf.address] ?? null);
    const done: string[] = [];
    if (planned.needsForce && !request.force) {
      throw new OperationRefused(
        { reason: 'vfs-held', previousCount: pf.numVfs, count: request.count, vms: vmsLosingVfs(planNumVfs(pf, request.count)), vfs: planNumVfs(pf, request.count).held.map(heldVfOf) },
        planned.heldRefusal ?? `VMs hold VFs of ${pf.address} that the change destroys.`,
      );
    }
    record.before = pfAuditState(pf);
    const previousDesired = desiredAll[pf.address] ?? null;
    await record.acting();

    const of = planned.actions.length;
    let touchedHost = false;
    let current = pf;
    for (const [i, action] of planned.actions.entries()) {
      const step = planned.plan.steps[i]!;
      try {
        current = await act(deps, record, current, action);
      } catch (err) {
        const pfNow = await reread(deps, address);
        record.after = pfNow ? pfAuditState(pfNow) : null;
        if (!touchedHost && action.kind !== 'desired') await restoreDesired(deps, pf, previousDesired);
        const why = reasonOf(err);
        const desiredWords = touchedHost ? ' The desired state keeps what was asked: the PF shows as differing from it until it is re-applied or changed.' : ' Nothing on the host changed; the desired state was put back as it was.';
        throw new StepsStopped(
          `Preparing ${pf.address} stopped at step ${i + 1} of ${of} (${step.description}): ${why}.${done.length > 0 ? ` Done before it: ${done.length} step${done.length === 1 ? '' : 's'}.` : ''}${desiredWords}`,
          pf.address,
          done,
          step.description,
          why,
          isRefusal(err),
          pfNow,
        );
      }
      if (action.kind !== 'desired' && action.kind !== 'persist') touchedHost = true;
      done.push(step.description);
      record.progress(i + 1, of, step.description);
    }

    const after = await deps.topology.scanNow();
    deps.announce(after);
    const pfAfter = findPf(after.topology, address);
    record.after = pfAuditState(pfAfter);
    record.detail = `Prepared ${pf.address}: ${pfAfter.numVfs} VFs${request.driver ? ' on vfio-pci' : ''}${request.stableMacs ? ' with stable MACs' : ''}; ${of} steps done.`;
    return { operationId: record.id, pf: pfAfter, changed: touchedHost, steps: done, message: record.detail, plan: planned.plan };
  });
}

/** The plan for `request` on the PF as last read, without waiting for the PF's turn: what dryRun answers. Writes nothing. */
export async function planPrepareVfs(deps: Pick<PrepareDeps, 'topology' | 'desired' | 'stableMacs' | 'now'>, address: string, request: PrepareRequest): Promise<PrepareResult> {
  const pf = findPf((await deps.topology.get()).topology, address);
  const planned = await planFor(deps, pf, request, (await deps.desired.read())[pf.address] ?? null);
  return { operationId: '', pf, changed: false, steps: [], message: `The plan for ${pf.address}: ${planned.plan.steps.length} steps; nothing was written.`, plan: planned.plan };
}

/** Checks the request against the PF and plans it. */
async function planFor(deps: Pick<PrepareDeps, 'stableMacs' | 'now'>, pf: Pf, request: PrepareRequest, desiredNow: DesiredPfState | null) {
  checkCount(pf, request.count);
  if ((request.stableMacs || (request.vlans ?? []).some((v) => v !== null && v > 0)) && pf.netdevs.length === 0) {
    throw new OperationRefused(
      { reason: 'no-net-interface', pf: pf.address },
      `${pf.address} has no network interface${pf.driver ? ` (its driver ${pf.driver} makes none)` : ' (no driver is bound)'}: a VF's MAC and VLAN are set through the PF's netdev. Prepare it without stable MACs and VLANs.`,
    );
  }
  return planPrepare({ pf, request, macs: request.stableMacs ? await deps.stableMacs(pf, request.count) : [], desiredNow, now: deps.now() });
}

/** Does one step; answers the PF as it is after it (re-read after the count changed). */
async function act(deps: PrepareDeps, record: OperationRecord, pf: Pf, action: PrepareAction): Promise<Pf> {
  switch (action.kind) {
    case 'desired':
      await deps.desired.update(pf, () => action.state);
      return pf;
    case 'autoprobe':
      await deps.steps.setDriversAutoprobe(pf.address, action.enabled);
      return pf;
    case 'numvfs': {
      await writeCount({ topology: deps.topology, writer: deps.steps, hung: deps.hung, paths: deps.paths, announce: deps.announce }, record, pf, action.count, planNumVfs(pf, action.count));
      const now = findPf((await deps.topology.scanNow()).topology, pf.address);
      if (now.numVfs !== action.count) throw new Error(`the PF has ${now.numVfs} VFs after writing ${action.count}`);
      return now;
    }
    case 'vf-config': {
      const change = { ...(action.mac === undefined ? {} : { mac: action.mac }), ...(action.vlan === undefined ? {} : { vlan: action.vlan }) };
      await deps.steps.setVfConfig(pf.address, action.index, change);
      return pf;
    }
    case 'vf-driver': {
      const vf = pf.vfs.find((v) => v.index === action.index);
      if (!vf) throw new Error(`VF ${action.index} of ${pf.address} does not exist`);
      await deps.steps.setVfDriver(vf.address, action.driver);
      return pf;
    }
    case 'persist':
      await deps.persist(pf.address);
      return pf;
  }
}

async function restoreDesired(deps: PrepareDeps, pf: Pf, previous: DesiredPfState | null): Promise<void> {
  try {
    await deps.desired.update(pf, () => previous);
  } catch {
    // The problem still says what happened; the desired state then differs from live, which the page shows.
  }
}

async function reread(deps: PrepareDeps, address: string): Promise<Pf | null> {
  try {
    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    return snapshot.topology.pfs.find((p) => p.address === address) ?? null;
  } catch {
    return null;
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/\.$/, '');
  return String(err);
}

/** The host said no (a kernel or driver refusal), rather than the agent failing. */
function isRefusal(err: unknown): boolean {
  if (err instanceof KernelWriteFailed || err instanceof PartialNumVfsChange || err instanceof OperationRefused) return true;
  if (err instanceof KernelWriteHung) return false;
  const errno = (err as { errno?: unknown; code?: unknown }).errno ?? (err as { code?: unknown }).code;
  return typeof errno === 'string' && /^E[A-Z]+$/.test(errno);
}

