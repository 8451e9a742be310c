import type { Pf } from '@vfmap/model';
import { pfAuditState } from './auditState';
import { StepsStopped } from './errors';
import type { OperationRecord } from './operationRun';
import { actOn, touchesHost, type PfAction, type PfStepDeps } from './pfSteps';
import { isRefusal, reasonOf } from './stepFailure';

/** A step as planned: what it does, and what it says it does (the plan, the progress event, the answer). */
export interface PlannedStep {
  action: PfAction;
  description: string;
}

export interface StepRun {
  /** "Preparing", "Re-applying the desired state of"…: the failure reads "<what> <pf> stopped at step …". */
  what: string;
  /** The PF as read in its turn, before the first step. */
  pf: Pf;
  steps: readonly PlannedStep[];
  /** The last sentence of the failure: what the desired state says now (it may put it back first). */
  afterFailure(touchedHost: boolean, failed: PfAction): Promise<string>;
}

export interface StepsDone {
  /** The PF as the last step left it (re-read after a count change). */
  pf: Pf;
  /** Each step's description, in order. */
  done: string[];
  /** A step changed the live host (not only the desired state or the boot file). */
  touchedHost: boolean;
}

/**
 * Runs a PF operation's steps in order inside its turn, publishing operation.progress after each.
 * The first that fails stops the rest: the PF is re-read, and StepsStopped says which steps were
 * done, which failed and why — the steps done stay done (nothing is rolled back behind the
 * operator's back; the desired state, written first, still says what was asked).
 */
export async function runSteps(deps: PfStepDeps, record: OperationRecord, run: StepRun): Promise<StepsDone> {
  const of = run.steps.length;
  const done: string[] = [];
  let touchedHost = false;
  let current = run.pf;
  for (const [i, step] of run.steps.entries()) {
    try {
      current = await actOn(deps, record, current, step.action);
    } catch (err) {
      const pfNow = await reread(deps, run.pf.address);
      record.after = pfNow ? pfAuditState(pfNow) : null;
      const why = reasonOf(err);
      const after = await run.afterFailure(touchedHost, step.action);
      throw new StepsStopped(
        `${run.what} ${run.pf.address} stopped at step ${i + 1} of ${of} (${step.description}): ${why}.${done.length > 0 ? ` Done before it: ${done.length} step${done.length === 1 ? '' : 's'}.` : ''}${after ? ` ${after}` : ''}`,
        run.pf.address,
        done,
        step.description,
        why,
        isRefusal(err),
        pfNow,
      );
    }
    if (touchesHost(step.action)) touchedHost = true;
    done.push(step.description);
    record.progress(i + 1, of, step.description);
  }
  return { pf: current, done, touchedHost };
}

async function reread(deps: Pick<PfStepDeps, 'topology' | 'announce'>, address: string): Promise<Pf | null> {
  try {
    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    return snapshot.topology.pfs.find((p) => p.address === address) ?? null;
  } catch {
    return null;
  }
}
