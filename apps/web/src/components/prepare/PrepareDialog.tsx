import { useRef, useState } from 'react';
import type { PrepareResult, PrepareStep } from '@vfmap/model';
import { managementPathRefusalOf } from '../../api/managementPathRefusal';
import type { OperationProgress } from '../../api/useHostEvents';
import { usePreparePlan, usePrepareWrite } from '../../api/useSettingsWrites';
import type { PfNode } from '../../graph/graphModel';
import { plural } from '../../format/units';
import { Dialog } from '../writes/Dialog';
import { WriteProblem } from '../writes/WriteProblem';
import { checkPrepare, type PrepareDraft } from './prepareForm';

export interface PrepareDialogProps {
  hostId: string;
  pf: PfNode;
  /** the operations the event stream reports, by target: the prepare's steps arrive there. */
  operations: ReadonlyMap<string, OperationProgress>;
  onClose: () => void;
}

const KIND_WORDS: Record<PrepareStep['kind'], string> = {
  desired: 'Keep',
  autoprobe: 'Autoprobe',
  numvfs: 'VF count',
  'vf-config': 'VF settings',
  'vf-driver': 'Driver',
  persist: 'Boot',
};

/**
 * "Prepare VFs for VMs" on a PF: how many, vfio-pci or not, stable MACs, a VLAN for all or per VF —
 * then the agent's own plan (a dry run: nothing is written), each step in order with what it
 * affects, the MACs the VFs get and the warnings; then Run, with each step ticked off as the agent
 * reports it, and the result or where it stopped.
 */
