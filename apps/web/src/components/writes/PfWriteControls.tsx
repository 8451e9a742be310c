import { useRef, useState } from 'react';
import { planNumVfs } from '@vfmap/model';
import { managementPathRefusalOf } from '../../api/managementPathRefusal';
import { useNumVfsWrite } from '../../api/useWrites';
import { useWriteAccess } from '../../api/writeAccess';
import type { GraphModel, PfNode } from '../../graph/graphModel';
import { NumVfsDialog } from './NumVfsDialog';
import { WriteStatus } from './WriteStatus';

export interface PfWriteControlsProps {
  hostId: string;
  model: GraphModel;
  pf: PfNode;
  /** why the count cannot change right now (an operation runs on the PF), or null. */
  busy: string | null;
}

/**
 * The VF count of a PF: a number with − and +, and a button that opens the confirm dialog with
 * the plan. The number follows the PF when its count changes (an event, another tab).
 */
export function PfWriteControls({ hostId, model, pf, busy }: PfWriteControlsProps) {
  const access = useWriteAccess();
  const write = useNumVfsWrite(hostId, pf.address);
  const { numVfs, totalVfs } = pf.pf;
  const [draft, setDraft] = useState(String(numVfs));
  const [seen, setSeen] = useState(numVfs);
  const [reviewing, setReviewing] = useState<number | null>(null);
  // The agent's 409 management-path to a change sent from here opens the dialog again, with the
  // reason and the force box; once answered (sent again or cancelled) it stays closed. A refusal
  // already there when the controls appear (the panel showed another node) is only in the status.
  const [answered, setAnswered] = useState<number | null>(null);
  const mountedWith = useRef(write.last?.mutationId ?? null);
  const last = write.last;
  const refusal = last && last.mutationId !== mountedWith.current && last.mutationId !== answered && last.status === 'error' && last.request && !last.request.force ? managementPathRefusalOf(last.error) : null;
  const again = refusal && last?.request ? { count: last.request.count, mutationId: last.mutationId, refusal } : null;
  if (seen !== numVfs) {
    setSeen(numVfs);
    setDraft(String(numVfs));
  }

  const count = /^\d+$/.test(draft.trim()) ? Number(draft.trim()) : null;
  const inputError = count === null ? 'A whole number, 0 or more.' : count > totalVfs ? `At most ${totalVfs} (sriov_totalvfs).` : null;
  // Read-only is said once, above the controls; a write of this page says itself in its status.
  const waitReason = access.readOnly || write.pending ? null : busy;
  const disabled = access.readOnly !== null || write.pending || busy !== null;
  const step = (delta: number) => setDraft(String(Math.min(totalVfs, Math.max(0, (count ?? numVfs) + delta))));
  const review = () => {
    if (!disabled && count !== null && inputError === null && count !== numVfs) setReviewing(count);
  };

  return (
    <section className="write-box" aria-label="Change the VF count">
      <h3>VF count</h3>
      <div className="stepper">
        <button type="button" aria-label="One VF fewer" disabled={disabled || (count ?? numVfs) <= 0} onClick={() => step(-1)}>
          −
        </button>
        <input
          type="number"
          inputMode="numeric"
          aria-label="VFs wanted"
          min={0}
          max={totalVfs}
          step={1}
          value={draft}
          disabled={disabled}
          aria-invalid={inputError !== null}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') review();
          }}
        />
        <button type="button" aria-label="One VF more" disabled={disabled || (count ?? numVfs) >= totalVfs} onClick={() => step(1)}>
          +
        </button>
        <span className="muted">
          of {totalVfs} · {numVfs} now
        </span>
      </div>
      {inputError ? <p className="field-error">{inputError}</p> : null}
      <button type="button" className="primary" disabled={disabled || inputError !== null || count === numVfs} onClick={review}>
        Review the change…
      </button>
      {waitReason ? <p className="muted wait-reason">{waitReason}</p> : null}
      <WriteStatus state={write.last} waiting={waitingWords(write.last?.request?.count ?? numVfs, numVfs)} />
      {reviewing !== null ? (
        <NumVfsDialog
          plan={planNumVfs(pf.pf, reviewing, model.topology.vms)}
          pfLabel={pf.label}
          onCancel={() => setReviewing(null)}
          onConfirm={(force) => {
            setReviewing(null);
            void write.run(force ? { count: reviewing, force: true } : { count: reviewing });
          }}
        />
      ) : again ? (
        <NumVfsDialog
          plan={planNumVfs(pf.pf, again.count, model.topology.vms)}
          pfLabel={pf.label}
          refusal={again.refusal}
          onCancel={() => setAnswered(again.mutationId)}
          onConfirm={(force) => {
            setAnswered(again.mutationId);
            if (force) void write.run({ count: again.count, force: true });
          }}
        />
      ) : null}
    </section>
  );
}

/** What the agent is doing while the page waits; removing VFs is the slow part (1–3 s on real hardware). */
export function waitingWords(count: number, from: number): string {
  if (from === 0) return `Enabling ${count} VF${count === 1 ? '' : 's'}…`;
  if (count === 0) return `Removing the ${from} VF${from === 1 ? '' : 's'}: the kernel takes a second or more…`;
  return `Writing 0, then ${count}: removing the ${from} VF${from === 1 ? '' : 's'} takes the kernel a second or more…`;
}
