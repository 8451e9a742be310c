import { describeHeldRefusal, planNumVfs, type DesiredPfState, type DesiredVfSettings, type Pf, type VfConfig, type VfConfigChange, type Vm } from '@vfmap/model';
import type { PlannedStep } from './stepRunner';
import { vfConfigStepWords } from './vfSettingWords';

/**
 * "Re-apply": the steps that bring a PF's live state back to what vfmap keeps for it — after a
 * change behind vfmap's back, a reboot nothing persisted, or a prepare that stopped half-way.
 * Only what differs is written: drivers_autoprobe (before the count, as prepare does, so VFs
 * meant for vfio-pci never get a host driver), the count, each kept VF setting (a VF's stable
 * MAC where the PF has stable MACs and the VF no MAC of its own kept), each kept driver. Pure.
 */
export interface ReapplyPlanInput {
  pf: Pf;
  desired: DesiredPfState;
  /** The stable MAC of each VF index below desired.count; empty when stableMacs is off. */
  macs: readonly string[];
  /** The topology's VMs, to name a VM whose configuration names a VF a running process holds. */
  vms?: readonly Vm[];
}

export interface ReapplyPlan {
  steps: PlannedStep[];
  warnings: string[];
  /** VMs hold VFs the count change destroys: re-apply does not destroy them (an operator changes the count for that). */
  heldRefusal: string | null;
}

export function planReapply({ pf, desired, macs, vms }: ReapplyPlanInput): ReapplyPlan {
  const steps: PlannedStep[] = [];
  const warnings: string[] = [];
  const netdev = pf.netdevs[0]?.name ?? null;

  if (desired.driversAutoprobe !== null && pf.driversAutoprobe !== null && desired.driversAutoprobe !== pf.driversAutoprobe) {
    steps.push({ action: { kind: 'autoprobe', enabled: desired.driversAutoprobe }, description: `Write ${desired.driversAutoprobe ? 1 : 0} to ${pf.address}'s sriov_drivers_autoprobe.` });
  }

  const numVfs = planNumVfs(pf, desired.count, vms);
  const recreated = numVfs.writes.length > 0;
  const heldRefusal = recreated && numVfs.held.length > 0 ? describeHeldRefusal(pf, desired.count, numVfs) : null;
  if (recreated) {
    steps.push({ action: { kind: 'numvfs', count: desired.count }, description: `Write ${numVfs.writes.join(', then ')} to ${pf.address}'s sriov_numvfs (${pf.numVfs} → ${desired.count} VFs).` });
  }

  for (let index = 0; index < desired.count; index++) {
    const wanted = wantedSettings(desired, index, macs[index]);
    // New VFs start with the driver's defaults: every kept setting is written again.
    const live = recreated ? null : (pf.vfs.find((v) => v.index === index)?.config ?? null);
    const change = differing(wanted, live);
    if (change === null) continue;
    steps.push({ action: { kind: 'vf-config', index, change }, description: vfConfigStepWords(netdev, index, change) });
  }

  for (const kept of desired.vfs) {
    if (kept.index >= desired.count) continue;
    const live = recreated ? null : (pf.vfs.find((v) => v.index === kept.index) ?? null);
    if (kept.driver === 'vfio-pci') {
      if (live && live.driver === 'vfio-pci' && live.driverOverride === 'vfio-pci') continue;
      steps.push({
        action: { kind: 'vf-driver', index: kept.index, driver: 'vfio-pci' },
        description: `Bind VF ${kept.index} to vfio-pci: write vfio-pci to its driver_override${live?.driver ? `, unbind it from ${live.driver}` : ''}, then probe it (/sys/bus/pci/drivers_probe).`,
      });
    } else if (live && live.driverOverride === 'vfio-pci') {
      if (live.holder) {
        warnings.push(`VF ${kept.index} stays on vfio-pci: ${live.holder.vmName} (${live.holder.vmId}) holds it.`);
        continue;
      }
      steps.push({ action: { kind: 'vf-driver', index: kept.index, driver: null }, description: `Give VF ${kept.index} back to its host driver: clear its driver_override, unbind it from vfio-pci, probe it.` });
    }
  }
  return { steps, warnings, heldRefusal };
}

/** The settings kept for VF `index`, with its stable MAC where none of its own is kept. */
function wantedSettings(desired: DesiredPfState, index: number, stableMac: string | undefined): DesiredVfSettings {
  const kept = desired.vfs.find((v) => v.index === index)?.settings ?? {};
  return stableMac !== undefined && kept.mac === undefined ? { ...kept, mac: stableMac } : kept;
}

/**
 * What of `wanted` the VF does not have now (all of it when unknown); null when nothing. A VLAN
 * goes with its qos and protocol (one `ip link set … vlan V qos Q proto P`); a qos or protocol
 * kept without a VLAN cannot be written alone and is left out.
 */
export function differing(wanted: DesiredVfSettings, live: VfConfig | null): VfConfigChange | null {
  const change: VfConfigChange = {};
  if (wanted.mac !== undefined && live?.mac !== wanted.mac) change.mac = wanted.mac;
  if (wanted.vlan !== undefined) {
    const qos = wanted.qos ?? 0;
    const protocol = wanted.vlanProtocol ?? '802.1Q';
    if (!live || live.vlan !== wanted.vlan || live.qos !== qos || live.vlanProtocol !== protocol) {
      change.vlan = wanted.vlan;
      if (wanted.qos !== undefined) change.qos = wanted.qos;
      if (wanted.vlanProtocol !== undefined) change.vlanProtocol = wanted.vlanProtocol;
    }
  }
  if (wanted.spoofChk !== undefined && live?.spoofChk !== wanted.spoofChk) change.spoofChk = wanted.spoofChk;
  if (wanted.trust !== undefined && live?.trust !== wanted.trust) change.trust = wanted.trust;
  if (wanted.linkState !== undefined && live?.linkState !== wanted.linkState) change.linkState = wanted.linkState;
  if (wanted.maxTxRateMbps !== undefined && live?.maxTxRateMbps !== wanted.maxTxRateMbps) change.maxTxRateMbps = wanted.maxTxRateMbps;
  if (wanted.minTxRateMbps !== undefined && live?.minTxRateMbps !== wanted.minTxRateMbps) change.minTxRateMbps = wanted.minTxRateMbps;
  return Object.keys(change).length > 0 ? change : null;
}
