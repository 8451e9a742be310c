import type { DesiredPfState, Pf, PfWriteResult, StableMacsRequest } from '@vfmap/model';
import type { TopologySnapshot } from '../topologyService';
import { pfAuditState } from './auditState';
import { OperationRefused } from './errors';
import { findPf } from './lookup';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';
import type { PfStepDeps } from './pfSteps';
import { checkPrecondition, type IfMatch } from './precondition';
import { withStableMacs } from './stableMacsDesired';
import { runSteps, type PlannedStep } from './stepRunner';
import { vfConfigStepWords } from './vfSettingWords';

export interface StableMacsDeps extends PfStepDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  /** The stable MAC of each VF index below `count` of the PF. */
  stableMacs(pf: Pf, count: number): Promise<string[]>;
  now: () => Date;
}

/**
 * Switches a PF's stable MACs (PUT …/pfs/:pf/stable-macs), in the PF's turn: the desired state
 * first (stableMacs and each VF's MAC, so what keeps it at boot writes them), then, enabling,
 * each existing VF's stable MAC where it has another — one step each, reported as
 * operation.progress. Disabling changes the desired state only: the VFs keep the MACs they have
 * until they are re-created. A step that fails stops the rest (StepsStopped names what was done).
 */
export async function setStableMacs(deps: StableMacsDeps, record: OperationRecord, address: string, request: StableMacsRequest, ifMatch: IfMatch | null): Promise<PfWriteResult> {
  findPf((await deps.topology.get()).topology, address);
  deps.hung.check(address);

  return deps.locks.run(address, async () => {
    deps.hung.check(address);
    const snapshot = await deps.topology.scanNow();
    checkPrecondition(ifMatch, snapshot, address);
    const pf = findPf(snapshot.topology, address);
    if (request.enabled && pf.netdevs.length === 0) {
      throw new OperationRefused(
        { reason: 'no-net-interface', pf: pf.address },
        `${pf.address} has no network interface${pf.driver ? ` (its driver ${pf.driver} makes none)` : ' (no driver is bound)'}: a VF's MAC is set through the PF's netdev, so it cannot have stable MACs.`,
      );
    }
    record.before = pfAuditState(pf);
    const all = await deps.desired.read();
    const kept = all[pf.address];
    const previous = kept && kept.vendorId === pf.vendorId && kept.deviceId === pf.deviceId ? kept : null;
    const base: DesiredPfState = previous ?? { count: pf.numVfs, vendorId: pf.vendorId, deviceId: pf.deviceId, setAt: deps.now().toISOString(), stableMacs: false, driversAutoprobe: null, vfs: [] };
    const macs = request.enabled ? await deps.stableMacs(pf, Math.max(base.count, pf.numVfs)) : await macsToForget(deps, pf, base);
    const next = withStableMacs(base, request.enabled, macs, deps.now());

    const netdev = pf.netdevs[0]?.name ?? null;
    const steps: PlannedStep[] = [];
    // Off with nothing kept is off already: no desired state is made up for it.
    if (previous === null ? request.enabled : JSON.stringify(withoutSetAt(previous)) !== JSON.stringify(withoutSetAt(next))) {
      steps.push({ action: { kind: 'desired', state: next }, description: `Record stable MACs ${request.enabled ? 'on' : 'off'} for ${pf.address} in vfmap's desired state${request.enabled ? `, with the MAC of each of its ${next.count} VFs` : ''}.` });
    }
    if (request.enabled) {
      for (const vf of pf.vfs) {
        const mac = macs[vf.index];
        if (mac === undefined || vf.config?.mac === mac) continue;
        const held = vf.holder ? ` (held by ${vf.holder.vmName}: its guest sees the new MAC once its driver resets the VF)` : '';
        steps.push({ action: { kind: 'vf-config', index: vf.index, change: { mac } }, description: `${vfConfigStepWords(netdev, vf.index, { mac })}${held}` });
      }
    }
    if (steps.length === 0) {
      record.after = record.before;
      record.detail = `${pf.address} has stable MACs ${request.enabled ? 'on, and every VF has its own' : 'off'} already; nothing was written.`;
      return { operationId: record.id, pf, changed: false, steps: [], message: record.detail };
    }
    await record.acting();

    const ran = await runSteps(deps, record, {
      what: `Turning stable MACs ${request.enabled ? 'on' : 'off'} for`,
      pf,
      steps,
      afterFailure: async (touchedHost, failed) => {
        if (touchedHost) return 'The desired state keeps stable MACs on: the VFs not done yet show as differing from it until it is re-applied.';
        if (failed.kind === 'desired') return 'Nothing was changed.';
        await restore(deps, pf, previous);
        return 'No VF\'s MAC changed; the desired state was put back as it was.';
      },
    });

    const after = await deps.topology.scanNow();
    deps.announce(after);
    const pfAfter = findPf(after.topology, address);
    record.after = pfAuditState(pfAfter);
    const given = ran.done.length - (steps[0]?.action.kind === 'desired' ? 1 : 0);
    record.detail = request.enabled
      ? `Stable MACs are on for ${pf.address}: ${given} VF${given === 1 ? '' : 's'} given ${given === 1 ? 'its' : 'their'} stable MAC now; VFs created later get theirs when they are.`
      : `Stable MACs are off for ${pf.address}: its VFs keep the MACs they have until they are re-created.`;
    return { operationId: record.id, pf: pfAfter, changed: true, steps: ran.done, message: record.detail };
  });
}

/** Disabling: the stable MACs the desired state holds, to tell them from MACs an operator set on a VF. */
async function macsToForget(deps: Pick<StableMacsDeps, 'stableMacs'>, pf: Pf, base: DesiredPfState): Promise<string[]> {
  if (!base.stableMacs || pf.netdevs.length === 0) return [];
  try {
    return await deps.stableMacs(pf, base.count);
  } catch {
    // No permanent MAC now: every kept MAC stays kept, as if an operator had set it.
    return [];
  }
}

function withoutSetAt(state: DesiredPfState): Omit<DesiredPfState, 'setAt'> {
  const { setAt: _setAt, ...rest } = state;
  return rest;
}

async function restore(deps: Pick<StableMacsDeps, 'desired'>, pf: Pf, previous: DesiredPfState | null): Promise<void> {
  try {
    await deps.desired.update(pf, () => previous);
  } catch {
    // The problem still says what happened; the desired state then differs from live, which the page shows.
  }
}
