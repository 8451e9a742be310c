import { useState } from 'react';
import type { GraphModel, VfNode } from '../../graph/graphModel';
import { vmChoices } from '../../graph/vmChoices';
import { Dialog } from './Dialog';

export interface AssignDialogProps {
  model: GraphModel;
  vf: VfNode;
  pfLabel: string;
  onConfirm: (vmId: string) => void;
  onCancel: () => void;
}

/**
 * The VM picker for a free VF: every VM the hypervisor of the VF's host lists, running, paused or
 * stopped, those already holding devices on the VF's NUMA node first, each saying how it fits
 * and when it would get the VF.
 */
export function AssignDialog({ model, vf, pfLabel, onConfirm, onCancel }: AssignDialogProps) {
  const choices = vmChoices(model, vf);
  const [chosen, setChosen] = useState<string | null>(null);
  const vm = choices.find((c) => c.id === chosen) ?? null;
  const hostDriver = vf.vf.driver !== null && vf.vf.driver !== 'vfio-pci' ? vf.vf.driver : null;
  const netdev = vf.vf.netdevs[0]?.name;
  return (
    <Dialog
      title={`Assign VF ${vf.index} of ${pfLabel} to a VM`}
      subtitle={<code>{vf.address}</code>}
      onCancel={onCancel}
      className="assign-dialog"
      footer={
        <>
          <span className="muted foot-note">Nothing has been written yet.</span>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={vm === null} onClick={() => vm && onConfirm(vm.id)}>
            {vm ? `Assign to ${vm.name}` : 'Assign'}
          </button>
        </>
      }
    >
      {choices.length === 0 ? (
        <p>The hypervisor lists no VMs on this host.</p>
      ) : (
        <fieldset className="vm-picker">
          <legend>VM</legend>
          {choices.map((c) => (
            <label key={c.id} className={`vm-choice numa-${c.numa}`} data-vm-choice={c.id}>
              <input type="radio" name="vm" value={c.id} checked={chosen === c.id} onChange={() => setChosen(c.id)} />
              <span className="vm-choice-text">
                <span className="vm-choice-name">
                  <strong>{c.name}</strong> <span className="muted">VM {c.id}</span>{' '}
                  <span className={`vm-state-word state-${c.state}`}>{c.state}</span>
                </span>
                <span className={c.numa === 'other' ? 'hint warn-text' : c.numa === 'same' ? 'hint free-text' : 'hint muted'}>{c.numaHint}</span>
                {c.effectHint ? <span className="hint pending-text">{c.effectHint}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {hostDriver ? (
        <p className="muted">
          The VF is bound to the host driver {hostDriver}
          {netdev ? ` as ${netdev}` : ''}; the hypervisor rebinds it to vfio-pci{netdev ? ', and the host loses that interface' : ''}.
        </p>
      ) : null}
    </Dialog>
  );
}
