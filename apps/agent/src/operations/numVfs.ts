import { describeHeldRefusal, describeNumVfsChange, heldVfOf, planNumVfs, possibleVfs, vmsLosingVfs, type NumVfsPlan, type NumVfsRequest, type NumVfsResult, type Pf, type DesiredPfState } from '@vfmap/model';
import { SysfsError, type SysfsPaths } from '@vfmap/sysfs';
import type { DesiredStore } from '../desired/desiredStore';
import { withCount } from '../desired/withCount';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { TopologySnapshot } from '../topologyService';
import { pfAuditState } from './auditState';
import { KernelWriteFailed, KernelWriteHung, OperationRefused, PartialNumVfsChange } from './errors';
import type { HungWrites } from './hungWrites';
import { explainNumVfsErrno } from './kernelErrno';
import { findPf } from './lookup';
import { checkManagementPath, type RestoreOptions } from './managementPath';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';
import { checkPrecondition, type IfMatch } from './precondition';
import { giveStableMacs, type StableMacsAfterCountDeps } from './stableMacsAfterCount';

export interface NumVfsDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  /** Writes sriov_numvfs: directly, or through the root helper in split mode. */
  writer: Pick<PrivilegedSteps, 'setNumVfs'>;
  /** Writes that did not return in time: they bound every write and refuse a PF's operations while one runs. */
  hung: HungWrites;
  paths: SysfsPaths;
  /** Publishes topology.changed for a re-read taken after a write. */
  announce: (snapshot: TopologySnapshot) => void;
  /** The desired state: the count is recorded in it before the live change (a crash in between shows as a difference). */
  desired: Pick<DesiredStore, 'update'>;
  onDesiredFailure: (err: unknown) => void;
  /**
   * Keeps vfmap's boot file for the PF (if it wrote one) in step with the desired state, before
   * the live write: udev re-applies a .link file at every add event, and one still saying the old
   * count would put it back (writing 0 first) at the next driver reload. Failures are its to log.
   */
  bootFile?: (pf: Pf, desired: DesiredPfState | null) => Promise<void>;
  /** New VFs get their stable MACs where the PF has them on (stableMacsAfterCount.ts); none: not given. */
  stableMacsAfterCount?: StableMacsAfterCountDeps;
  now: () => Date;
}

/**
 * Sets a PF's VF count: validate, queue on the PF, check what the change destroys, write,
 * re-read. The count is kept for the next boot before it is written. Runs inside runOperation, which audits it.
 */
export async function changeNumVfs(
  deps: NumVfsDeps,
  record: OperationRecord,
  address: string,
  request: NumVfsRequest,
  ifMatch: IfMatch | null = null,
  restore: RestoreOptions = {},
): Promise<NumVfsResult> {
  // Refuse what no state of the host allows before queueing behind a slow change of the same PF.
  checkCount(findPf((await deps.topology.get()).topology, address), request.count);
  deps.hung.check(address);

  return deps.locks.run(address, async () => {
    // Queued before the write that hung: refused now, not decided on a count about to change.
    deps.hung.check(address);
    // Decide on a scan made now, inside the queue: the change queued before this one may have
    // changed the count, and a VM may have been given one of the VFs meanwhile.
    const now = await deps.topology.scanNow();
    checkPrecondition(ifMatch, now, address);
    const pf = findPf(now.topology, address);
    checkCount(pf, request.count);
    record.before = pfAuditState(pf);
    const plan = planNumVfs(pf, request.count, now.topology.vms);
    if (plan.writes.length === 0) {
      record.after = record.before;
      record.detail = `${address} already has ${pf.numVfs} VFs; nothing was written.`;
      await remember(deps, pf, request.count);
      return { operationId: record.id, pf, previousCount: pf.numVfs, count: pf.numVfs, changed: false, destroyed: [], created: [], forced: [], message: record.detail };
    }
    if (plan.held.length > 0 && !request.force) throw heldRefusal(pf, request.count, plan);
    if (!request.force && !restore.atBoot) checkManagementPath(deps.paths.root, now.topology, pf, request.count);
    await record.acting();

    // Recorded before the write: the boot files follow the desired state, and a crash between the
    // two shows as "desired differs from live" (interrupted.ts then puts the previous one back).
    const remembered = await remember(deps, pf, request.count);
    if (remembered) await deps.bootFile?.(pf, remembered.next);
    try {
      await writeCount(deps, record, pf, request.count, plan);
    } catch (err) {
      // Refused before anything changed on the host: the count wanted stays the one before.
      if (remembered && !(err instanceof PartialNumVfsChange) && !(err instanceof KernelWriteHung)) {
        await forget(deps, pf, remembered.previous);
        await deps.bootFile?.(pf, remembered.previous);
      }
      throw err;
    }
    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    let after = findPf(snapshot.topology, address);
    record.after = pfAuditState(after);
    record.detail = describeNumVfsChange(pf, request.count, plan, after.numVfs);
    const macs = deps.stableMacsAfterCount ? await giveStableMacs(deps.stableMacsAfterCount, record, after, record.detail) : null;
    if (macs) {
      after = macs.pf;
      record.after = pfAuditState(after);
      record.detail = `${record.detail} ${macs.given} VF${macs.given === 1 ? ' was' : 's were'} given ${macs.given === 1 ? 'its' : 'their'} stable MAC.`;
    }
    return {
      operationId: record.id,
      pf: after,
      previousCount: pf.numVfs,
      count: after.numVfs,
      changed: true,
      destroyed: plan.destroyed.map((vf) => vf.address),
      created: after.vfs.map((vf) => vf.address),
      forced: plan.held.map(heldVfOf),
      message: record.detail,
    };
  });
}

