import {
  comparePciAddresses,
  iommuGroupMembers,
  PCI_SLOT_RE,
  pciSlotOf,
  vfAddressOf,
  type DriftEvidence,
  type DriftFinding,
  type Holder,
  type Pf,
  type RunningFacts,
  type Topology,
} from '@vfmap/model';
import { runningClaims, type RunningClaim } from './applyRunningHolders';
import type { Assignment, ConfigLine, HypervisorSnapshot, PoolClaim } from './hypervisor';
import { RESERVATIONS_PATH } from './runningPaths';

export interface DriftInput {
  /** The topology with holders from the VM configurations only (annotateTopology's result). */
  configured: Topology;
  /** What the configurations name: each device with its config line, and the pools. */
  snapshot: Pick<HypervisorSnapshot, 'assignments' | 'pools'>;
  /** What running QEMU processes hold; null where they could not be read (no drift from them then). */
  running: RunningFacts | null;
  /** VFs the operator asked vfmap to keep on vfio-pci (desired state): bound on purpose, no leak. */
  keptOnVfio?: ReadonlySet<string>;
}

interface Located {
  holder: Holder | null;
  pf: string | null;
  driver: string | null;
  isVf: boolean;
}

/**
 * Where the VM configurations and what runs on the host disagree, as typed findings. Pure.
 *
 * - held-not-configured: a running process holds a device no config gives its VM;
 * - configured-not-held: a running VM's process lacks a device its current config names (a
 *   failed or undone hot-plug) or one a pending change adds at the next start;
 * - holds-a-different-vf: the VM holds another device than its config names — a mapping pool's
 *   pick, a config naming one VF while the process has another, or a shared group it has open;
 * - stale-reservation: qemu-server's reservation names a process that is gone;
 * - vfio-bound-without-holder: a VF on vfio-pci nothing holds, configures, pools or keeps;
 * - config-names-missing-vf: a config names a device the host lacks (the VM fails at its next start);
 * - group-shared-with-another-vm: devices of one IOMMU group held by different VMs.
 */
