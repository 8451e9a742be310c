import { useState } from 'react';
import type { AffectedVm, NumVfsPlan, PlannedVf } from '@vfmap/model';
import type { ManagementPathRefusal } from '../../api/managementPathRefusal';
import { addressSpan, indexRanges, listSome } from '../../format/ranges';
import { plural } from '../../format/units';
import { Dialog } from './Dialog';

export interface NumVfsDialogProps {
  plan: NumVfsPlan;
  /** "E810-C port 0": what a person calls the PF. */
  pfLabel: string;
  onConfirm: (force: boolean) => void;
  onCancel: () => void;
  /**
   * The agent refused this change because the PF carries the host's management path (409
   * management-path): the dialog says why, and only a forced change can be sent.
   */
  refusal?: ManagementPathRefusal | null;
}

/**
 * Says what a VF count change will do before anything is written: the kernel writes in order,
 * the VFs destroyed and created, the VMs that lose a VF, the host interfaces that go away. A
 * change that destroys VFs VMs hold needs the force box ticked, and so does one the agent refused
 * because the PF carries the host's management path; a change the kernel would refuse offers no
 * confirm at all.
 */
export function NumVfsDialog({ plan, pfLabel, onConfirm, onCancel, refusal = null }: NumVfsDialogProps) {
  const [force, setForce] = useState(false);
  const blocked = plan.blocking.length > 0 || plan.kind === 'unchanged';
  const needsForce = plan.needsForce || refusal !== null;
  const canConfirm = !blocked && (!needsForce || force);
  return (
    <Dialog
      title={titleOf(plan, pfLabel)}
      subtitle={
        <>
          <code>{plan.pf}</code> · <code>sriov_numvfs</code> {plan.from} → {plan.to} <span className="muted">of {plan.totalVfs}</span>
        </>
      }
      onCancel={onCancel}
      className="numvfs-dialog"
      footer={
        <>
          {needsForce && !blocked ? (
            // In the footer, beside the button it unlocks: never scrolled out of sight.
            <label className="force">
              <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
              <span>{forceWords(plan, refusal)}</span>
            </label>
          ) : null}
          <span className="muted foot-note">Nothing has been written yet.</span>
          <button type="button" onClick={onCancel} data-autofocus={needsForce ? true : undefined}>
            Cancel
          </button>
          <button type="button" className={needsForce ? 'danger' : 'primary'} disabled={!canConfirm} onClick={() => onConfirm(needsForce && force)}>
            {confirmText(plan, needsForce)}
          </button>
        </>
      }
    >
      {refusal ? <ManagementPathNotice refusal={refusal} /> : null}
      {plan.blocking.length > 0 ? (
        <div className="dialog-error" role="alert">
          <strong>This change cannot be made</strong>
          <ul>
            {plan.blocking.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.kind === 'unchanged' ? <p>The PF already has {plural(plan.from, 'VF')}; there is nothing to change.</p> : <Steps plan={plan} />}
      {plan.vms.length > 0 ? <VmLosses plan={plan} /> : null}
      {plan.pending.length > 0 ? (
        <section aria-label="pending changes">
          <h3>Pending changes</h3>
          <ul>
            {plan.pending.map((p) => (
              <li key={p.address}>
                VF {p.index} <code>{p.address}</code> is named by {p.vmName}&apos;s configuration as <code>{p.via}</code>, not yet in effect.
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {plan.hostNetdevs.length > 0 ? (
        <p>
          The host loses {plural(plan.hostNetdevs.length, 'VF interface')}: {listSome(plan.hostNetdevs)}.
        </p>
      ) : null}
    </Dialog>
  );
}

function titleOf(plan: NumVfsPlan, pf: string): string {
  switch (plan.kind) {
    case 'enable':
      return `Enable ${plural(plan.to, 'VF')} on ${pf}`;
    case 'disable':
      return `Disable the ${plural(plan.from, 'VF')} of ${pf}`;
    case 'through-zero':
      return `Change ${pf} from ${plan.from} to ${plural(plan.to, 'VF')}`;
    case 'unchanged':
      return `${pf} has ${plural(plan.from, 'VF')}`;
  }
}

function confirmText(plan: NumVfsPlan, force: boolean): string {
  const verb = plan.kind === 'enable' ? `Enable ${plural(plan.to, 'VF')}` : plan.kind === 'disable' ? `Disable ${plural(plan.from, 'VF')}` : `Change to ${plural(plan.to, 'VF')}`;
  return force ? `Force: ${verb.charAt(0).toLowerCase()}${verb.slice(1)}` : verb;
}

/** What ticking force overrides: the management path, the VMs' VFs, or both (one force covers every refusal). */
function forceWords(plan: NumVfsPlan, refusal: ManagementPathRefusal | null): string {
  const held = `Destroy the VFs ${plan.vms.length === 1 ? 'this VM holds' : 'these VMs hold'} anyway (force). Their configurations keep naming the addresses.`;
  if (!refusal) return held;
  const path = `Change anyway (force), though the host may lose its connection through ${refusal.interfaces[0] ?? 'this PF'} while the link resets.`;
  return plan.needsForce ? `${path} The VFs VMs hold are destroyed too.` : path;
}

/** Why the agent refused the change: the PF carries the host's default route, through the interfaces named. */
function ManagementPathNotice({ refusal }: { refusal: ManagementPathRefusal }) {
  return (
    <div className="dialog-error management-path" role="alert" data-refusal="management-path">
      <strong>The agent refused: {refusal.title.charAt(0).toLowerCase() + refusal.title.slice(1)}</strong>
      {refusal.detail ? <p>{refusal.detail}</p> : null}
      {refusal.interfaces.length > 0 ? (
        <p>
          Default route: <code>{refusal.interfaces.join(' → ')}</code>.
        </p>
      ) : null}
    </div>
  );
}

/** "VF 0–7 (0000:3b:02.0 … 0000:3b:02.7)". */
function vfList(vfs: readonly PlannedVf[]): string {
  const addresses = vfs.map((v) => v.address).filter((a): a is string => a !== null);
  const span = addresses.length === vfs.length ? ` (${addressSpan(addresses)})` : '';
  return `VF ${indexRanges(vfs.map((v) => v.index))}${span}`;
}

function Steps({ plan }: { plan: NumVfsPlan }) {
  const removed = `the kernel removes ${plan.destroyed.length === 1 ? 'the only VF' : `all ${plan.destroyed.length} VFs`}, ${vfList(plan.destroyed)}.`;
  const created = `the kernel creates ${plural(plan.created.length, 'new VF')}, ${vfList(plan.created)}${plan.created.some((v) => v.address === null) ? '; their addresses are known once they exist' : ''}.`;
  return (
    <section aria-label="what the agent will do">
      <h3>What the agent will do</h3>
      <ol className="steps">
        {plan.kind === 'through-zero' ? (
          <>
            <li>
              Write <code>0</code> to <code>sriov_numvfs</code>: {removed}
            </li>
            <li>
              Write <code>{plan.to}</code>: {created}
            </li>
          </>
        ) : plan.kind === 'disable' ? (
          <li>
            Write <code>0</code> to <code>sriov_numvfs</code>: {removed}
          </li>
        ) : (
          <li>
            Write <code>{plan.to}</code> to <code>sriov_numvfs</code>: {created}
          </li>
        )}
      </ol>
      {plan.kind === 'through-zero' ? (
        <p className="why">
          The kernel changes a non-zero count only through 0, so <strong>every existing VF is destroyed</strong>
          {plan.sameAddresses > 0
            ? `, the ${plural(plan.sameAddresses, 'VF')} that come back at the same addresses included: they are new devices, probed again by the host's drivers.`
            : '.'}
        </p>
      ) : null}
    </section>
  );
}

function VmLosses({ plan }: { plan: NumVfsPlan }) {
  // A VF a running process holds while another VM's configuration names it is listed under both VMs: counted once.
  const count = new Set(plan.held.map((h) => h.address)).size;
  return (
    <section className="vm-losses warn-box" aria-label="VMs that lose a VF">
      <h3>
        {plural(plan.vms.length, 'VM')} {plan.vms.length === 1 ? 'loses' : 'lose'} {count === 1 ? 'a VF' : `${count} VFs`}
      </h3>
      <ul>
        {plan.vms.map((vm) => (
          <VmLoss key={vm.vmId} vm={vm} />
        ))}
      </ul>
    </section>
  );
}

function VmLoss({ vm }: { vm: AffectedVm }) {
  if (vm.holds === 'running') return <ProcessLoss vm={vm} />;
  const back = vm.vfs.filter((v) => v.recreated);
  const gone = vm.vfs.filter((v) => !v.recreated);
  const live = vm.state === 'running' || vm.state === 'paused';
  return (
    <li data-vm-loss={vm.vmId}>
      <strong>{vm.vmName}</strong>{' '}
      <span className="muted">
        VM {vm.vmId} · <span className={`vm-state-word state-${vm.state}`}>{vm.state}</span>
      </span>
      {back.length > 0 ? (
        <div>
          VF {indexRanges(back.map((v) => v.index))} <span className="muted">({listSome(back.map((v) => v.via))})</span>: back at the same{' '}
          {back.length === 1 ? 'address afterwards, as a new device' : 'addresses afterwards, as new devices'}.{' '}
          {live
            ? `The ${vm.state} VM loses ${them(back)} now and gets ${them(back)} again at its next start.`
            : 'Its configuration still works at its next start.'}
        </div>
      ) : null}
      {gone.length > 0 ? (
        <div>
          VF {indexRanges(gone.map((v) => v.index))} <span className="muted">({listSome(gone.map((v) => v.via))})</span>: gone afterwards.{' '}
          {live ? `The ${vm.state} VM loses ${them(gone)} now, and its` : 'Its'} configuration keeps naming{' '}
          {gone.length === 1 ? 'an address that no longer exists' : 'addresses that no longer exist'}: it cannot start until{' '}
          {gone.length === 1 ? 'that entry is' : 'those entries are'} removed.
        </div>
      ) : null}
    </li>
  );
}

/** A running QEMU process that holds VFs no configuration of it names (started by hand, hot-plugged by hand, a pool pick). */
function ProcessLoss({ vm }: { vm: AffectedVm }) {
  return (
    <li data-vm-loss={vm.vmId}>
      <strong>{vm.vmName}</strong> <span className="muted">running process · no configuration of it names {them(vm.vfs)}</span>
      <div>
        VF {indexRanges(vm.vfs.map((v) => v.index))} <span className="muted">({listSome(vm.vfs.map((v) => v.via))})</span>: the process loses {them(vm.vfs)} now.
      </div>
    </li>
  );
}

function them(vfs: readonly unknown[]): string {
  return vfs.length === 1 ? 'it' : 'them';
}
