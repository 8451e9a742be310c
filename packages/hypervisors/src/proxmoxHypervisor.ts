import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { PciAddress, pciSlotOf, type Vm, type VmState, type Warning } from '@vfmap/model';
import { HypervisorError, type Assignment, type PoolClaim, type AttachResult, type Hypervisor, type HypervisorSnapshot, type VmStates } from './hypervisor';
import { parsePciMapping, type PciMappingFile } from './parsePciMapping';
import { parsePciReservations } from './parsePciReservations';
import { parseQemuConf, type QemuConf } from './parseQemuConf';
import { hostpciKeys, MAX_HOSTPCI, proxmoxAssignments, proxmoxVmName, resolveHostpci, type MappingContext } from './proxmoxAssignments';
import { splitPropertyString } from './pvePropertyString';
import type { PvePaths } from './pvePaths';
import type { Qm } from './qm';
import { qmVmStates } from './qmVmStates';
import { createWriteQueue } from './writeQueue';

/**
 * Proxmox VE: reads `/etc/pve/qemu-server/<vmid>.conf` (current config and [PENDING], never
 * snapshot sections), resolves `mapping=` through `/etc/pve/mapping/pci.cfg` for this node,
 * takes VM states from `qm list`, and writes with `qm set`. Proxmox cannot hot-plug hostpci
 * devices: a change to a running VM lands in [PENDING] and takes effect at its next start.
 * `listStates` replaces running `qm list` where this process may not (qm runs only as root):
 * the split agent's HTTP side asks its root helper.
 */
