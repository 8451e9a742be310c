import { ProblemType, type AuditEntry, type DesiredPfState, type AuditPfState, type AuditVfState, type AuditWho, type OperationKind, type OperationResult, type PciAddress, type Problem } from '@vfmap/model';
import { HypervisorError, type HypervisorErrorCode } from '@vfmap/hypervisors';
import type { EventBus } from '../events/eventBus';
import type { RunningOperation } from './operationJournal';
import { NoKernelError } from '../errors';
import { OperationRefused, PartialNumVfsChange, PreconditionFailed, StepsStopped, VfSettingRefused } from './errors';
import { VfDriverStepFailed } from './vfDriverErrors';

/** What every operation needs around its own steps: events, the audit log, the error table. */
export interface OperationEnv {
  hostId: string;
  bus: EventBus;
  audit: { append(entry: AuditEntry): Promise<void> };
  /** server/problems.ts's toProblem: the one table from errors to problems, for the audit entry. */
  problemOf: (err: unknown) => Problem;
  now: () => Date;
  newId: () => string;
  /** Told when the audit log cannot be written (the operation itself stands). */
  onAuditFailure: (err: unknown, entry: AuditEntry) => void;
  onFinished?: (kind: OperationKind, result: OperationResult) => void;
  /** Where an operation marks that it began to act (operationJournal.ts); none: nothing is marked (tests of the steps alone). */
  journal?: { begin(mark: RunningOperation): Promise<void>; end(id: string): Promise<void> };
  /** The PF's desired state now, kept in the mark of a count change so an interruption can put it back. */
  desiredOf?: (pf: string) => Promise<DesiredPfState | null>;
  /** Told when a mark cannot be removed (the next start would call the operation interrupted). */
  onJournalFailure?: (err: unknown, id: string) => void;
}

export interface OperationSpec {
  kind: OperationKind;
  target: PciAddress;
  who: AuditWho;
  request: Record<string, unknown>;
}

/** Filled in by an operation's steps as they go, and written to the audit log at the end. */
export interface OperationRecord {
  readonly id: string;
  before: AuditPfState | AuditVfState | null;
  after: AuditPfState | AuditVfState | null;
  /** What was done, in words (the answer's message). */
  detail?: string;
  /**
   * Called by the steps once, inside the PF's turn, just before their first write to the kernel
   * or the hypervisor (after `before` is set): leaves the mark that tells the next start, should
   * the agent stop before the end, that this operation was interrupted.
   */
  acting(): Promise<void>;
  /** Publishes operation.progress: step `step` of `of` is done (multi-step operations: prepare, re-apply). */
  progress(step: number, of: number, description: string): void;
}

/** Operations running now, and a counter that moves whenever one starts or ends (the change watcher reads both). */
export class OperationTracker {
  private runningCount = 0;
  private counter = 0;

  get running(): number {
    return this.runningCount;
  }

  get epoch(): number {
    return this.counter;
  }

  begin(): void {
    this.runningCount++;
    this.counter++;
  }

  end(): void {
    this.runningCount--;
    this.counter++;
  }
}

/** Hypervisor answers that are a refusal of the request, not a failure to carry it out. */
const hypervisorRefusals = new Set<HypervisorErrorCode>(['unknown-vm', 'already-assigned', 'not-assigned', 'no-free-slot', 'unsupported', 'invalid-request']);

export function outcomeOf(err: unknown): Exclude<OperationResult, 'ok'> {
  if (err instanceof OperationRefused || err instanceof NoKernelError || err instanceof PreconditionFailed) return 'refused';
  if (err instanceof PartialNumVfsChange) return 'partial';
  if (err instanceof StepsStopped) return err.done.length > 0 ? 'partial' : 'failed';
  // Settings applied before the refused one stay applied: part of the change was made.
  if (err instanceof VfSettingRefused) return err.details.applied.length > 0 ? 'partial' : err.details.errno !== null ? 'refused' : 'failed';
  if (err instanceof VfDriverStepFailed) return err.restored ? 'failed' : 'partial';
  if (err instanceof HypervisorError && hypervisorRefusals.has(err.code)) return 'refused';
  return 'failed';
}

/**
 * The frame of every operation: operation.started, the steps, the audit entry (appended and
 * synced before the client gets its answer), operation.finished. The steps' error is rethrown
 * for the route to turn into a problem.
 */
export async function runOperation<T>(
  env: OperationEnv,
  tracker: OperationTracker,
  spec: OperationSpec,
  steps: (record: OperationRecord) => Promise<T>,
): Promise<T> {
  const startedAt = env.now().toISOString();
  let marked = false;
  const record: OperationRecord = {
    id: env.newId(),
    before: null,
    after: null,
    acting: async () => {
      if (!env.journal || marked) return;
      const desiredBefore = spec.kind === 'numvfs' && env.desiredOf ? await env.desiredOf(spec.target) : undefined;
      await env.journal.begin({
        version: 1,
        pid: process.pid,
        ...described,
        before: record.before,
        ...(desiredBefore === undefined ? {} : { desiredBefore }),
      });
      marked = true;
    },
    progress: (step, of, description) => env.bus.publish({ type: 'operation.progress', ...base, step, of, description, at: env.now().toISOString() }),
  };
  /** What the running mark and the audit entry both say of the operation. */
  const described = { id: record.id, startedAt, host: env.hostId, who: spec.who, operation: spec.kind, target: spec.target, request: spec.request };
  const base = { host: env.hostId, operationId: record.id, kind: spec.kind, target: spec.target };
  tracker.begin();
  env.bus.publish({ type: 'operation.started', ...base, at: startedAt });

  let result: OperationResult = 'ok';
  let problem: Problem | undefined;
  let detail: string | undefined;
  try {
    const value = await steps(record);
    detail = record.detail;
    return value;
  } catch (err) {
    result = outcomeOf(err);
    problem = env.problemOf(err);
    detail = problem.detail ?? (err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    const entry: AuditEntry = {
      ...described,
      at: env.now().toISOString(),
      before: record.before,
      after: record.after,
      result,
      ...(detail === undefined ? {} : { detail }),
      ...(problem ? { problem: auditProblem(problem) } : {}),
    };
    let audited = false;
    try {
      await env.audit.append(entry);
      audited = true;
    } catch (auditErr) {
      env.onAuditFailure(auditErr, entry);
    }
    // Without its audit entry the operation keeps its mark: the next start records it then.
    if (marked && audited) {
      try {
        await env.journal!.end(record.id);
      } catch (journalErr) {
        env.onJournalFailure?.(journalErr, record.id);
      }
    }
    tracker.end();
    env.bus.publish({ type: 'operation.finished', ...base, result, ...(detail === undefined ? {} : { detail }), at: entry.at });
    env.onFinished?.(spec.kind, result);
  }
}

/** The problem as the audit log keeps it: what kind and why, without the bulky re-read PF or the URL. */
function auditProblem(problem: Problem): NonNullable<AuditEntry['problem']> {
  const { instance: _i, detail: _d, ...rest } = problem;
  if (rest.type === ProblemType.kernel && 'vfNow' in rest) {
    const { vfNow: _vf, ...kernel } = rest;
    return kernel;
  }
  if (rest.type !== ProblemType.partial || !('pfNow' in rest)) return rest;
  const { pfNow: _pf, ...partial } = rest;
  return partial;
}
