import { describeHeldRefusal, planNumVfs, vfAddressOf, type DesiredPfState, type DesiredVf, type Pf, type PreparePlan, type PrepareRequest, type PrepareStep, type Vm } from '@vfmap/model';
import type { PfAction } from './pfSteps';
import { vfConfigStepWords } from './vfSettingWords';

/**
 * "Prepare VFs for VMs" as a plan: what will be written, in what order, and what it affects —
 * decided from the PF as read now, so the page can show it before anything is done (dryRun) and
 * the operation does exactly these steps. Pure.
 *
 * The order: the desired state first (a crash after it shows as "desired differs from live");
 * drivers_autoprobe before the count, so VFs meant for vfio-pci never get a host driver and a
 * host interface; the count; each VF's MAC and VLAN (through the PF's netdev, before a VM can
 * see the VF); each VF's driver; last, where the agent can write one, the file that keeps it all at boot.
 */

export interface PreparePlanInput {
  pf: Pf;
  request: PrepareRequest;
  /** The stable MAC of each VF index below the count; empty when stableMacs is false. */
  macs: readonly string[];
  /** What the desired state holds for the PF now (kept settings of VFs the request does not touch stay). */
  desiredNow: DesiredPfState | null;
  /** The desired state's timestamp. */
  now: Date;
  /** The agent can write what keeps the desired state at boot: the plan ends with that step. */
  persist: boolean;
  /** The topology's VMs: their names and states where a refusal names a VM only its id tells (a configuration a running process overrides). */
  vms?: readonly Vm[];
}

/** A step and what the operation does for it (pfSteps.ts). */
export type PrepareAction = PfAction;

export interface PlannedPrepare {
  plan: PreparePlan;
  /** One action per plan step, in the same order. */
  actions: PfAction[];
  /** VMs hold VFs the count change destroys: refused without force. */
  needsForce: boolean;
  heldRefusal: string | null;
}

