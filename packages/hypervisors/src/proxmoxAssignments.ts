import type { HypervisorWarningCode, VmState, Warning } from '@vfmap/model';
import type { Assignment, PoolClaim } from './hypervisor';
import { parseHostpci } from './parseHostpci';
import type { QemuConf } from './parseQemuConf';
import { nodeMapping, type PciMappingFile } from './parsePciMapping';
import type { PciReservation } from './parsePciReservations';

/** qemu-server's $MAX_HOSTPCI_DEVICES: hostpci0 .. hostpci15. */
export const MAX_HOSTPCI = 16;

export interface ProxmoxVm {
  vmid: string;
  name: string;
  state: VmState;
  conf: QemuConf;
  /** The config file relative to the root, for warnings. */
  path: string;
}

/** What resolving a mapping needs: this node's name, pci.cfg, and the running VMs' reservations. */
export interface MappingContext {
  node: string | null;
  mappings: PciMappingFile | null;
  reservations: PciReservation[];
}

/** The devices one hostpci value passes, or why they cannot be known. */
export type HostpciTargets =
  | { ok: true; targets: string[]; source: 'host' | 'mapping' }
  | { ok: false; code: HypervisorWarningCode; message: string; pool?: { mapping: string; members: string[] } };

/** The VM name Proxmox shows when a config has no `name:` (qemu-server's vmstatus). */
export function proxmoxVmName(vmid: string, conf: QemuConf): string {
  return conf.current.get('name') ?? `VM ${vmid}`;
}

export function hostpciKeys(conf: QemuConf): string[] {
  const keys = new Set<string>();
  for (const key of [...conf.current.keys(), ...conf.pending.keys()]) {
    const m = /^hostpci(\d+)$/.exec(key);
    if (m && Number(m[1]) < MAX_HOSTPCI) keys.add(key);
  }
  return [...keys].sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)));
}

/**
 * Resolves one hostpci value to the devices it passes. A `mapping=` is looked up for this
 * node; a mapping with several devices on this node is a pool from which qemu-server takes
 * the first free one at VM start, so only a running VM's reservation says which one it has
 * (`useReservation`); otherwise the value holds no particular device.
 */
export function resolveHostpci(vmid: string, key: string, value: string, ctx: MappingContext, useReservation: boolean): HostpciTargets {
  const parsed = parseHostpci(value);
  if (!parsed.ok) return { ok: false, code: 'vm-config', message: `VM ${vmid} ${key}: ${parsed.error}` };
  if (parsed.value.host) return { ok: true, targets: parsed.value.host, source: 'host' };

  const id = parsed.value.mapping!;
  if (ctx.mappings === null) {
    return { ok: false, code: 'mapping-unresolved', message: `VM ${vmid} ${key} uses mapping '${id}', but /etc/pve/mapping/pci.cfg cannot be read` };
  }
  if (ctx.node === null) {
    return { ok: false, code: 'mapping-unresolved', message: `VM ${vmid} ${key} uses mapping '${id}', but this node's name is unknown (no /etc/hostname)` };
  }
  const entries = nodeMapping(ctx.mappings, id, ctx.node);
  if (entries === null) return { ok: false, code: 'mapping-unresolved', message: `VM ${vmid} ${key} uses mapping '${id}', which pci.cfg does not define` };
  if (entries.length === 0) {
    return { ok: false, code: 'mapping-unresolved', message: `VM ${vmid} ${key} uses mapping '${id}', which has no device on node '${ctx.node}'` };
  }
  if (entries.length === 1) return { ok: true, targets: entries[0]!.path, source: 'mapping' };

  if (useReservation) {
    const reserved = new Set(ctx.reservations.filter((r) => r.vmid === vmid).map((r) => r.address));
    const chosen = entries.find((e) => e.path.every((p) => reserved.has(p)));
    if (chosen) return { ok: true, targets: chosen.path, source: 'mapping' };
  }
  return {
    ok: false,
    code: 'mapping-pool',
    pool: { mapping: id, members: entries.flatMap((e) => e.path) },
    message: `VM ${vmid} ${key} uses mapping '${id}', a pool of ${entries.length} devices on node '${ctx.node}'; qemu-server picks the first free one when the VM starts, so none is counted as held`,
  };
}

/**
 * The devices a Proxmox VM holds, from its current configuration and its [PENDING] changes:
 * - a value in the current config is held (pending detach when [PENDING] deletes or replaces it);
 * - a [PENDING] value not in the current config waits for the next start (pending attach);
 * - a device named both before and after a pending change (only options change) stays held.
 */
export function proxmoxAssignments(vm: ProxmoxVm, ctx: MappingContext): { assignments: Assignment[]; pools: PoolClaim[]; warnings: Warning[] } {
  const assignments: Assignment[] = [];
  const pools: PoolClaim[] = [];
  const file = `/${vm.path.replace(/^\/+/, '')}`;
  const warnings: Warning[] = vm.conf.problems.map((p) => ({ code: 'vm-config', message: `VM ${vm.vmid}: ${p}`, path: vm.path }));
  const active = vm.state === 'running' || vm.state === 'paused';
  const deleted = new Set(vm.conf.pendingDelete.map((d) => d.key));

  const line = (key: string, value: string, pending: boolean) => ({ path: file, line: `${pending ? '[PENDING] ' : ''}${key}: ${value}` });
  const resolve = (key: string, value: string | undefined, useReservation: boolean, pending = false): string[] => {
    if (value === undefined) return [];
    const r = resolveHostpci(vm.vmid, key, value, ctx, useReservation);
    if (r.ok) return r.targets;
    warnings.push({ code: r.code, message: r.message, path: vm.path });
    if (r.pool) pools.push({ vmId: vm.vmid, vmName: vm.name, via: key, ...r.pool, config: line(key, value, pending) });
    return [];
  };
  const push = (target: string, via: string, pendingChange: Assignment['pendingChange']) => {
    const pendingValue = vm.conf.pending.get(via);
    const fromPending = pendingChange === 'attach' && pendingValue !== undefined;
    const value = fromPending ? pendingValue : (vm.conf.current.get(via) ?? pendingValue ?? '');
    assignments.push({ target, vmId: vm.vmid, vmName: vm.name, via, pending: pendingChange !== null, pendingChange, config: line(via, value, fromPending) });
  };

  for (const key of hostpciKeys(vm.conf)) {
    const current = vm.conf.current.get(key);
    const pending = vm.conf.pending.get(key);
    const now = resolve(key, current, active);
    if (pending === undefined || pending === current) {
      for (const t of now) push(t, key, deleted.has(key) ? 'detach' : null);
      continue;
    }
    const next = resolve(key, pending, false, true);
    for (const t of now) push(t, key, next.includes(t) ? null : 'detach');
    for (const t of next) if (!now.includes(t)) push(t, key, 'attach');
  }
  return { assignments, pools, warnings };
}
