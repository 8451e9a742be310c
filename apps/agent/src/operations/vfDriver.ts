import type { Pf, Topology, Vf, VfDriverRequest, VfDriverResult, VmState } from '@vfmap/model';
import type { SysfsPaths } from '@vfmap/sysfs';
import type { DesiredStore } from '../desired/desiredStore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import { driverLoaded } from '../kernel/vfDriverSteps';
import type { TopologySnapshot } from '../topologyService';
import { vfDriverAuditState } from './auditState';
import { desiredWithVfDriver } from './desiredEdits';
import { OperationRefused } from './errors';
import type { HungWrites } from './hungWrites';
import { findVf } from './lookup';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';
import { checkPrecondition, type IfMatch } from './precondition';
import { VfDriverStepFailed } from './vfDriverErrors';

export interface VfDriverDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  /** Binds and releases: directly, or through the root helper in split mode. */
  writer: Pick<PrivilegedSteps, 'setVfDriver'>;
  hung: HungWrites;
  paths: SysfsPaths;
  announce: (snapshot: TopologySnapshot) => void;
  /** Where the driver is kept for the next boot, written before the live change; none: not kept. */
  desiredStore?: DesiredStore | undefined;
  onDesiredFailure: (err: unknown) => void;
  now: () => Date;
}

/** VM states in which the VM's QEMU has the VF open: vfio-pci cannot let go of it under them. */
const USING: ReadonlySet<VmState> = new Set(['running', 'paused', 'unknown']);

/**
 * Binds a VF to vfio-pci or gives it back to its host driver (kernel/vfDriverSteps.ts): queued on
 * the VF's PF, decided on a fresh scan, refused while a running VM uses the VF, kept in the desired
 * state first, then done, re-read and announced. Runs inside runOperation, which audits it.
 */
export async function changeVfDriver(deps: VfDriverDeps, record: OperationRecord, address: string, request: VfDriverRequest, ifMatch: IfMatch | null = null): Promise<VfDriverResult> {
  const { pf } = findVf((await deps.topology.get()).topology, address);
  deps.hung.check(pf.address);
  const wanted = request.driver;

  return deps.locks.run(pf.address, async () => {
    deps.hung.check(pf.address);
    const now = await deps.topology.scanNow();
    checkPrecondition(ifMatch, now, pf.address);
    const { vf, pf: pfNow } = findVf(now.topology, address);
    record.before = vfDriverAuditState(vf);

    if (alreadySo(vf, wanted)) {
      const kept = await remember(deps, pfNow, vf.index, wanted);
      record.after = record.before;
      record.detail = `${address} is ${wanted === null ? `on its host driver (${vf.driver})` : 'bound to vfio-pci'} already; nothing was written.${kept}`;
      return { operationId: record.id, vf, previousDriver: vf.driver, driver: vf.driver, changed: false, message: record.detail };
    }
    checkNotInUse(vf, now.topology);
    if (wanted !== null && vf.iommuGroup === null) {
      // vfio-pci's probe refuses a device without an IOMMU group: say why before trying.
      throw new OperationRefused({ reason: 'no-iommu-group' }, `${address} has no IOMMU group (is the IOMMU enabled, e.g. intel_iommu=on?), so vfio-pci cannot take it; nothing was written.`);
    }
    if (wanted !== null && !driverLoaded(deps.paths, wanted)) {
      throw new OperationRefused(
        { reason: 'driver-not-loaded', driver: wanted },
        `${wanted} is not loaded on host ${now.topology.host.id} (there is no /${deps.paths.relative(deps.paths.pciDriver(wanted))}), so ${address} cannot be bound to it; nothing was written. Load it with \`modprobe ${wanted}\`, and list it in /etc/modules-load.d/ to keep it loaded at boot. (vfmap does not load kernel modules itself.)`,
      );
    }

    const kept = await remember(deps, pfNow, vf.index, wanted);
    await record.acting();
    try {
      await deps.hung.within(pf.address, deps.paths.pciDeviceFile(address, 'driver_override'), wanted ?? '\n', deps.writer.setVfDriver(address, wanted));
    } catch (err) {
      if (err instanceof VfDriverStepFailed) record.after = { ...record.before, driver: err.now.driver, driverOverride: err.now.driverOverride };
      await rereadAfterFailure(deps);
      throw err;
    }

    const snapshot = await deps.topology.scanNow();
    deps.announce(snapshot);
    const { vf: after, pf: pfAfter } = findVf(snapshot.topology, address);
    record.after = vfDriverAuditState(after);
    record.detail = describe(vf, after, pfAfter, wanted) + kept;
    return {
      operationId: record.id,
      vf: after,
      previousDriver: vf.driver,
      driver: after.driver,
      changed: after.driver !== vf.driver || after.driverOverride !== vf.driverOverride,
      message: record.detail,
    };
  });
}