export function findDrift(input: DriftInput): DriftFinding[] {
  const { configured, snapshot, running } = input;
  const located = locate(configured);
  const vmName = new Map(configured.vms.map((v) => [v.id, v.name]));
  const configLine = configLines(snapshot.assignments);
  const pools = snapshot.pools ?? [];
  const claims = running ? runningClaims(configured, running) : new Map<string, RunningClaim>();
  const findings: DriftFinding[] = [];
  const pfOf = (address: string) => located.get(address)?.pf ?? null;
  const line = (vmId: string, address: string): DriftEvidence[] => {
    const c = configLine.get(`${vmId}\0${address}`) ?? configLine.get(`${vmId}\0${slotOrSelf(address)}`);
    return c ? [{ path: c.path, value: c.line }] : [];
  };
  const name = (vmId: string) => vmName.get(vmId) ?? vmId;
  const vm = (vmId: string) => (name(vmId) === vmId ? `VM ${vmId}` : `VM ${vmId} (${name(vmId)})`);

  if (running) {
    const processVms = new Set(running.processes.map((p) => p.vmId).filter((v): v is string => v !== null));
    const notHeld = new Map<string, { address: string; holder: Holder }[]>();
    const notConfigured = new Map<string, { address: string; claim: RunningClaim; configuredVm: string | null }[]>();
    const push = <T>(map: Map<string, T[]>, key: string, item: T) => map.set(key, [...(map.get(key) ?? []), item]);

    // Each running VM's configured devices against what its process holds.
    for (const [address, at] of located) {
      const h = at.holder;
      if (!h || !processVms.has(h.vmId) || h.pendingChange === 'detach') continue;
      const claim = claims.get(address);
      if (claim?.vmId === h.vmId) continue;
      if (h.pendingChange === 'attach') {
        findings.push({
          kind: 'configured-not-held', severity: 'info', address, pf: pfOf(address), vmId: h.vmId, vmName: h.vmName, otherVmId: claim?.vmId ?? null,
          title: `${vm(h.vmId)} gets ${address} at its next start: a pending change names it, the running VM does not have it`,
          why: 'The change is in the configuration only; the device is free until the VM restarts, and whoever takes it first wins.',
          fix: 'Restart the VM to apply the pending change, or revert the pending change.',
          evidence: line(h.vmId, address),
        });
      } else {
        push(notHeld, h.vmId, { address, holder: h });
      }
    }
    // Each device a process holds against the configs.
    const seenGroups = new Set<string>();
    for (const [address, claim] of claims) {
      const h = located.get(address)?.holder ?? null;
      if (h?.vmId === claim.vmId) continue;
      if (claim.ambiguous) {
        const key = `${claim.vmId}\0${claim.group}`;
        const peers = iommuGroupMembers(configured).get(claim.group ?? -1) ?? [];
        // The group's other members: the VM's config names one of them, so the group is its own.
        if (seenGroups.has(key) || peers.some((p) => located.get(p)?.holder?.vmId === claim.vmId)) continue;
        seenGroups.add(key);
        findings.push({
          kind: 'holds-a-different-vf', severity: 'warn', address, pf: pfOf(address), vmId: claim.vmId, vmName: claim.vmName, otherVmId: h?.vmId ?? null,
          title: `${claim.via} has IOMMU group ${claim.group} open (${peers.join(', ')}): it holds one of them, and no config says which`,
          why: 'The group is the finest grain the kernel gives: the process may hold any member. No VM configuration names one of them for it.',
          fix: 'Give each VF its own IOMMU group (an ACS-capable slot) so holders are exact; name the device in the VM configuration.',
          evidence: [claim.evidence],
        });
        continue;
      }
      const pool = pools.find((p) => p.vmId === claim.vmId && p.members.includes(address));
      if (pool) {
        findings.push(poolPick(address, pfOf(address), claim, pool));
        continue;
      }
      push(notConfigured, claim.vmId, { address, claim, configuredVm: h?.vmId ?? null });
    }
    // A VM that lacks one configured device and holds one unconfigured: it holds a different one.
    for (const [vmId, missing] of notHeld) {
      const extra = (notConfigured.get(vmId) ?? []).filter((e) => e.configuredVm === null);
      while (missing.length > 0 && extra.length > 0) {
        const m = missing.shift()!;
        const e = extra.shift()!;
        notConfigured.set(vmId, (notConfigured.get(vmId) ?? []).filter((x) => x !== e));
        findings.push({
          kind: 'holds-a-different-vf', severity: 'warn', address: e.address, pf: pfOf(e.address), vmId, vmName: e.claim.vmName, otherVmId: null,
          title: `${vm(vmId)} holds ${e.address}, but its config names ${m.address}`,
          why: `What runs and what is configured differ: at the next start the VM gets ${m.address} again, and ${e.address} looks free to anyone reading configs while the VM uses it.`,
          fix: `Make the config name the VF the VM uses (${e.address}), or hot-unplug it and restart the VM with its configured one.`,
          evidence: [e.claim.evidence, ...line(vmId, m.address)],
        });
      }
      for (const m of missing) {
        findings.push({
          kind: 'configured-not-held', severity: 'warn', address: m.address, pf: pfOf(m.address), vmId, vmName: m.holder.vmName, otherVmId: claims.get(m.address)?.vmId ?? null,
          title: `${vm(vmId)} runs without ${m.address}, which its config names`,
          why: 'A hot-plug failed or the device was removed from the running VM by hand; the VM gets it back only when it restarts.',
          fix: 'Restart the VM, or attach the device to it again; remove it from the config if the VM should not have it.',
          evidence: [...line(vmId, m.address), { path: `/proc/${running.processes.find((p) => p.vmId === vmId)?.pid ?? '?'}/cmdline`, value: `no vfio-pci device or open group for ${m.address}` }],
        });
      }
    }
    for (const list of notConfigured.values()) {
      for (const { address, claim, configuredVm } of list) {
        findings.push({
          kind: 'held-not-configured', severity: 'warn', address, pf: pfOf(address), vmId: claim.vmId, vmName: claim.vmName, otherVmId: configuredVm,
          title:
            configuredVm === null
              ? `${claim.via} holds ${address}; no VM configuration names it`
              : `${claim.via} holds ${address}, which the config of ${vm(configuredVm)} names`,
          why:
            configuredVm === null
              ? 'A device hot-plugged by hand or a QEMU started outside the hypervisor: it is in use, though every config says it is free.'
              : `${vm(configuredVm)} will fail to start while this process holds it.`,
          fix: 'Name the device in the VM\'s configuration, or stop the process holding it.',
          evidence: [claim.evidence, ...(configuredVm ? line(configuredVm, address) : [])],
        });
      }
    }
    for (const r of running.reservations.filter((x) => x.stale)) {
      findings.push({
        kind: 'stale-reservation', severity: 'info', address: r.address, pf: pfOf(r.address), vmId: r.vmId, vmName: vmName.get(r.vmId) ?? null, otherVmId: null,
        title: `qemu-server still reserves ${r.address} for ${vm(r.vmId)}, whose process ${r.pid} is gone`,
        why: 'A VM start or stop left its reservation behind; tools reading the file think the device is taken.',
        fix: `qemu-server drops the entry the next time a VM reserves a device; or delete the line from ${RESERVATIONS_PATH}.`,
        evidence: [{ path: RESERVATIONS_PATH, value: `${r.address} ${r.vmId} pid:${r.pid}` }],
      });
    }
  }

  // A VF on vfio-pci nothing holds: a leak unless a pool or the operator keeps it so.
  const pooled = new Set(pools.flatMap((p) => p.members));
  for (const [address, at] of located) {
    if (!at.isVf || at.driver !== 'vfio-pci' || at.holder || claims.has(address) || pooled.has(address) || input.keptOnVfio?.has(address)) continue;
    findings.push({
      kind: 'vfio-bound-without-holder', severity: 'warn', address, pf: at.pf, vmId: null, vmName: null, otherVmId: null,
      title: `${address} is bound to vfio-pci, but no VM holds or names it`,
      why: 'No VM config names it and no QEMU process has it open. Unless a host application uses it (DPDK), it was left behind by a VM that is gone or a bind by hand: the host cannot use the VF, and no VM will take it.',
      fix: `Give it back to its host driver (vfmap: the VF's driver, "host driver"; or echo ${address} > /sys/bus/pci/drivers/vfio-pci/unbind, clear driver_override, echo ${address} > /sys/bus/pci/drivers_probe), or give it to a VM.`,
      evidence: [{ path: `/sys/bus/pci/devices/${address}/driver`, value: 'vfio-pci' }],
    });
  }

  // A config naming what the host lacks.
  for (const a of snapshot.assignments) {
    if (a.pendingChange === 'detach' || exists(a.target, located)) continue;
    const origin = formerVf(a.target, configured.pfs);
    findings.push({
      kind: 'config-names-missing-vf', severity: 'fail', address: a.target, pf: origin?.pf.address ?? null, vmId: a.vmId, vmName: a.vmName, otherVmId: null,
      title: `${vm(a.vmId)} ${a.via} names ${a.target}, which this host does not have`,
      why: origin
        ? `It would be VF ${origin.index} of ${origin.pf.address}, which has ${origin.pf.numVfs} VF${origin.pf.numVfs === 1 ? '' : 's'} now: the VM fails at its next start${a.pending ? ' (the change is pending)' : ''}.`
        : `No such device: the VM fails at its next start${a.pending ? ' (the change is pending)' : ''}.`,
      fix: origin
        ? `Raise ${origin.pf.address}'s VF count to ${origin.index + 1} or more, or remove ${a.via} from the VM's configuration.`
        : `Remove ${a.via} from the VM's configuration, or point it at a device the host has.`,
      evidence: a.config ? [{ path: a.config.path, value: a.config.line }] : [],
    });
  }

  findings.push(...sharedGroups(configured, located, claims, { vm, name, line }));
  return findings.sort((x, y) => comparePciAddresses(x.address, y.address) || x.kind.localeCompare(y.kind));
}

