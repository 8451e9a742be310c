import { clockTime } from '../format/clock';
import type { ForcedMark } from '../graph/forcedMarks';

/** The mark of a VF a forced count change re-created under its VM, and what clears it. */
export function ForcedMarkNote({ mark }: { mark: ForcedMark | undefined }) {
  if (!mark) return null;
  return (
    <div className="forced-mark" role="note">
      <strong>Re-created under {mark.vmName} by a forced count change</strong> at <time dateTime={mark.at}>{clockTime(mark.at)}</time>.{' '}
      The configuration of VM {mark.vmId} still names this address, but the device behind it is new: the running VM lost it.
      Restart the VM (or release the VF) to reconcile; this mark goes then.
    </div>
  );
}
