import type { AuditEntry, AuditPfState, AuditVfState, DesiredPfState, Topology } from '@vfmap/model';
import { pfAuditState, vfAuditState, vfDriverAuditState } from './auditState';
import type { OperationJournal, RunningOperation } from './operationJournal';

/** Operations whose target is a PF (the others' is a VF). */
const PF_TARGETS: ReadonlySet<string> = new Set(['numvfs', 'autoprobe', 'stablemacs', 'prepare', 'reapply']);

export interface InterruptedDeps {
  journal: Pick<OperationJournal, 'leftBehind' | 'end'>;
  audit: { append(entry: AuditEntry): Promise<void>; recent(limit: number): Promise<{ entries: AuditEntry[] }> };
  desired: { restore(address: string, entry: DesiredPfState | null): Promise<void> };
  /** Keeps vfmap's boot file for the PF (if it wrote one) in step with the desired state put back; failures are its to log. */
  bootFile?: (pf: string, desired: DesiredPfState | null) => Promise<void>;
  /** The host as read at this start, after the kernel settled (a simulated one finishes an interrupted write first). */
  topology: Topology;
  now: () => Date;
}

/**
 * At start: every operation that left its mark (operationJournal.ts) and no audit entry was cut
 * off when the agent stopped — killed, crashed, the power gone — after it began to act. Each is
 * audited as `interrupted`, with its target as the kernel and the hypervisor show it now (the real
 * kernel finishes a sriov_numvfs write on its own: the count may well be the one asked for), and a
 * count change's desired count is put back to what it was, the last one a client was told was set.
 * Returns the entries written.
 */
export async function recordInterrupted(deps: InterruptedDeps): Promise<AuditEntry[]> {
  const { marks } = await deps.journal.leftBehind();
  if (marks.length === 0) return [];
  // A start that stopped half-way through this already appended some: never twice.
  const audited = new Set((await deps.audit.recent(200)).entries.map((e) => e.id));
  const written: AuditEntry[] = [];
  for (const mark of marks) {
    // Audited already: it ended (the agent stopped between its audit entry and removing the mark),
    // or a start that stopped half-way through this recorded it and put its desired count back.
    if (!audited.has(mark.id)) {
      // The desired count first: should this start stop too, the next finds the mark and does both again.
      if (mark.operation === 'numvfs' && mark.desiredBefore !== undefined) {
        await deps.desired.restore(mark.target, mark.desiredBefore);
        // The count change kept vfmap's .link file in step before its write: it goes back too.
        await deps.bootFile?.(mark.target, mark.desiredBefore);
      }
      const entry = interruptedEntry(mark, deps.topology, deps.now());
      await deps.audit.append(entry);
      written.push(entry);
    }
    await deps.journal.end(mark.id);
  }
  return written;
}

function interruptedEntry(mark: RunningOperation, topology: Topology, at: Date): AuditEntry {
  const after = stateNow(mark, topology);
  return {
    id: mark.id,
    at: at.toISOString(),
    startedAt: mark.startedAt,
    host: mark.host,
    who: mark.who,
    operation: mark.operation,
    target: mark.target,
    request: mark.request,
    before: mark.before,
    after,
    result: 'interrupted',
    detail: describe(mark, after),
  };
}

function stateNow(mark: RunningOperation, topology: Topology): AuditPfState | AuditVfState | null {
  if (PF_TARGETS.has(mark.operation)) {
    const pf = topology.pfs.find((p) => p.address === mark.target);
    if (!pf) return null;
    return mark.operation === 'autoprobe' ? { ...pfAuditState(pf), driversAutoprobe: pf.driversAutoprobe } : pfAuditState(pf);
  }
  for (const pf of topology.pfs) {
    const vf = pf.vfs.find((v) => v.address === mark.target);
    if (vf) return mark.operation === 'vfdriver' ? vfDriverAuditState(vf) : vfAuditState(vf);
  }
  return null;
}

function describe(mark: RunningOperation, after: AuditPfState | AuditVfState | null): string {
  const head = `The agent stopped (killed, crashed or the machine went down) while this ${mark.operation} operation on ${mark.target} was under way, before it saw the end; read at the next start,`;
  if (after === null) return `${head} ${mark.target} is not there any more.`;
  if ('numVfs' in after && mark.operation === 'autoprobe') {
    return `${head} sriov_drivers_autoprobe is ${after.driversAutoprobe === true ? 1 : after.driversAutoprobe === false ? 0 : 'unreadable'} (${mark.request.enabled === true ? 1 : mark.request.enabled === false ? 0 : '?'} asked for).`;
  }
  if ('numVfs' in after && mark.operation !== 'numvfs') return `${head} it has ${after.numVfs} VFs.`;
  if (mark.operation === 'vfdriver' && 'holder' in after) {
    const asked = mark.request.driver === null ? 'its host driver' : String(mark.request.driver);
    return `${head} it is bound to ${after.driver ?? 'no driver'}, driver_override ${after.driverOverride ?? '(null)'} (${asked} asked for).`;
  }
  if ('numVfs' in after) {
    const asked = typeof mark.request.count === 'number' ? mark.request.count : null;
    const before = mark.before && 'numVfs' in mark.before ? mark.before.numVfs : null;
    const restored = mark.desiredBefore === undefined ? '' : ` The desired count for the next boot is back to ${mark.desiredBefore ? mark.desiredBefore.count : 'none'}, as before the request.`;
    return `${head} sriov_numvfs is ${after.numVfs} (${before ?? '?'} before, ${asked ?? '?'} asked for).${restored}`;
  }
  const holder = after.holder ? `VM ${after.holder.vmName} (${after.holder.vmId}) holds it as ${after.holder.via}` : 'no VM holds it';
  return `${head} ${holder}.`;
}
