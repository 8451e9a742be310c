import type { OperationProgress } from '../../api/useHostEvents';
import { useWriteAccess } from '../../api/writeAccess';
import type { GraphModel } from '../../graph/graphModel';
import { parseNodeId, type NodeId } from '../../graph/nodeId';
import { pfBusyReason, vfBusyReason } from '../../graph/operationLocks';
import { PersistenceSection } from '../persistence/PersistenceSection';
import { ChecksPanel } from '../checks/ChecksPanel';
import { PrepareControls } from '../prepare/PrepareControls';
import { VfDriverControls } from '../settings/VfDriverControls';
import { PfWriteControls } from './PfWriteControls';
import { VfWriteControls } from './VfWriteControls';

export interface WriteActionsProps {
  hostId: string;
  model: GraphModel;
  selected: NodeId;
  operations: ReadonlyMap<string, OperationProgress>;
}

/** The write controls for the selected node: the VF count on a PF, assign or release on a VF. */
export function WriteActions({ hostId, model, selected, operations }: WriteActionsProps) {
  const parsed = parseNodeId(selected);
  if (!parsed) return null;
  let controls = null;
  if (parsed.kind === 'pf' || parsed.kind === 'bar') {
    const pf = model.pfByAddress.get(parsed.key);
    if (pf) {
      const busy = pfBusyReason(model, operations, pf.address);
      controls = (
        <>
          <PfWriteControls key={pf.address} hostId={hostId} model={model} pf={pf} busy={busy} />
          <PrepareControls key={`prepare-${pf.address}`} hostId={hostId} pf={pf} operations={operations} busy={busy} />
          <PersistenceSection key={`kept-${pf.address}`} hostId={hostId} pf={pf} busy={busy} operations={operations} />
          <ChecksPanel key={`checks-${pf.address}`} hostId={hostId} pf={pf.address} />
        </>
      );
    }
  } else if (parsed.kind === 'vf') {
    const vf = model.vfByAddress.get(parsed.key);
    if (vf) {
      const busy = vfBusyReason(model, operations, vf.address);
      controls = (
        <>
          <VfWriteControls key={vf.address} hostId={hostId} model={model} vf={vf} busy={busy} />
          <VfDriverControls key={`driver-${vf.address}`} hostId={hostId} model={model} vf={vf} busy={busy} />
        </>
      );
    }
  }
  if (!controls) return null;
  return (
    <>
      <ReadOnlyNotice />
      {controls}
      <TokenLine />
    </>
  );
}

function ReadOnlyNotice() {
  const { readOnly } = useWriteAccess();
  if (!readOnly) return null;
  return (
    <p className="read-only-notice" role="status">
      <strong>Read-only agent.</strong> {readOnly}
    </p>
  );
}

/** Whether the tab keeps a token, and a way to drop it (a shared screen, the wrong agent's token). */
function TokenLine() {
  const access = useWriteAccess();
  if (!access.hasToken || access.readOnly) return null;
  return (
    <p className="token-line muted">
      Write token kept for this tab.{' '}
      <button type="button" className="link" onClick={access.forgetToken}>
        Forget it
      </button>
    </p>
  );
}
