import type { Holder, VmState } from '@vfmap/model';
import type { VfNode } from '../../graph/graphModel';
import { Dialog } from './Dialog';

export interface ReleaseDialogProps {
  vf: VfNode;
  holder: Holder;
  vmState: VmState;
  pfLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Taking a VF back: says what the VM notices, which depends on whether it runs. */
export function ReleaseDialog({ vf, holder, vmState, pfLabel, onConfirm, onCancel }: ReleaseDialogProps) {
  const live = vmState === 'running' || vmState === 'paused';
  return (
    <Dialog
      title={`Release VF ${vf.index} of ${pfLabel} from ${holder.vmName}`}
      subtitle={
        <>
          <code>{vf.address}</code> · VM {holder.vmId} · <code>{holder.via}</code>
        </>
      }
      onCancel={onCancel}
      className="release-dialog"
      footer={
        <>
          <span className="muted foot-note">Nothing has been written yet.</span>
          <button type="button" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button type="button" className="primary" onClick={onConfirm}>
            Release
          </button>
        </>
      }
    >
      <p>
        {holder.vmName}&apos;s configuration stops naming the VF{holder.pending ? ' (the assignment was not yet in effect)' : ''}, and it becomes free
        for another VM.
      </p>
      <p>
        {live
          ? `${holder.vmName} is ${vmState}: the hypervisor takes the device away now if it can detach it live, else when the VM next stops. The answer says which.`
          : `${holder.vmName} is ${vmState}: nothing uses the VF now.`}
      </p>
    </Dialog>
  );
}
