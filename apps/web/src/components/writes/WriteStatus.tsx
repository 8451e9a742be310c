import type { AssignmentResult } from '@vfmap/model';
import { useState } from 'react';
import type { WriteState } from '../../api/useWrites';
import { isReadOnly } from '../../api/withWriteToken';
import { WriteProblem } from './WriteProblem';

/** Every write's answer says what it did in words; an assignment also says when it takes effect. */
type Result = { message: string };

/**
 * The latest write on a target: waiting, done (the agent's own account, and for an assignment
 * whether it is in effect now or at the VM's next start), or the problem. Dismissable, since it
 * outlives the moment.
 */
export function WriteStatus<T extends Result, Req>({ state, waiting }: { state: WriteState<T, Req> | null; waiting: string }) {
  const [dismissed, setDismissed] = useState<number | null>(null);
  if (!state || state.status === 'idle' || dismissed === state.mutationId) return null;
  // The read-only notice above the controls says it once for every control.
  if (state.status === 'error' && isReadOnly(state.error)) return null;
  if (state.status === 'pending') {
    return (
      <div className="write-status pending" role="status">
        <span className="spinner small" aria-hidden="true" /> {waiting}
      </div>
    );
  }
  const dismiss = (
    <button type="button" className="dismiss" aria-label="Dismiss" onClick={() => setDismissed(state.mutationId)}>
      ×
    </button>
  );
  if (state.status === 'error' && state.error) {
    return (
      <div className="write-status failed">
        {dismiss}
        <WriteProblem error={state.error} />
      </div>
    );
  }
  const data = state.data;
  if (!data) return null;
  return (
    <div className="write-status done" role="status">
      {dismiss}
      {isAssignment(data) ? <EffectLine result={data} /> : <strong>Done</strong>}
      <p>{data.message}</p>
    </div>
  );
}

function isAssignment(data: Result): data is AssignmentResult {
  return 'effect' in data && 'vm' in data;
}

function EffectLine({ result }: { result: AssignmentResult }) {
  if (result.effect === 'next-start') {
    return (
      <strong className="effect next-start">
        Takes effect at the next start of {result.vm.name} <span className="muted">({result.vm.state})</span>
      </strong>
    );
  }
  return <strong className="effect live">In effect now: {result.vm.name} is {result.vm.state}</strong>;
}