export function proxmoxHypervisor(paths: PvePaths, qm: Qm, listStates: () => Promise<VmStates> = () => qmVmStates(qm)): Hypervisor {
  const queue = createWriteQueue();

  async function vmStates(): Promise<{ states: VmStates | null; warning: Warning | null }> {
    try {
      return { states: await listStates(), warning: null };
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      return { states: null, warning: { code: 'hypervisor-unavailable', message: `VM states are unknown: ${detail}` } };
    }
  }

  /** Reads a file for a snapshot: absent is null, unreadable is null and a warning (lenient read). */
  async function readLenient(path: string, warnings: Warning[]): Promise<string | null> {
    try {
      return await readOptional(path);
    } catch (err) {
      warnings.push({ code: 'unreadable', message: (err as Error).message, path: paths.relative(path) });
      return null;
    }
  }

  async function mappingContext(warnings: Warning[]): Promise<MappingContext> {
    const hostname = await readLenient(paths.hostname, warnings);
    // PVE's node name is the hostname up to the first dot (PVE::INotify::nodename).
    const node = hostname?.split('\n')[0]?.trim().split('.')[0] || null;
    // A cluster that never defined a mapping has no pci.cfg at all: that is an empty file.
    let mappings: PciMappingFile | null;
    try {
      mappings = parsePciMapping((await readOptional(paths.pciMapping)) ?? '');
    } catch (err) {
      warnings.push({ code: 'unreadable', message: (err as Error).message, path: paths.relative(paths.pciMapping) });
      mappings = null;
    }
    for (const problem of mappings?.problems ?? []) {
      warnings.push({ code: 'vm-config', message: `PCI mapping: ${problem}`, path: paths.relative(paths.pciMapping) });
    }
    const reservations = parsePciReservations((await readLenient(paths.pciReservations, warnings)) ?? '');
    return { node, mappings, reservations };
  }

  /** One VM's config, parsed, with the digest qm set checks against. */
  async function readVm(vmId: string): Promise<{ raw: string; conf: QemuConf; digest: string }> {
    if (!/^\d+$/.test(vmId)) throw new HypervisorError(`'${vmId}' is not a Proxmox VM id (they are numbers)`, { code: 'unknown-vm' });
    const raw = await readOptional(paths.vmConfig(vmId));
    if (raw === null) throw new HypervisorError(`Proxmox has no VM ${vmId} on this node (no ${paths.relative(paths.vmConfig(vmId))})`, { code: 'unknown-vm' });
    // qemu-server's digest is the SHA-1 of the raw file (parse_vm_config).
    return { raw, conf: parseQemuConf(raw), digest: createHash('sha1').update(raw).digest('hex') };
  }

  async function stateOf(vmId: string): Promise<VmState> {
    const { states } = await vmStates();
    return states?.get(vmId) ?? 'unknown';
  }

  return {
    kind: 'proxmox',

    async snapshot(): Promise<HypervisorSnapshot> {
      const warnings: Warning[] = [];
      let files: string[];
      try {
        files = (await readdir(paths.qemuServerDir)).filter((f) => /^\d+\.conf$/.test(f));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'it does not exist (is this a Proxmox VE node?)' : `${code ?? String(err)}`;
        warnings.push({ code: 'unreadable', message: `cannot list the VM configs: ${why}`, path: paths.relative(paths.qemuServerDir) });
        return { vms: [], assignments: [], warnings };
      }
      files.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));

      const { states, warning } = await vmStates();
      if (warning) warnings.push(warning);
      const ctx = await mappingContext(warnings);

      const vms: Vm[] = [];
      const assignments: Assignment[] = [];
      const pools: PoolClaim[] = [];
      for (const file of files) {
        const vmid = file.slice(0, -'.conf'.length);
        // null: removed since the listing (the VM is gone) or unreadable (warned).
        const text = await readLenient(paths.vmConfig(vmid), warnings);
        if (text === null) continue;
        const conf = parseQemuConf(text);
        const vm = { id: vmid, name: proxmoxVmName(vmid, conf), state: states?.get(vmid) ?? 'unknown' } satisfies Vm;
        vms.push(vm);
        const found = proxmoxAssignments({ vmid, name: vm.name, state: vm.state, conf, path: paths.relative(paths.vmConfig(vmid)) }, ctx);
        assignments.push(...found.assignments);
        pools.push(...found.pools);
        warnings.push(...found.warnings);
      }
      return { vms, assignments, pools, warnings };
    },

    async fingerprint(): Promise<string> {
      const hash = createHash('sha256');
      const add = async (path: string) => {
        try {
          const s = await stat(path, { bigint: true });
          hash.update(`${path}\0${s.ino}\0${s.size}\0${s.mtimeNs}\0`);
        } catch {
          hash.update(`${path}\0-\0`);
        }
      };
      const addDir = async (dir: string, pattern: RegExp) => {
        let names: string[] = [];
        try {
          names = (await readdir(dir)).filter((n) => pattern.test(n)).sort();
        } catch {
          hash.update(`${dir}\0-\0`);
        }
        for (const name of names) await add(`${dir}/${name}`);
      };
      // Configs change with every qm set; a pid file appears and goes as a VM starts and stops.
      await addDir(paths.qemuServerDir, /^\d+\.conf$/);
      await addDir(paths.pidDir, /^\d+\.pid$/);
      await add(paths.pciMapping);
      await add(paths.pciReservations);
      await add(paths.hostname);
      return hash.digest('hex');
    },

    attach(vmId, address) {
      return queue(async (): Promise<AttachResult> => {
        assertAddress(address);
        const { conf, digest } = await readVm(vmId);
        const state = await stateOf(vmId);
        const ctx = await mappingContext([]);
        const held = proxmoxAssignments({ vmid: vmId, name: proxmoxVmName(vmId, conf), state, conf, path: '' }, ctx).assignments;
        const existing = held.find((a) => a.target === address || a.target === pciSlotOf(address));
        if (existing) {
          const why = existing.pendingChange === 'detach' ? '; its removal waits for the VM to restart' : existing.pending ? ' (pending)' : '';
          throw new HypervisorError(`VM ${vmId} already names ${address} in ${existing.via}${why}`, { code: 'already-assigned' });
        }
        const index = [...Array(MAX_HOSTPCI).keys()].find((i) => !conf.current.has(`hostpci${i}`) && !conf.pending.has(`hostpci${i}`));
        if (index === undefined) {
          throw new HypervisorError(`VM ${vmId} uses all ${MAX_HOSTPCI} hostpci entries`, { code: 'no-free-slot' });
        }
        const key = `hostpci${index}`;
        const machine = conf.pending.get('machine') ?? conf.current.get('machine');
        // pcie=1 puts the VF on a PCIe root port, which only the q35 machine has ("q35 machine
        // model is not enabled" otherwise); on i440fx it goes on the PCI bus.
        const value = isQ35(machine) ? `${address},pcie=1` : address;
        await qm.set(vmId, key, value, digest);

        const after = (await readVm(vmId)).conf;
        if (after.current.get(key) !== value && after.pending.get(key) !== value) {
          throw new HypervisorError(`qm set reported success, but ${key} of VM ${vmId} is not '${value}'`, { code: 'bad-state' });
        }
        return { effect: 'next-start', via: key };
      });
    },

    detach(vmId, address) {
      return queue(async (): Promise<AttachResult> => {
        assertAddress(address);
        const { conf, digest } = await readVm(vmId);
        const state = await stateOf(vmId);
        const active = state === 'running' || state === 'paused';
        const ctx = await mappingContext([]);

        const keys: string[] = [];
        const leaving: string[] = [];
        for (const key of hostpciKeys(conf)) {
          const current = conf.current.get(key);
          const pending = conf.pending.get(key);
          const names = (value: string | undefined, useReservation: boolean): boolean => {
            if (value === undefined) return false;
            const r = resolveHostpci(vmId, key, value, ctx, useReservation);
            if (!r.ok || !r.targets.some((t) => t === address || t === pciSlotOf(address))) return false;
            if (r.targets.length > 1 || r.targets[0] !== address) {
              // Deleting the entry would take the other devices too; that is not what was asked.
              throw new HypervisorError(
                `VM ${vmId} ${key} passes ${r.targets.join(' and ')} as one entry ('${value}'); release it in Proxmox to take them all back`,
                { code: 'unsupported' },
              );
            }
            return true;
          };
          const inCurrent = names(current, active);
          const inPending = pending !== undefined && pending !== current && names(pending, false);
          const replaced = current !== undefined && pending !== undefined && pending !== current;
          if (replaced && inCurrent && !inPending) {
            // [PENDING] already replaces it with another device: it leaves at the next start.
            leaving.push(key);
          } else if (replaced && inPending && !inCurrent) {
            // --delete would also remove the device the VM has now (current value).
            throw new HypervisorError(
              `VM ${vmId} ${key} is to change from '${current}' to '${pending}' at its next start; withdraw that with 'qm set ${vmId} --revert ${key}'`,
              { code: 'unsupported' },
            );
          } else if (inCurrent || inPending) {
            keys.push(key);
          }
        }
        if (keys.length === 0 && leaving.length > 0) return { effect: 'next-start', via: leaving.join(',') };
        if (keys.length === 0) throw new HypervisorError(`VM ${vmId} does not name ${address}`, { code: 'not-assigned' });

        await qm.delete(vmId, keys, digest);

        const after = (await readVm(vmId)).conf;
        const pendingDelete = new Set(after.pendingDelete.map((d) => d.key));
        for (const key of keys) {
          const gone = !after.current.has(key) && !after.pending.has(key);
          if (!gone && !(after.current.has(key) && pendingDelete.has(key) && !after.pending.has(key))) {
            throw new HypervisorError(`qm set --delete ${key} reported success, but VM ${vmId} still names it`, { code: 'bad-state' });
          }
        }
        // Only a running VM's withdrawn [PENDING] entry is in effect at once; a device it runs
        // with stays until it restarts, and a stopped VM sees any change at its next start.
        const effect = active && keys.every((k) => !conf.current.has(k)) ? 'live' : 'next-start';
        return { effect, via: keys.join(',') };
      });
    },
  };
}

/** `machine: q35`, `pc-q35-8.1`, `type=q35,viommu=intel` are q35; `pc`, `pc-i440fx-8.1` are not. */
export function isQ35(machine: string | undefined): boolean {
  if (machine === undefined) return false;
  const type = splitPropertyString(machine).find((p) => p.key === null || p.key === 'type')?.value ?? '';
  return /(^|-)q35(-|$)/.test(type);
}

function assertAddress(address: string): void {
  if (!PciAddress.safeParse(address).success) {
    throw new HypervisorError(`'${address}' is not a PCI address (dddd:bb:dd.f)`, { code: 'invalid-request' });
  }
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HypervisorError(`cannot read ${path}: ${(err as Error).message}`, { code: 'bad-state' });
  }
}
