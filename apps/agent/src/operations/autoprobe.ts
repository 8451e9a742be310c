import type { AutoprobeRequest, Pf, PfWriteResult } from '@vfmap/model';
import type { SysfsPaths } from '@vfmap/sysfs';
import type { DesiredStore } from '../desired/desiredStore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { TopologySnapshot } from '../topologyService';
import { pfAuditState } from './auditState';
import { desiredWithAutoprobe } from './desiredEdits';
import type { HungWrites } from './hungWrites';
import { findPf } from './lookup';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';
import { checkPrecondition, type IfMatch } from './precondition';

export interface AutoprobeDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  writer: Pick<PrivilegedSteps, 'setDriversAutoprobe'>;
  hung: HungWrites;
  paths: SysfsPaths;
  announce: (snapshot: TopologySnapshot) => void;
  /** Where autoprobe is kept for the next boot, written before the live change; none: not kept. */
  desiredStore?: DesiredStore | undefined;
  onDesiredFailure: (err: unknown) => void;
  now: () => Date;
}

/**
 * Switches a PF's sriov_drivers_autoprobe: 0 keeps the VFs created from then on off host drivers
 * (no host interface per VF for VFs meant for VMs; driver_override still binds them), 1 lets the
 * host drivers probe them. The VFs that exist keep their drivers either way. Queued on the PF.
 */
export async function changeAutoprobe(deps: AutoprobeDeps, record: OperationRecord, address: string, request: AutoprobeRequest, ifMatch: IfMatch | null = null): Promise<PfWriteResult> {
  findPf((await deps.topology.get()).topology, address);
  deps.hung.check(address);

  return deps.locks.run(address, async () => {
    deps.hung.check(address);
    const now = await deps.topology.scanNow();
    checkPrecondition(ifMatch, now, address);
    const pf = findPf(now.topology, address);
    record.before = { ...pfAuditState(pf), driversAutoprobe: pf.driversAutoprobe };
    const path = deps.paths.pciDeviceFile(address, 'sriov_drivers_autoprobe');
    const value = request.enabled ? '1' : '0';

    if (pf.driversAutoprobe === request.enabled) {
      const kept = await remember(deps, pf, request.enabled);
      record.after = record.before;
      record.detail = `${address}'s sriov_drivers_autoprobe is ${value} already; nothing was written.${kept}`;
      return { operationId: record.id, pf, changed: false, steps: [], message: record.detail };
    }

    const kept = await remember(deps, pf, request.enabled);
    await record.acting();
    await deps.hung.within(address, path, value, deps.writer.setDriversAutoprobe(address, request.enabled));
    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    const after = findPf(snapshot.topology, address);
    record.after = { ...pfAuditState(after), driversAutoprobe: after.driversAutoprobe };
    const effect = request.enabled
      ? 'host drivers probe the VFs created from now on'
      : 'VFs created from now on stay off host drivers (no host interface each; driver_override still binds them, to vfio-pci say)';
    const existing = after.numVfs > 0 ? ` The ${after.numVfs} VFs it has keep their drivers.` : '';
    record.detail = `${address}'s sriov_drivers_autoprobe is ${after.driversAutoprobe === null ? 'unreadable' : after.driversAutoprobe ? '1' : '0'} now: ${effect}.${existing}${kept}`;
    return { operationId: record.id, pf: after, changed: true, steps: [`wrote ${value} to ${deps.paths.relative(path)}`], message: record.detail };
  });
}

async function remember(deps: AutoprobeDeps, pf: Pf, enabled: boolean): Promise<string> {
  if (!deps.desiredStore) return '';
  try {
    const setAt = deps.now().toISOString();
    await deps.desiredStore.update(pf, (current) => desiredWithAutoprobe(current, pf, enabled, setAt));
    return '';
  } catch (err) {
    deps.onDesiredFailure(err);
    return ' The setting could not be kept for the next boot (see the agent\'s log).';
  }
}
