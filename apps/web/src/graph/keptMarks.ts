import type { HostPersistence } from '@vfmap/model';

/** A PF whose VFs come back differently after a reboot, or not at all: a mark on its label. */
export interface KeptMark {
  kind: 'lost' | 'differs';
  /** the mark's words, short enough for the PF label. */
  text: string;
  /** the evidence, for the tooltip: what differs, or that nothing keeps it. */
  title: string;
}

/**
 * The marks for the PFs of a host's persistence: "lost at reboot" where nothing keeps what is live
 * or desired, "differs" where live is not what vfmap keeps. Nothing for the PFs that are fine, or
 * when the agent did not say.
 */
export function keptMarksOf(persistence: HostPersistence | undefined): ReadonlyMap<string, KeptMark> {
  const marks = new Map<string, KeptMark>();
  for (const pf of persistence?.pfs ?? []) {
    if (pf.lostAtReboot) {
      marks.set(pf.pf, { kind: 'lost', text: 'lost at reboot', title: `Nothing keeps ${pf.interface ?? pf.pf}'s VFs at boot.` });
    } else if (pf.matches === false) {
      const what = pf.differences.map((d) => `${d.what}: kept ${d.desired}, live ${d.live}`);
      marks.set(pf.pf, { kind: 'differs', text: 'differs from kept', title: what.length > 0 ? what.join('\n') : 'Live differs from what vfmap keeps.' });
    }
  }
  return marks;
}