/** Nothing to do: bound to vfio-pci through the override, or on a host driver with no override. */
export function alreadySo(vf: Pick<Vf, 'driver' | 'driverOverride'>, wanted: 'vfio-pci' | null): boolean {
  if (wanted !== null) return vf.driver === wanted && vf.driverOverride === wanted;
  return vf.driverOverride === null && vf.driver !== null && vf.driver !== 'vfio-pci';
}

/**
 * A VM whose QEMU has the VF open (running or paused; unknown counts as running) keeps it: the
 * kernel's vfio-pci remove() waits until the VM lets go, and the host driver taking it would
 * pull it from under the guest. A change still pending for the VM's next start does not count.
 */
export function checkNotInUse(vf: Vf, topology: Pick<Topology, 'vms'>): void {
  const holder = vf.holder;
  if (!holder || (holder.pending && holder.pendingChange === 'attach')) return;
  const vmState = topology.vms.find((v) => v.id === holder.vmId)?.state ?? 'unknown';
  if (!USING.has(vmState)) return;
  throw new OperationRefused(
    { reason: 'vf-in-use', holder, vmState },
    `${vf.address} is in use by VM ${holder.vmName} (${holder.vmId}, ${vmState}) as ${holder.via}; its driver is not changed under a VM that uses it. Stop the VM, or release the VF from it, first.`,
  );
}

function describe(before: Vf, after: Vf, pf: Pf, wanted: 'vfio-pci' | null): string {
  const was = before.driver === null ? 'no driver' : before.driver;
  if (wanted !== null) return `${after.address} is bound to vfio-pci now (was ${was}), through driver_override: ready for a VM.`;
  if (after.driver !== null) {
    const netdev = after.netdevs.length > 0 ? `, with its interface ${after.netdevs.map((n) => n.name).join(', ')}` : '';
    return `${after.address} is back on its host driver ${after.driver}${netdev} (was ${was}); driver_override is cleared.`;
  }
  const why =
    pf.driversAutoprobe === false
      ? `${pf.address}'s sriov_drivers_autoprobe is 0, which keeps its VFs off host drivers`
      : 'no loaded host driver took it (is the VF driver module loaded?)';
  if (before.driver === null) return `${after.address} had no driver and still has none after the probe: ${why}.`;
  return `${after.address} is released from ${was} and driver_override is cleared, but it is bound to no driver now: ${why}.`;
}

/** Keeps the driver for the next boot; answers a note for the message when it could not. */
async function remember(deps: VfDriverDeps, pf: Pf, index: number, driver: 'vfio-pci' | null): Promise<string> {
  if (!deps.desiredStore) return '';
  try {
    const setAt = deps.now().toISOString();
    await deps.desiredStore.update(pf, (current) => desiredWithVfDriver(current, pf, index, driver, setAt));
    return '';
  } catch (err) {
    deps.onDesiredFailure(err);
    return ' The driver could not be kept for the next boot (see the agent\'s log).';
  }
}

async function rereadAfterFailure(deps: Pick<VfDriverDeps, 'topology' | 'announce'>): Promise<void> {
  try {
    deps.announce(await deps.topology.scanNow());
  } catch {
    // the problem says how the VF is left, from the step's own re-read
  }
}
