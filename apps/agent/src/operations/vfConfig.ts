import { VfConfigChange, vfSettingsOf, type DesiredPfState, type DesiredVfSettings, type Pf, type Vf, type VfConfigResult, type VfSettingName } from '@vfmap/model';
import type { DesiredStore } from '../desired/desiredStore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { TopologySnapshot } from '../topologyService';
import { vfAuditState } from './auditState';
import { OperationRefused, VfSettingRefused } from './errors';
import { findVf } from './lookup';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';
import { checkPrecondition, type IfMatch } from './precondition';

export interface VfConfigDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  /** Runs `ip link set … vf …`: directly, or through the root helper in split mode. */
  steps: Pick<PrivilegedSteps, 'setVfConfig'>;
  announce: (snapshot: TopologySnapshot) => void;
  /** Where the settings are kept for the next boot, written before the live change; none: not kept. */
  desiredStore?: DesiredStore;
  now: () => Date;
}

/**
 * Changes a VF's settings (MAC, VLAN, trust…) through its PF's driver: validate on a fresh scan
 * in the PF's turn, keep the settings as desired (before the live change, so a crash in between
 * shows as "desired differs from live"), apply one `ip link set` per setting, re-read. A setting
 * the driver refuses stops the rest; the answer names it and the settings applied before it.
 */
export async function setVfConfig(deps: VfConfigDeps, record: OperationRecord, address: string, input: VfConfigChange, ifMatch: IfMatch | null = null): Promise<VfConfigResult> {
  // Parsed again: apply-desired and other callers reach this without the route's parse.
  const change = VfConfigChange.parse(input);
  // Refuse what no state of the host allows before queueing behind a slow change of the same PF.
  const first = findVf((await deps.topology.get()).topology, address);
  checkSettable(first);

  return deps.locks.run(first.pf.address, async () => {
    // Decided on a scan made now, in the PF's turn: a count change queued before this one may have destroyed the VF.
    const now = await deps.topology.scanNow();
    checkPrecondition(ifMatch, now, first.pf.address);
    const { vf, pf } = findVf(now.topology, address);
    checkSettable({ vf, pf });
    record.before = vfAuditState(vf);

    const keptBefore = deps.desiredStore ? await keepDesired(deps.desiredStore, pf, vf.index, change, deps.now()) : undefined;
    await record.acting();

    let applied: VfSettingName[];
    try {
      applied = await deps.steps.setVfConfig(pf.address, vf.index, change);
    } catch (err) {
      const vfNow = await rereadVf(deps, address);
      record.after = vfNow ? vfAuditState(vfNow) : null;
      if (err instanceof VfSettingRefused) {
        let kept = '';
        if (deps.desiredStore && keptBefore !== undefined) {
          // What is kept for the next boot is what took effect: the applied settings, not the refused one (nor those after it).
          const { applied: done } = err.details;
          try {
            await deps.desiredStore.update(pf, () => (done.length > 0 ? mergeDesired(keptBefore, pf, vf.index, onlySettings(change, done), deps.now()) : keptBefore));
            kept = done.length > 0 ? ' The settings applied are kept for the next boot; the refused one is not.' : ' Nothing of it is kept for the next boot.';
          } catch {
            kept = ' The desired state still says what was asked, so the PF shows as differing from it until this is set or undone.';
          }
        }
        throw err.with({ vf: address, vfNow, message: `${err.message}${kept}` });
      }
      throw err;
    }
    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    const after = findVf(snapshot.topology, address).vf;
    record.after = vfAuditState(after);
    record.detail = `Set ${applied.join(', ')} of VF ${vf.index} (${address}) through ${pf.netdevs[0]?.name ?? pf.address}${deps.desiredStore ? '; kept for the next boot' : ''}.`;
    return { operationId: record.id, vf: after, applied, message: record.detail };
  });
}

/** A VF's settings live in its PF's driver and go through the PF's netdev; without either there is nothing to set them with. */
function checkSettable({ vf, pf }: { vf: Vf; pf: Pf }): void {
  if (pf.netdevs.length === 0) {
    throw new OperationRefused(
      { reason: 'no-net-interface', pf: pf.address },
      `${pf.address} has no network interface (${pf.driver ? `its driver ${pf.driver} registers none` : 'no driver is bound to it'}), and a VF's MAC, VLAN and other settings are set through the PF's netdev.`,
    );
  }
  if (vf.config === null) {
    throw new OperationRefused(
      { reason: 'no-vf-settings', pf: pf.address },
      `${pf.address}'s driver (${pf.driver ?? 'none'}) reports no settings for its VFs, or the agent cannot read them (started with --kernel none, or \`ip\` failed: see the topology's warnings), so ${vf.address}'s settings cannot be changed or read back.`,
    );
  }
}

/**
 * Merges the change into the PF's desired state for VF `index`. `ip link set … vlan V` sets the
 * qos and protocol with it (0 and 802.1Q unless given), so a new VLAN replaces a kept qos/protocol.
 */
async function keepDesired(store: DesiredStore, pf: Pf, index: number, change: VfConfigChange, at: Date): Promise<DesiredPfState | null> {
  let before: DesiredPfState | null = null;
  await store.update(pf, (current) => {
    before = current;
    return mergeDesired(current, pf, index, change, at);
  });
  return before;
}

/** The part of a change that `applied` names (a VLAN with its qos and protocol). */
function onlySettings(change: VfConfigChange, applied: readonly VfSettingName[]): VfConfigChange {
  const out: Record<string, unknown> = {};
  for (const name of applied) {
    out[name] = change[name];
    if (name === 'vlan') {
      if (change.qos !== undefined) out['qos'] = change.qos;
      if (change.vlanProtocol !== undefined) out['vlanProtocol'] = change.vlanProtocol;
    }
  }
  return out as VfConfigChange;
}

export function mergeDesired(current: DesiredPfState | null, pf: Pick<Pf, 'numVfs' | 'vendorId' | 'deviceId'>, index: number, change: VfConfigChange, at: Date): DesiredPfState {
  const base: DesiredPfState = current ?? { count: pf.numVfs, vendorId: pf.vendorId, deviceId: pf.deviceId, setAt: at.toISOString(), stableMacs: false, driversAutoprobe: null, vfs: [] };
  const kept = base.vfs.find((v) => v.index === index);
  const settings: DesiredVfSettings = { ...(kept?.settings ?? {}) };
  if (change.vlan !== undefined) {
    delete settings.qos;
    delete settings.vlanProtocol;
  }
  for (const name of vfSettingsOf(change)) {
    if (name === 'vlan') {
      settings.vlan = change.vlan!;
      if (change.qos !== undefined) settings.qos = change.qos;
      if (change.vlanProtocol !== undefined) settings.vlanProtocol = change.vlanProtocol;
    } else {
      Object.assign(settings, { [name]: change[name] });
    }
  }
  const vf = { index, settings, driver: kept?.driver ?? null };
  const vfs = [...base.vfs.filter((v) => v.index !== index), vf].sort((a, b) => a.index - b.index);
  return { ...base, setAt: at.toISOString(), vfs };
}

/** The VF after a failed step, to report what it was left with; null when even the re-read fails. */
async function rereadVf(deps: Pick<VfConfigDeps, 'topology' | 'announce'>, address: string): Promise<Vf | null> {
  try {
    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    return findVf(snapshot.topology, address).vf;
  } catch {
    return null;
  }
}
