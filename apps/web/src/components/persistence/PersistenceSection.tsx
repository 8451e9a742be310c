import type { PfPersistence } from '@vfmap/model';
import { useEffect, useRef } from 'react';
import { useAutoprobeWrite, usePersistence, useReapplyWrite, useStableMacsWrite } from '../../api/useSettingsWrites';
import { useWriteAccess } from '../../api/writeAccess';
import type { PfNode } from '../../graph/graphModel';
import { messageOf } from '../../api/apiError';
import type { OperationProgress } from '../../api/useHostEvents';
import { WriteStatus } from '../writes/WriteStatus';
import { competesWords, keptByWords, setsWords } from './persistenceWords';

export interface PersistenceSectionProps {
  hostId: string;
  pf: PfNode;
  /** why the PF cannot change right now (an operation runs on it), or null. */
  busy: string | null;
  /** the operations the event stream reports: a re-apply's steps arrive there. */
  operations?: ReadonlyMap<string, OperationProgress>;
}

/**
 * "Kept across reboots" for a PF: what vfmap keeps for it beside what is live (each difference in
 * words), the mechanism and file that put it back at boot — or a clear "lost at reboot" — the
 * other things on the host that set the same VFs, and a Re-apply; with the two PF switches that
 * shape what boot brings back (drivers_autoprobe, stable MACs).
 */
export function PersistenceSection({ hostId, pf, busy, operations }: PersistenceSectionProps) {
  const persistence = usePersistence(hostId);
  // The PF read again (an event, a write, a change behind vfmap's back): what differs may have changed too.
  const { refetch } = persistence;
  const firstRead = useRef(pf.pf);
  useEffect(() => {
    if (firstRead.current !== pf.pf) void refetch();
  }, [pf.pf, refetch]);
  const entry = persistence.data?.pfs.find((p) => p.pf === pf.address) ?? null;
  return (
    <section className="write-box persistence" aria-label="Kept across reboots">
      <h3>Kept across reboots</h3>
      {persistence.isPending ? (
        <p className="muted">Reading what the host keeps…</p>
      ) : persistence.error ? (
        <p className="muted">Not known: {messageOf(persistence.error.failure)}</p>
      ) : entry === null ? (
        <p className="muted">The agent reports nothing about this PF.</p>
      ) : (
        <PfKept hostId={hostId} pf={pf} entry={entry} busy={busy} operation={operations?.get(pf.address) ?? null} />
      )}
    </section>
  );
}

function PfKept(props: { hostId: string; pf: PfNode; entry: PfPersistence; busy: string | null; operation: OperationProgress | null }) {
  const { hostId, pf, entry, busy, operation } = props;
  const step = operation?.kind === 'reapply' && operation.finished === null ? operation.steps?.at(-1) : undefined;
  const access = useWriteAccess();
  const reapply = useReapplyWrite(hostId, pf.address);
  const autoprobe = useAutoprobeWrite(hostId, pf.address);
  const stableMacs = useStableMacsWrite(hostId, pf.address);
  const pending = reapply.pending || autoprobe.pending || stableMacs.pending;
  const disabled = access.readOnly !== null || pending || busy !== null;
  const waitReason = access.readOnly || pending ? null : busy;
  const { desired, keptBy } = entry;
  const liveAutoprobe = pf.pf.driversAutoprobe;
  const stableOn = desired?.stableMacs ?? false;

  return (
    <>
      <p className="kept-status">
        {entry.lostAtReboot ? (
          <span className="tag lost-tag" data-lost-at-reboot>
            lost at reboot
          </span>
        ) : null}
        {desired === null ? (
          <span>vfmap keeps nothing for this PF.</span>
        ) : entry.matches ? (
          <span className="free-text">Live matches what is kept: {desired.count === 1 ? '1 VF' : `${desired.count} VFs`}.</span>
        ) : (
          <span className="warn-text">Live differs from what is kept.</span>
        )}
      </p>
      {entry.differences.length > 0 ? (
        <table className="differences" aria-label="Desired and live">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Kept</th>
              <th scope="col">Live</th>
            </tr>
          </thead>
          <tbody>
            {entry.differences.map((d) => (
              <tr key={d.what} data-difference={d.what}>
                <th scope="row">{d.what}</th>
                <td>{d.desired}</td>
                <td>{d.live}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className={`kept-by mechanism-${keptBy.mechanism}`}>
        {keptBy.mechanism === 'none' ? <strong className="warn-text">Nothing keeps it at boot.</strong> : <>{capital(keptByWords(keptBy))}.</>}
        {keptBy.mechanism !== 'none' && !keptBy.written ? <span className="warn-text"> The file does not hold what is kept now yet: re-apply writes it.</span> : null}
      </p>
      {keptBy.notKept.length > 0 ? <p className="warn-text">This way cannot keep: {keptBy.notKept.join(', ')}.</p> : null}
      {keptBy.initramfs ? (
        <p className="initramfs-note">
          The PF&apos;s driver loads from the initramfs: run <code>update-initramfs -u</code> so the file is there at boot.
        </p>
      ) : null}
      {/* With nothing kept the agent's note repeats the status line above. */}
      {keptBy.note && !(desired === null && keptBy.mechanism === 'none') ? <p className="muted">{keptBy.note}</p> : null}
      {entry.owners.length > 0 ? (
        <div className="owners">
          <p>Other things on this host set these VFs:</p>
          <ul className="plain">
            {entry.owners.map((o) => (
              <li key={`${o.path}:${o.line ?? ''}`} className={o.competes === 'yes' ? 'warn-text' : undefined} data-owner={o.kind}>
                <strong>{competesWords(o.competes)}</strong>: <code>{o.path}</code>
                {o.line !== null ? <span className="muted">:{o.line}</span> : null} <span className="muted">({o.kind}, sets {setsWords(o.sets)})</span>
                {o.text ? <pre className="owner-text">{o.text}</pre> : null}
                {o.note ? <div className="muted">{o.note}</div> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {entry.warnings.length > 0 ? (
        <ul className="warnings">
          {entry.warnings.map((w) => (
            <li key={w} className="warn-text">
              {w}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="switches">
        <label>
          <input
            type="checkbox"
            checked={liveAutoprobe === true}
            disabled={disabled || liveAutoprobe === null}
            onChange={(e) => void autoprobe.run({ enabled: e.target.checked })}
          />{' '}
          Host drivers take new VFs <span className="muted">(sriov_drivers_autoprobe{liveAutoprobe === null ? ': not reported' : ''})</span>
        </label>
        <label>
          <input type="checkbox" checked={stableOn} disabled={disabled || pf.pf.netdevs.length === 0} onChange={(e) => void stableMacs.run({ enabled: e.target.checked })} /> Stable
          MACs <span className="muted">(the same MAC per VF after every reboot and count change)</span>
        </label>
      </div>
      <button type="button" className={entry.matches === false || !keptBy.written ? 'primary' : undefined} disabled={disabled || desired === null} onClick={() => void reapply.run()}>
        Re-apply
      </button>
      {desired === null ? <span className="muted"> Nothing is kept yet: a change from this page keeps it.</span> : null}
      {waitReason ? <p className="muted wait-reason">{waitReason}</p> : null}
      <WriteStatus state={autoprobe.last} waiting="Switching drivers_autoprobe…" />
      <WriteStatus state={stableMacs.last} waiting="Switching stable MACs…" />
      <WriteStatus state={reapply.last} waiting={step ? `Re-applying what is kept: step ${step.step} of ${step.of} done (${step.description})…` : 'Re-applying what is kept…'} />
    </>
  );
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
