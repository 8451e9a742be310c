import { planNumVfs, type DesiredPfState, type Pf, type VfConfigChange } from '@vfmap/model';
import type { SysfsPaths } from '@vfmap/sysfs';
import type { DesiredStore } from '../desired/desiredStore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { TopologySnapshot } from '../topologyService';
import type { HungWrites } from './hungWrites';
import { findPf } from './lookup';
import { writeCount } from './numVfs';
import type { OperationRecord } from './operationRun';

/**
 * One step of a multi-step PF operation (prepare, re-apply, stable MACs): what it writes, the
 * same whichever operation planned it.
 */
export type PfAction =
  | { kind: 'desired'; state: DesiredPfState | null }
  | { kind: 'autoprobe'; enabled: boolean }
  | { kind: 'numvfs'; count: number }
  | { kind: 'vf-config'; index: number; change: VfConfigChange }
  | { kind: 'vf-driver'; index: number; driver: 'vfio-pci' | null }
  | { kind: 'persist' };

export interface PfStepDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  steps: Pick<PrivilegedSteps, 'setNumVfs' | 'setVfConfig' | 'setVfDriver' | 'setDriversAutoprobe'>;
  hung: HungWrites;
  paths: SysfsPaths;
  announce: (snapshot: TopologySnapshot) => void;
  desired: DesiredStore;
  /** Writes what keeps the PF's desired state at boot; answers what it did, in words. None: no persist step is planned. */
  persist?: ((pf: string) => Promise<string>) | undefined;
}

/** Whether the action changes the host (the desired state and the boot file do not change what runs now). */
export function touchesHost(action: PfAction): boolean {
  return action.kind !== 'desired' && action.kind !== 'persist';
}

/** Does one step; answers the PF as it is after it (re-read after the count changed, since the VFs are new). */
export async function actOn(deps: PfStepDeps, record: OperationRecord, pf: Pf, action: PfAction): Promise<Pf> {
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
    case 'vf-config':
      await deps.steps.setVfConfig(pf.address, action.index, action.change);
      return pf;
    case 'vf-driver': {
      const vf = pf.vfs.find((v) => v.index === action.index);
      if (!vf) throw new Error(`VF ${action.index} of ${pf.address} does not exist`);
      await deps.steps.setVfDriver(vf.address, action.driver);
      return pf;
    }
    case 'persist':
      if (!deps.persist) throw new Error('this agent cannot write what keeps the desired state at boot');
      await deps.persist(pf.address);
      return pf;
  }
}
