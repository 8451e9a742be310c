import { describeHeldByProcess, groupPeers, processIdOf, type AssignmentRequest, type GroupSource, type AssignmentResult, type Holder, type Vf, type Vm } from '@vfmap/model';
import type { AttachResult, Hypervisor } from '@vfmap/hypervisors';
import type { TopologySnapshot } from '../topologyService';
import { vfAuditState } from './auditState';
import { OperationRefused } from './errors';
import { findVf, findVm } from './lookup';
import type { OperationRecord } from './operationRun';
import type { PfLocks } from './pfLock';
import { checkPrecondition, type IfMatch } from './precondition';

export interface AssignmentDeps {
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  locks: PfLocks;
  hypervisor: Hypervisor;
  announce: (snapshot: TopologySnapshot) => void;
}

/**
 * Gives a free VF to a VM through the hypervisor adapter. Queued on the VF's PF, so that a
 * count change of the PF cannot destroy the VF half-way through.
 */
export async function assignVf(deps: AssignmentDeps, record: OperationRecord, address: string, request: AssignmentRequest, ifMatch: IfMatch | null = null): Promise<AssignmentResult> {
  const current = (await deps.topology.get()).topology;
  const { pf } = findVf(current, address);
  findVm(current, request.vmId);

  return deps.locks.run(pf.address, async () => {
    const now = await deps.topology.scanNow();
    checkPrecondition(ifMatch, now, pf.address);
    const { topology } = now;
    const { vf } = findVf(topology, address);
    const vm = findVm(topology, request.vmId);
    record.before = vfAuditState(vf);
    checkAssignable(vf, topology, topology.vms);
    await record.acting();
    const result = await deps.hypervisor.attach(vm.id, vf.address);
    return finish(deps, record, address, vm, result, 'assign');
  });
}

/** Takes a VF back from the VM whose configuration names it. */
export async function releaseVf(deps: AssignmentDeps, record: OperationRecord, address: string, ifMatch: IfMatch | null = null): Promise<AssignmentResult> {
  const { pf } = findVf((await deps.topology.get()).topology, address);

  return deps.locks.run(pf.address, async () => {
    const now = await deps.topology.scanNow();
    checkPrecondition(ifMatch, now, pf.address);
    const { topology } = now;
    const { vf } = findVf(topology, address);
    record.before = vfAuditState(vf);
    const holder = vf.holder;
    if (!holder) throw new OperationRefused({ reason: 'vf-not-held' }, `No VM holds ${address}; there is nothing to release.`);
    if (holder.source === 'running') throw heldByProcess(address, holder, topology.vms);
    await record.acting();
    const vm = topology.vms.find((v) => v.id === holder.vmId) ?? { id: holder.vmId, name: holder.vmName, state: 'unknown' as const };
    const result = await deps.hypervisor.detach(holder.vmId, vf.address);
    return finish(deps, record, address, vm, result, 'release');
  });
}

/**
 * A VF a running process holds that no configuration of that process's VM names: a hand-started
 * QEMU, a device hot-plugged by hand, a Proxmox `mapping=` pool pick. Taking it out of a
 * configuration would free nothing — the hypervisor edits configurations, and the process keeps
 * the device open until it ends —, so nothing is written and the problem names the process.
 */
function heldByProcess(address: string, holder: Holder, vms: readonly Vm[]): OperationRefused {
  const { pid, configuredVmId, detail } = describeHeldByProcess(address, holder, vms);
  return new OperationRefused({ reason: 'vf-held-by-process', holder, pid, configuredVmId }, detail);
}

/**
 * A VF goes to a VM alone only when it is alone in its IOMMU group: the IOMMU isolates groups,
 * not devices, so vfio hands a VM the whole group or nothing. Without a group (IOMMU off) there
 * is no passthrough at all.
 */
function checkAssignable(vf: Vf, topology: GroupSource, vms: readonly Vm[]): void {
  if (vf.holder) {
    const h = vf.holder;
    // A running process's claim: no configuration of it to release the VF from; it ends with the process.
    const pid = processIdOf(h);
    const first = h.source !== 'running' ? 'release it first' : vms.some((v) => v.id === h.vmId) || pid === null ? 'stop that VM first' : `stop process ${pid} first`;
    throw new OperationRefused(
      { reason: 'vf-held', holder: h },
      `${vf.address} is already held by ${h.source === 'running' ? 'the running process' : 'VM'} ${h.vmName} (${h.vmId}) as ${h.via}${h.pending ? ', pending' : ''}; ${first}.`,
    );
  }
  if (vf.iommuGroup === null) {
    throw new OperationRefused({ reason: 'no-iommu-group' }, `${vf.address} has no IOMMU group (is the IOMMU enabled, e.g. intel_iommu=on?), so it cannot be passed through to a VM.`);
  }
  const members = groupPeers(vf.address, vf.iommuGroup, topology);
  if (members.length > 0) {
    throw new OperationRefused(
      { reason: 'iommu-group-shared', iommuGroup: vf.iommuGroup, members },
      `${vf.address} shares IOMMU group ${vf.iommuGroup} with ${members.join(', ')}; a VM can only be given the whole group, so this VF cannot be given alone.`,
    );
  }
}

async function finish(deps: AssignmentDeps, record: OperationRecord, address: string, vm: Vm, result: AttachResult, kind: 'assign' | 'release'): Promise<AssignmentResult> {
  const snapshot = await deps.topology.scanNow();
  deps.announce(snapshot);
  const { vf } = findVf(snapshot.topology, address);
  record.after = vfAuditState(vf);
  record.detail = describe(kind, address, vm, result);
  return { operationId: record.id, vf, vm, effect: result.effect, via: result.via, message: record.detail };
}

function describe(kind: 'assign' | 'release', vf: string, vm: Vm, { effect, via }: AttachResult): string {
  const name = `VM ${vm.name} (${vm.id})`;
  if (kind === 'assign') {
    return effect === 'live'
      ? `${name} has ${vf} now, as ${via}.`
      : `${name}'s configuration names ${vf} as ${via}; the VM (${vm.state}) gets it at its next start.`;
  }
  return effect === 'live'
    ? `${name} no longer has ${vf} (it was ${via}).`
    : `${name}'s configuration no longer names ${vf} (it was ${via}); ${vm.state === 'stopped' ? 'the VM is stopped, so nothing uses it' : `the VM (${vm.state}) keeps it until it stops`}.`;
}