export function checkCount(pf: Pf, count: number): void {
  if (count > pf.totalVfs) {
    throw new OperationRefused(
      { reason: 'count-out-of-range', totalVfs: pf.totalVfs, count },
      `${pf.address} supports at most ${pf.totalVfs} VFs (sriov_totalvfs); ${count} were asked for.`,
    );
  }
  // Refused here, not by the kernel: a through-zero change would have destroyed the VFs by the
  // time sriov_enable() answered ENOMEM for the VFs that have no address.
  const possible = possibleVfs(pf);
  if (count > possible) {
    throw new OperationRefused(
      { reason: 'count-out-of-range', totalVfs: pf.totalVfs, possibleVfs: possible, count },
      `${pf.address} can have at most ${possible} VFs: VF ${possible} and above would lie past bus ff, where there is no PCI address (the kernel would answer ENOMEM); ${count} were asked for.`,
    );
  }
}

/**
 * 409 vfs-held: VMs hold VFs the change destroys — by configuration or as running processes —,
 * naming each VM, how it holds them, and the VFs its configuration would name that no longer exist.
 */
export function heldRefusal(pf: Pf, count: number, plan: NumVfsPlan): OperationRefused {
  return new OperationRefused(
    { reason: 'vfs-held', previousCount: pf.numVfs, count, vms: vmsLosingVfs(plan), vfs: plan.held.map(heldVfOf) },
    describeHeldRefusal(pf, count, plan),
  );
}

/** The plan's writes in order; a refusal after "0" went through is a partial change and says so. */
export async function writeCount(deps: Pick<NumVfsDeps, 'topology' | 'writer' | 'hung' | 'paths' | 'announce'>, record: OperationRecord, pf: Pf, count: number, plan: NumVfsPlan): Promise<void> {
  const path = deps.paths.pciDeviceFile(pf.address, 'sriov_numvfs');
  let disabled = false;
  for (const value of plan.writes) {
    try {
      await deps.hung.within(pf.address, path, value, deps.writer.setNumVfs(pf.address, Number(value)));
    } catch (err) {
      if (err instanceof KernelWriteHung) {
        // Nothing to re-read yet: the kernel is still at it. The audit entry says so.
        record.after = null;
        throw err;
      }
      const now = await rereadAfterFailure(deps, pf.address);
      record.after = now ? pfAuditState(now) : null;
      const errno = err instanceof SysfsError ? err.code : null;
      if (!disabled) {
        if (errno === null) throw err;
        throw new KernelWriteFailed(explainNumVfsErrno(errno, pf.address, value), errno, path, pf.address, value);
      }
      const countNow = now ? now.numVfs : null;
      const why = errno ? explainNumVfsErrno(errno, pf.address, value) : `The write of ${value} failed: ${(err as Error).message}`;
      const where = countNow === null ? 'its count could not be read back' : `it has ${countNow} now`;
      throw new PartialNumVfsChange(
        `Stopped half-way on ${pf.address}: "0" was written and its ${pf.numVfs} VFs are gone (${where}), then the kernel refused ${count}. ${why}`,
        errno,
        path,
        pf.address,
        pf.numVfs,
        count,
        countNow,
        now,
      );
    }
    if (value === '0') disabled = true;
  }
}

/** The PF after a refused write, to audit and report; null when even the re-read fails. */
async function rereadAfterFailure(deps: Pick<NumVfsDeps, 'topology' | 'announce'>, address: string): Promise<Pf | null> {
  try {
    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    return snapshot.topology.pfs.find((p) => p.address === address) ?? null;
  } catch {
    return null;
  }
}

/** Records `count` in the PF's desired state; answers what was kept before and now (null: it could not be recorded, which is logged). */
async function remember(deps: NumVfsDeps, pf: Pf, count: number): Promise<{ previous: DesiredPfState | null; next: DesiredPfState | null } | null> {
  let previous: DesiredPfState | null = null;
  try {
    const next = await deps.desired.update(pf, (current) => {
      previous = current;
      return withCount(current, pf, count, deps.now());
    });
    return { previous, next };
  } catch (err) {
    deps.onDesiredFailure(err);
    return null;
  }
}

async function forget(deps: NumVfsDeps, pf: Pf, previous: DesiredPfState | null): Promise<void> {
  try {
    await deps.desired.update(pf, () => previous);
  } catch (err) {
    deps.onDesiredFailure(err);
  }
}