function poolPick(address: string, pf: string | null, claim: RunningClaim, pool: PoolClaim): DriftFinding {
  return {
    kind: 'holds-a-different-vf', severity: 'info', address, pf, vmId: claim.vmId, vmName: claim.vmName, otherVmId: null,
    title: `VM ${claim.vmId} took ${address} from the pool '${pool.mapping}' its ${pool.via} names`,
    why: `The config names a pool of ${pool.members.length} devices; qemu-server picked this one at start, and only the running process says so.`,
    fix: 'Nothing to do; to pin the device, name it in the config instead of the mapping.',
    evidence: [claim.evidence, { path: pool.config.path, value: pool.config.line }],
  };
}

/** Devices of one IOMMU group held by different VMs: only one of them can have the group. */
function sharedGroups(
  topology: Topology,
  located: ReadonlyMap<string, Located>,
  claims: ReadonlyMap<string, RunningClaim>,
  words: { vm: (id: string) => string; name: (id: string) => string; line: (vmId: string, address: string) => DriftEvidence[] },
): DriftFinding[] {
  const { vm, name, line } = words;
  const out: DriftFinding[] = [];
  for (const [group, members] of iommuGroupMembers(topology)) {
    const holderOf = (a: string): string | null => {
      const c = claims.get(a);
      if (c && !c.ambiguous) return c.vmId;
      return located.get(a)?.holder?.vmId ?? null;
    };
    const held = members.map((a) => ({ a, vmId: holderOf(a) })).filter((x): x is { a: string; vmId: string } => x.vmId !== null);
    if (new Set(held.map((h) => h.vmId)).size < 2) continue;
    for (const h of held) {
      const other = held.find((o) => o.vmId !== h.vmId)!;
      out.push({
        kind: 'group-shared-with-another-vm', severity: 'fail', address: h.a, pf: located.get(h.a)?.pf ?? null, vmId: h.vmId, vmName: name(h.vmId), otherVmId: other.vmId,
        title: `${h.a} of ${vm(h.vmId)} shares IOMMU group ${group} with ${other.a} of ${vm(other.vmId)}`,
        why: 'A group goes to one VM as a whole: the VMs are not isolated from each other\'s devices, and only one of them can start with its device.',
        fix: 'Give both devices to the same VM, or move one of them to a slot with its own IOMMU group (ACS); pcie_acs_override hides the problem without isolating.',
        evidence: [...line(h.vmId, h.a), ...line(other.vmId, other.a), { path: `/sys/kernel/iommu_groups/${group}/devices`, value: members.join(' ') }],
      });
    }
  }
  return out;
}

