import { EvidenceTable } from '../EvidenceTable';
import type { Check } from '@vfmap/model';
import { useChecks } from '../../api/checks';
import { messageOf } from '../../api/apiError';
import { STATUS_WORD, countWords, sortChecks } from './checkWords';

export interface ChecksPanelProps {
  hostId: string;
  /** Only the checks about this PF (or device); absent: all of the host's. */
  pf?: string | null;
}

/**
 * "What stops SR-IOV here": the host's checks worst first, each with its status, the finding, and
 * on opening the files read with their values, why it matters and the fix for Proxmox and for
 * Debian/libvirt.
 */
export function ChecksPanel({ hostId, pf = null }: ChecksPanelProps) {
  const checks = useChecks(hostId);
  const shown = checks.data ? sortChecks(checks.data.checks.filter((c) => pf === null || c.target === pf)) : [];
  // The host's panel fills the workspace; a PF's sits in its details, like the other PF sections.
  return (
    <section className={pf === null ? 'checks' : 'write-box checks-pf'} aria-label={pf === null ? 'Checks' : `Checks of ${pf}`}>
      {pf === null ? <h2>What stops SR-IOV here</h2> : <h3>Checks</h3>}
      {checks.isPending ? (
        <p className="muted">Reading the host's checks…</p>
      ) : checks.error ? (
        <p className="muted">Not known: {messageOf(checks.error.failure)}</p>
      ) : shown.length === 0 ? (
        <p className="muted">No check concerns {pf ?? 'this host'}.</p>
      ) : (
        <>
          <p className="checks-summary">{countWords(shown)}</p>
          <ul className="check-list">
            {shown.map((check) => (
              <CheckItem key={`${check.id}/${check.target ?? 'host'}`} check={check} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function CheckItem({ check }: { check: Check }) {
  const hasFix = check.fix.proxmox !== '' || check.fix.debian !== '';
  return (
    <li className={`check check-${check.status}`} data-check={check.id} data-status={check.status} data-target={check.target ?? 'host'}>
      <details>
        <summary>
          <span className={`tag check-tag check-tag-${check.status}`}>{STATUS_WORD[check.status]}</span> <span className="check-title">{check.title}</span>
        </summary>
        <EvidenceTable evidence={check.evidence} />
        <p className="check-why">{check.why}</p>
        {hasFix ? (
          <dl className="check-fix">
            {check.fix.proxmox ? (
              <>
                <dt>Fix on Proxmox VE</dt>
                <dd>{check.fix.proxmox}</dd>
              </>
            ) : null}
            {check.fix.debian ? (
              <>
                <dt>Fix on Debian / libvirt</dt>
                <dd>{check.fix.debian}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </details>
    </li>
  );
}