export function planPrepare(input: PreparePlanInput): PlannedPrepare {
  const { pf, request, macs } = input;
  const steps: PrepareStep[] = [];
  const actions: PrepareAction[] = [];
  const warnings: string[] = [];
  const add = (action: PrepareAction, description: string, affects: string | null = null, target: string = pf.address) => {
    actions.push(action);
    steps.push({ kind: action.kind, target, description, affects });
  };
  const count = request.count;
  const netdev = pf.netdevs[0]?.name ?? null;
  const vlans = request.vlans ?? [];
  if (vlans.length > count) warnings.push(`VLANs were given for ${vlans.length} VFs but only ${count} are prepared; those past VF ${count - 1} are ignored.`);

  const state = desiredState(input);
  add(
    { kind: 'desired', state },
    `Record what ${pf.address} should have after every boot: ${count} VFs${request.driver ? ' on vfio-pci' : ' on the host driver'}${request.stableMacs ? ', stable MACs' : ''}${vlans.some((v) => v !== null && v !== undefined && v > 0) ? ', the VLANs given' : ''} (vfmap's desired state, written first so a stop half-way shows as a difference).`,
  );

  const wantAutoprobe = request.driver === 'vfio-pci' ? false : true;
  if (pf.driversAutoprobe !== null && pf.driversAutoprobe !== wantAutoprobe) {
    add(
      { kind: 'autoprobe', enabled: wantAutoprobe },
      `Write ${wantAutoprobe ? 1 : 0} to ${pf.address}'s sriov_drivers_autoprobe.`,
      wantAutoprobe ? 'VFs created from now on are bound to their host driver (a host interface each).' : 'VFs created from now on get no host driver and no host interface; driver_override still binds them to vfio-pci.',
    );
  }

  const numVfs = planNumVfs(pf, count, input.vms);
  const heldRefusal = numVfs.held.length > 0 ? describeHeldRefusal(pf, count, numVfs) : null;
  if (numVfs.writes.length > 0) {
    const vms = numVfs.vms.map((vm) => `${vm.vmName} (${vm.vmId}) loses ${vm.vfs.map((v) => `VF ${v.index}`).join(', ')}`);
    const lost = numVfs.destroyed.length > 0 ? `destroys the ${numVfs.destroyed.length} VFs it has now` : null;
    const affects = [lost, ...vms, numVfs.hostNetdevs.length > 0 ? `host interfaces ${numVfs.hostNetdevs.join(', ')} disappear` : null].filter((x): x is string => x !== null);
    add({ kind: 'numvfs', count }, `Write ${numVfs.writes.join(', then ')} to ${pf.address}'s sriov_numvfs (${pf.numVfs} → ${count} VFs).`, affects.length > 0 ? `${affects.join('; ')}.` : null);
  }
  if (heldRefusal) warnings.push(request.force ? `Forced: ${heldRefusal}` : heldRefusal);

  for (let index = 0; index < count; index++) {
    const mac = macs[index];
    const vlan = vlans[index];
    const change: { mac?: string; vlan?: number } = {};
    const live = numVfs.writes.length > 0 ? null : (pf.vfs.find((v) => v.index === index)?.config ?? null);
    if (mac !== undefined && live?.mac !== mac) change.mac = mac;
    if (vlan !== null && vlan !== undefined && live?.vlan !== vlan) change.vlan = vlan;
    if (change.mac === undefined && change.vlan === undefined) continue;
    add({ kind: 'vf-config', index, change }, vfConfigStepWords(netdev, index, change), null, vfAddress(pf, index));
  }

  for (let index = 0; index < count; index++) {
    const existing = numVfs.writes.length > 0 ? null : (pf.vfs.find((v) => v.index === index) ?? null);
    if (request.driver === 'vfio-pci') {
      if (existing && existing.driver === 'vfio-pci' && existing.driverOverride === 'vfio-pci') continue;
      add(
        { kind: 'vf-driver', index, driver: 'vfio-pci' },
        `Bind VF ${index} to vfio-pci: write vfio-pci to its driver_override${existing?.driver ? `, unbind it from ${existing.driver}` : ''}, then probe it (/sys/bus/pci/drivers_probe).`,
        existing?.netdevs.length ? `its host interface ${existing.netdevs.map((n) => n.name).join(', ')} disappears` : null,
        vfAddress(pf, index),
      );
    } else if (existing && existing.driverOverride === 'vfio-pci') {
      if (existing.holder) {
        warnings.push(`VF ${index} stays on vfio-pci: ${existing.holder.vmName} (${existing.holder.vmId}) holds it.`);
        continue;
      }
      add({ kind: 'vf-driver', index, driver: null }, `Give VF ${index} back to its host driver: clear its driver_override, unbind it from vfio-pci, probe it.`, null, vfAddress(pf, index));
    }
  }

  if (input.persist) add({ kind: 'persist' }, 'Write what keeps this at boot: a systemd .link file for the PF (or a drop-in to the one that names it), or the apply-desired unit where .link files cannot (GET …/persistence shows which, and where).');

  return {
    plan: { pf: pf.address, steps, macs: [...macs], warnings },
    actions,
    needsForce: heldRefusal !== null,
    heldRefusal,
  };
}

/** The desired state after the prepare: count, autoprobe and each VF's MAC, VLAN and driver; other kept settings of those VFs stay. */
function desiredState({ pf, request, macs, desiredNow, now }: PreparePlanInput): DesiredPfState {
  const kept = desiredNow && desiredNow.vendorId === pf.vendorId && desiredNow.deviceId === pf.deviceId ? desiredNow : null;
  const vfs: DesiredVf[] = [];
  for (let index = 0; index < request.count; index++) {
    const before = kept?.vfs.find((v) => v.index === index);
    const settings = { ...(before?.settings ?? {}) };
    const mac = macs[index];
    if (mac !== undefined) settings.mac = mac;
    else if (!request.stableMacs && kept?.stableMacs) delete settings.mac;
    const vlan = request.vlans?.[index];
    if (vlan !== null && vlan !== undefined) settings.vlan = vlan;
    if (Object.keys(settings).length === 0 && request.driver === null) continue;
    vfs.push({ index, settings, driver: request.driver });
  }
  return {
    count: request.count,
    vendorId: pf.vendorId,
    deviceId: pf.deviceId,
    setAt: now.toISOString(),
    stableMacs: request.stableMacs,
    driversAutoprobe: request.driver === 'vfio-pci' ? false : (kept?.driversAutoprobe === false ? true : (kept?.driversAutoprobe ?? null)),
    vfs,
  };
}

/** The VF's address from the PF's offset and stride; the PF's own address where the kernel does not say. */
function vfAddress(pf: Pf, index: number): string {
  const known = pf.vfs.find((v) => v.index === index)?.address;
  if (known) return known;
  if (pf.offset === null || pf.stride === null) return pf.address;
  return vfAddressOf(pf.address, pf.offset, pf.stride, index) ?? pf.address;
}