export function PrepareDialog({ hostId, pf, operations, onClose }: PrepareDialogProps) {
  const totalVfs = pf.pf.totalVfs;
  const [draft, setDraft] = useState<PrepareDraft>(() => ({
    count: String(pf.pf.numVfs > 0 ? pf.pf.numVfs : Math.min(4, totalVfs)),
    vfio: true,
    stableMacs: pf.pf.netdevs.length > 0,
    sameVlan: '',
    overrides: {},
    force: false,
  }));
  const [perVf, setPerVf] = useState(false);
  const planner = usePreparePlan(hostId, pf.address);
  const write = usePrepareWrite(hostId, pf.address);
  // The write's state outlives the dialog (mutation cache): only a run started here is this dialog's.
  const before = useRef(write.last?.mutationId ?? null);
  const run = write.last && write.last.mutationId !== before.current ? write.last : null;
  const started = run !== null;

  const check = checkPrepare(draft, totalVfs);
  const planned = planner.plan && check.request && JSON.stringify(planner.askedFor) === JSON.stringify(check.request) ? planner.plan : null;
  const set = <K extends keyof PrepareDraft>(key: K, value: PrepareDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const count = check.request?.count ?? 0;
  const op = operations.get(pf.address);
  const progress = op && op.kind === 'prepare' && started ? (op.steps ?? []) : [];
  const held = pf.counts.held > 0;
  // Refused because the PF carries the host's default route: the same request can go again, forced.
  const refusal = run?.status === 'error' && run.request && !run.request.force ? managementPathRefusalOf(run.error) : null;
  const [forceAgain, setForceAgain] = useState(false);

  const askPlan = () => {
    if (check.request && !started) planner.ask(check.request);
  };
  const footer = started ? (
    <>
      {run.status === 'pending' ? <span className="muted foot-note">The agent is working; closing this keeps it going.</span> : null}
      {refusal ? (
        <label className="force">
          <input type="checkbox" checked={forceAgain} onChange={(e) => setForceAgain(e.target.checked)} />
          <span>
            Change anyway (force), though the host may lose its connection through {refusal.interfaces[0] ?? 'this PF'} while the link resets.
            {held ? ' VFs VMs hold are destroyed too if the count change needs to.' : ''}
          </span>
        </label>
      ) : null}
      <button type="button" className={run.status === 'pending' || refusal ? undefined : 'primary'} onClick={onClose} data-autofocus>
        Close
      </button>
      {refusal && run.request ? (
        <button type="button" className="danger" disabled={!forceAgain} onClick={() => run.request && void write.run({ ...run.request, force: true })}>
          Force: prepare {plural(run.request.count, 'VF')}
        </button>
      ) : null}
    </>
  ) : (
    <>
      <span className="muted foot-note">Nothing has been written yet.</span>
      <button type="button" onClick={onClose}>
        Cancel
      </button>
      {planned ? (
        <button type="button" className={draft.force ? 'danger' : 'primary'} onClick={() => check.request && void write.run(check.request)}>
          Run: prepare {plural(count, 'VF')}
        </button>
      ) : (
        <button type="submit" className="primary" disabled={check.request === null || planner.pending}>
          {planner.pending ? 'Asking the agent…' : 'Show the plan'}
        </button>
      )}
    </>
  );

  return (
    <Dialog
      title={`Prepare VFs for VMs on ${pf.label}`}
      subtitle={
        <>
          <code>{pf.address}</code> · {pf.pf.numVfs} of {totalVfs} VFs now
        </>
      }
      onCancel={onClose}
      onSubmit={askPlan}
      className="prepare-dialog"
      footer={footer}
    >
      <fieldset className="prepare-form" disabled={started}>
        <legend className="sr-only">What the VFs should be</legend>
        <div className="settings-row">
          <label className="settings-label" htmlFor="prepare-count">
            VFs
          </label>
          <div className="settings-control">
            <input
              id="prepare-count"
              type="number"
              inputMode="numeric"
              min={1}
              max={totalVfs}
              className="narrow"
              value={draft.count}
              aria-invalid={check.errors.count !== undefined}
              onChange={(e) => set('count', e.target.value)}
              data-autofocus
            />
            <span className="muted">of {totalVfs}</span>
          </div>
          {check.errors.count ? <p className="field-error">{check.errors.count}</p> : null}
        </div>
        <label className="check-row">
          <input type="checkbox" checked={draft.vfio} onChange={(e) => set('vfio', e.target.checked)} /> Bind every VF to vfio-pci{' '}
          <span className="muted">(ready for a VM; no host interface per VF)</span>
        </label>
        <label className="check-row">
          <input type="checkbox" checked={draft.stableMacs} disabled={pf.pf.netdevs.length === 0} onChange={(e) => set('stableMacs', e.target.checked)} /> Stable MACs{' '}
          <span className="muted">(each VF keeps its MAC across reboots and count changes)</span>
        </label>
        <div className="settings-row">
          <label className="settings-label" htmlFor="prepare-vlan">
            VLAN for all
          </label>
          <div className="settings-control">
            <input
              id="prepare-vlan"
              type="number"
              inputMode="numeric"
              min={0}
              max={4095}
              className="narrow"
              placeholder="none"
              value={draft.sameVlan}
              disabled={pf.pf.netdevs.length === 0}
              aria-invalid={check.errors.sameVlan !== undefined}
              onChange={(e) => set('sameVlan', e.target.value)}
            />
            <label className="inline">
              <input type="checkbox" checked={perVf} disabled={pf.pf.netdevs.length === 0} onChange={(e) => setPerVf(e.target.checked)} /> per VF
            </label>
          </div>
          {check.errors.sameVlan ? <p className="field-error">{check.errors.sameVlan}</p> : null}
        </div>
        {perVf && count > 0 ? (
          <div className="per-vf-vlans" role="group" aria-label="VLAN per VF">
            {Array.from({ length: count }, (_, i) => (
              <label key={i} className="per-vf-vlan">
                VF {i}{' '}
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={4095}
                  className="narrow"
                  aria-label={`VLAN of VF ${i}`}
                  placeholder={draft.sameVlan.trim() === '' ? 'none' : draft.sameVlan.trim()}
                  value={draft.overrides[i] ?? ''}
                  aria-invalid={check.errors.overrides[i] !== undefined}
                  onChange={(e) => set('overrides', { ...draft.overrides, [i]: e.target.value })}
                />
                {check.errors.overrides[i] ? <span className="field-error">{check.errors.overrides[i]}</span> : null}
              </label>
            ))}
          </div>
        ) : null}
        {held ? (
          <label className="check-row force">
            <input type="checkbox" checked={draft.force} onChange={(e) => set('force', e.target.checked)} /> Destroy VFs that VMs hold if the count change needs to (force)
          </label>
        ) : null}
      </fieldset>
      {planner.error && !started ? <WriteProblem error={planner.error} /> : null}
      {planned ? <Plan plan={planned} progress={progress} running={run?.status === 'pending'} /> : null}
      {run?.status === 'error' && run.error ? <WriteProblem error={run.error} /> : null}
      {run?.status === 'success' && run.data ? <Done result={run.data} /> : null}
    </Dialog>
  );
}

function Plan({ plan, progress, running }: { plan: PrepareResult; progress: readonly { step: number; of: number; description: string }[]; running: boolean }) {
  const doneUpTo = progress.reduce((m, p) => Math.max(m, p.step), 0);
  const latest = progress.at(-1);
  return (
    <section aria-label="the plan" className="prepare-plan">
      <h3>{progress.length > 0 || running ? 'Progress' : 'What the agent will do'}</h3>
      <ol className="steps plan-steps">
        {plan.plan.steps.map((s, i) => {
          const state = i + 1 <= doneUpTo ? 'done' : running && i === doneUpTo ? 'running' : 'waiting';
          return (
            <li key={`${i}-${s.kind}-${s.target}`} className={`plan-step step-${state}`} data-step-kind={s.kind} data-step-state={progress.length > 0 || running ? state : undefined}>
              <div className="step-row">
              <span className="step-kind">{KIND_WORDS[s.kind]}</span>
              <span className="step-text">
                {s.description}
                {s.target !== plan.plan.pf ? (
                  <>
                    {' '}
                    <code className="muted">{s.target}</code>
                  </>
                ) : null}
                {s.affects ? <span className="warn-text step-affects">{s.affects}</span> : null}
              </span>
              </div>
            </li>
          );
        })}
      </ol>
      {latest ? (
        <p className="muted" role="status">
          Step {latest.step} of {latest.of} done: {latest.description}
        </p>
      ) : running ? (
        <p className="muted" role="status">
          <span className="spinner small" aria-hidden="true" /> Started…
        </p>
      ) : null}
      {plan.plan.macs.length > 0 ? (
        <div className="plan-macs">
          <h4>MACs</h4>
          <ul className="plain mac-list">
            {plan.plan.macs.map((m, i) => (
              <li key={i}>
                VF {i} <code>{m}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.plan.warnings.length > 0 ? (
        <ul className="warn-box plan-warnings">
          {plan.plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function Done({ result }: { result: PrepareResult }) {
  return (
    <div className="write-status done" role="status">
      <strong>Done</strong>
      <p>{result.message}</p>
      {result.steps.length > 0 ? (
        <ol className="steps">
          {result.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
