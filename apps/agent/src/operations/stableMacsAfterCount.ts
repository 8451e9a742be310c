import type { Pf } from '@vfmap/model';
import type { DesiredStore } from '../desired/desiredStore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { TopologySnapshot } from '../topologyService';
import { pfAuditState } from './auditState';
import { StepsStopped } from './errors';
import { findPf } from './lookup';
import type { OperationRecord } from './operationRun';
import { isRefusal, reasonOf } from './stepFailure';
import { vfConfigStepWords } from './vfSettingWords';

export interface StableMacsAfterCountDeps {
  desired: Pick<DesiredStore, 'read'>;
  /** The stable MAC of each VF index below `count` of the PF. */
  stableMacs(pf: Pf, count: number): Promise<string[]>;
  steps: Pick<PrivilegedSteps, 'setVfConfig'>;
  topology: { scanNow(): Promise<TopologySnapshot> };
  announce: (snapshot: TopologySnapshot) => void;
}

/**
 * After a count change created VFs on a PF with stable MACs on: gives each new VF its stable MAC
 * (the kernel creates VFs with none, or a random one) — what "stable after every count change"
 * means. Answers the PF re-read and how many VFs got theirs; null when the PF has stable MACs
 * off. A VF the driver refuses stops the rest: StepsStopped says the count was written and which
 * VFs have their MAC — a partial outcome, never a silent one.
 */
export async function giveStableMacs(deps: StableMacsAfterCountDeps, record: OperationRecord, after: Pf, countDone: string): Promise<{ pf: Pf; given: number } | null> {
  const kept = (await deps.desired.read())[after.address];
  if (!kept?.stableMacs || kept.vendorId !== after.vendorId || kept.deviceId !== after.deviceId || after.vfs.length === 0) return null;
  const done = [countDone];
  const netdev = after.netdevs[0]?.name ?? null;
  let given = 0;
  let step = `Derive the stable MACs of ${after.address}'s ${after.numVfs} VFs from its permanent MAC`;
  try {
    const macs = await deps.stableMacs(after, after.numVfs);
    for (const vf of after.vfs) {
      const mac = macs[vf.index];
      if (mac === undefined || vf.config?.mac === mac) continue;
      step = vfConfigStepWords(netdev, vf.index, { mac });
      await deps.steps.setVfConfig(after.address, vf.index, { mac });
      done.push(step);
      given++;
    }
  } catch (err) {
    const pfNow = await reread(deps, after.address);
    record.after = pfNow ? pfAuditState(pfNow) : record.after;
    const why = reasonOf(err);
    throw new StepsStopped(
      `${after.address} has ${after.numVfs} VFs now, but giving them their stable MACs stopped at "${step}": ${why}. ${given > 0 ? `${given} VF${given === 1 ? ' has its' : 's have their'} stable MAC; ` : ''}the others keep the MAC the driver gave them until the PF is re-applied (POST …/pfs/${after.address}/reapply).`,
      after.address,
      done,
      step,
      why,
      isRefusal(err),
      pfNow,
    );
  }
  const snapshot = await deps.topology.scanNow();
  deps.announce(snapshot);
  return { pf: findPf(snapshot.topology, after.address), given };
}

async function reread(deps: Pick<StableMacsAfterCountDeps, 'topology' | 'announce'>, address: string): Promise<Pf | null> {
  try {
    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    return snapshot.topology.pfs.find((p) => p.address === address) ?? null;
  } catch {
    return null;
  }
}