/** Every PF, VF and other device by address, with its config holder. */
function locate(topology: Topology): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const pf of topology.pfs) {
    out.set(pf.address, { holder: pf.holder, pf: null, driver: pf.driver, isVf: false });
    for (const vf of pf.vfs) out.set(vf.address, { holder: vf.holder, pf: pf.address, driver: vf.driver, isVf: true });
  }
  for (const d of topology.devices) out.set(d.address, { holder: d.holder, pf: null, driver: d.driver, isVf: false });
  return out;
}

function configLines(assignments: readonly Assignment[]): Map<string, ConfigLine> {
  const out = new Map<string, ConfigLine>();
  for (const a of assignments) if (a.config && !out.has(`${a.vmId}\0${a.target}`)) out.set(`${a.vmId}\0${a.target}`, a.config);
  return out;
}

function slotOrSelf(address: string): string {
  return PCI_SLOT_RE.test(address) ? address : pciSlotOf(address);
}

function exists(target: string, located: ReadonlyMap<string, Located>): boolean {
  if (!PCI_SLOT_RE.test(target)) return located.has(target);
  for (const a of located.keys()) if (pciSlotOf(a) === target) return true;
  return false;
}

/** The PF and index whose VF would have this address, had the PF enough VFs. */
function formerVf(address: string, pfs: readonly Pf[]): { pf: Pf; index: number } | null {
  for (const pf of pfs) {
    if (pf.offset === null || pf.stride === null) continue;
    for (let index = pf.numVfs; index < pf.totalVfs; index++) {
      if (vfAddressOf(pf.address, pf.offset, pf.stride, index) === address) return { pf, index };
    }
  }
  return null;
}
