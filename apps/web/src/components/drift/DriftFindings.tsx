import { EvidenceTable } from '../EvidenceTable';
import type { DriftFinding } from '@vfmap/model';
import type { ReactNode } from 'react';
import { driftTarget } from '../../graph/driftMarks';
import type { GraphModel } from '../../graph/graphModel';
import { nodeId, type NodeId } from '../../graph/nodeId';

export interface DriftFindingsProps {
  findings: readonly DriftFinding[];
  model: GraphModel;
  onSelect: (id: NodeId) => void;
  /** name each finding's device with a link to it in the graph (lists that span devices). */
  showTarget?: boolean;
  /** fold each finding's why, fix and evidence under its title (the host's long list). */
  folded?: boolean;
}

const SEVERITY_TAG: Record<DriftFinding['severity'], string> = { fail: 'fails', warn: 'warning', info: 'info' };

/**
 * Where the VM configurations and what runs disagree: each finding's title, the VMs it involves,
 * what it means, what to do, and the facts it rests on (the file read and the value found).
 */
export function DriftFindings({ findings, model, onSelect, showTarget = false, folded = false }: DriftFindingsProps) {
  return (
    <ul className="drift-list">
      {findings.map((f, i) => (
        <DriftItem key={`${f.kind}/${f.address}/${f.vmId ?? ''}/${i}`} finding={f} model={model} onSelect={onSelect} showTarget={showTarget} folded={folded} />
      ))}
    </ul>
  );
}

function DriftItem({ finding: f, model, onSelect, showTarget, folded }: { finding: DriftFinding; model: GraphModel; onSelect: (id: NodeId) => void; showTarget: boolean; folded: boolean }) {
  const head = (
    <>
      <span className={`tag drift-tag drift-tag-${f.severity}`}>{SEVERITY_TAG[f.severity]}</span> <span className="drift-title">{f.title}</span>
    </>
  );
  const involved = <Involved finding={f} model={model} onSelect={onSelect} showTarget={showTarget} />;
  const body = (
    <>
      <p className="drift-why">{f.why}</p>
      <p className="drift-fix">
        <strong>Fix:</strong> {f.fix}
      </p>
      {f.evidence.length > 0 ? (
        <EvidenceTable evidence={f.evidence} className="check-evidence drift-evidence" />
      ) : null}
    </>
  );
  return (
    <li className={`drift drift-${f.severity}`} data-drift-kind={f.kind} data-severity={f.severity} data-address={f.address}>
      <p className="drift-head">{head}</p>
      {involved}
      {folded ? (
        <details>
          <summary>Why, the fix and the evidence</summary>
          {body}
        </details>
      ) : (
        body
      )}
    </li>
  );
}

/** How the other VM is involved, before its name. */
const OTHER_VM_WORDS: Partial<Record<DriftFinding['kind'], string>> = {
  'holds-a-different-vf': 'configured for',
  'group-shared-with-another-vm': 'group shared with',
};

/** The device (when the list spans devices) and the VMs the finding involves, each a link to the graph where it is drawn. */
function Involved({ finding: f, model, onSelect, showTarget }: { finding: DriftFinding; model: GraphModel; onSelect: (id: NodeId) => void; showTarget: boolean }) {
  const parts: ReactNode[] = [];
  if (showTarget) {
    const target = driftTarget(f, model);
    const device = model.deviceByAddress.get(f.address);
    // A device the host lacks (a VF gone with a lower count) leads to its PF, where it would be.
    const pf = !device && f.pf !== null && model.pfByAddress.has(f.pf) ? f.pf : null;
    parts.push(
      <span key="device">
        {target ? (
          <button type="button" className="link" onClick={() => onSelect(target)} aria-label={`Show ${f.address} in the graph`}>
            <code>{f.address}</code>
          </button>
        ) : (
          <code>{f.address}</code>
        )}
        <span className="muted">{device ? ` ${device.name}` : ' — not on this host'}</span>
        {pf ? (
          <>
            {', a VF of '}
            <button type="button" className="link" onClick={() => onSelect(nodeId.pf(pf))} aria-label={`Show its PF ${pf} in the graph`}>
              <code>{pf}</code>
            </button>
          </>
        ) : null}
      </span>,
    );
  }
  if (f.vmId !== null) parts.push(<VmLink key="vm" vmId={f.vmId} vmName={f.vmName} model={model} onSelect={onSelect} />);
  if (f.otherVmId !== null) {
    parts.push(
      <span key="other">
        {OTHER_VM_WORDS[f.kind] ?? 'also'} <VmLink vmId={f.otherVmId} vmName={null} model={model} onSelect={onSelect} />
      </span>,
    );
  }
  if (parts.length === 0) return null;
  return <p className="drift-involved">{parts.flatMap((p, i) => (i === 0 ? [p] : [' · ', p]))}</p>;
}

function VmLink({ vmId, vmName, model, onSelect }: { vmId: string; vmName: string | null; model: GraphModel; onSelect: (id: NodeId) => void }) {
  const vm = model.vmById.get(vmId);
  const name = vmName ?? vm?.vm.name ?? null;
  // A hand-started QEMU has no VM id of its own: the agent names it the same both ways.
  const words = `VM ${vmId}${name && name !== vmId ? ` ${name}` : ''}`;
  return vm ? (
    <button type="button" className="link" onClick={() => onSelect(nodeId.vm(vmId))}>
      {words}
    </button>
  ) : (
    <span>{words}</span>
  );
}

/** "Config and reality differ": the findings of one item of the details panel, under its heading. */
export function DriftSection({ findings, ...rest }: DriftFindingsProps): ReactNode {
  if (findings.length === 0) return null;
  return (
    <section className="drift-section" aria-label="Config and reality differ">
      <h3>Config and reality differ</h3>
      <DriftFindings findings={findings} {...rest} />
    </section>
  );
}
