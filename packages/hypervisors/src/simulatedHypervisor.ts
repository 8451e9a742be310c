import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PciAddress, SIMULATED_HYPERVISOR_STATE_PATH, SimulatedHypervisorState, type SimulatedVm } from '@vfmap/model';
import { HypervisorError, type AttachResult, type Hypervisor, type HypervisorSnapshot } from './hypervisor';
import { syncSimulatedGroupFd } from './simulatedQemuFds';
import { createWriteQueue } from './writeQueue';

/** Like Proxmox, a VM takes at most 16 passed-through devices (hostpci0..15). */
const MAX_HOSTDEVS = 16;

/**
 * The demo's hypervisor: VMs and their devices in a JSON file under the simulated root
 * (SIMULATED_HYPERVISOR_STATE_PATH, written by packages/simhost). It behaves like a
 * hypervisor that can hot-plug: a running (or paused) VM gets or loses a device at once, a
 * stopped one at its next start.
 */
export function simulatedHypervisor(root: string): Hypervisor {
  const path = join(root, SIMULATED_HYPERVISOR_STATE_PATH);
  const relative = SIMULATED_HYPERVISOR_STATE_PATH;
  const queue = createWriteQueue();

  async function load(): Promise<SimulatedHypervisorState> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new HypervisorError(`cannot read the simulated hypervisor's state ${relative}: ${(err as Error).message}`, { code: 'bad-state' });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new HypervisorError(`${relative} is not JSON: ${(err as Error).message}`, { code: 'bad-state' });
    }
    const parsed = SimulatedHypervisorState.safeParse(json);
    if (!parsed.success) {
      throw new HypervisorError(`${relative} does not match the schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
        code: 'bad-state',
      });
    }
    return parsed.data;
  }

  /**
   * Write a temp file beside it, fsync, rename: a reader sees the old state or the new, never
   * half, and after a crash the file holds one of them (as pmxcfs and libvirt keep VM configs).
   */
  async function save(state: SimulatedHypervisorState): Promise<void> {
    const tmp = join(dirname(path), `.hypervisor.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(tmp, 'w');
      try {
        await handle.write(`${JSON.stringify(state, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw new HypervisorError(`cannot write ${relative}: ${(err as Error).message}`, { code: 'bad-state' });
    }
  }

  function findVm(state: SimulatedHypervisorState, vmId: string): SimulatedVm {
    const vm = state.vms.find((v) => v.id === vmId);
    if (!vm) throw new HypervisorError(`the simulated hypervisor has no VM '${vmId}'`, { code: 'unknown-vm' });
    return vm;
  }

  const isLive = (vm: SimulatedVm) => vm.state === 'running' || vm.state === 'paused';
  const liveDevices = (vm: SimulatedVm) => vm.hostdevs.filter((h) => !h.pending).map((h) => h.address);

  return {
    kind: 'simulated',

    async snapshot(): Promise<HypervisorSnapshot> {
      let state: SimulatedHypervisorState;
      try {
        state = await load();
      } catch (err) {
        return { vms: [], assignments: [], warnings: [{ code: 'unreadable', message: (err as Error).message, path: relative }] };
      }
      return {
        vms: state.vms.map((vm) => ({ id: vm.id, name: vm.name, state: vm.state })),
        assignments: state.vms.flatMap((vm) =>
          vm.hostdevs.map((h) => ({
            target: h.address,
            vmId: vm.id,
            vmName: vm.name,
            via: h.via,
            pending: h.pending,
            pendingChange: h.pending ? ('attach' as const) : null,
            config: { path: `/${SIMULATED_HYPERVISOR_STATE_PATH}`, line: `VM ${vm.id} ${h.via}: ${h.address}${h.pending ? ' (pending)' : ''}` },
          })),
        ),
        warnings: [],
      };
    },

    async fingerprint(): Promise<string> {
      try {
        // rename() gives every write a new inode, so even two writes in one mtime tick differ.
        const s = await stat(path, { bigint: true });
        return `${s.ino}:${s.size}:${s.mtimeNs}`;
      } catch {
        return 'absent';
      }
    },

    attach(vmId, address) {
      return queue(async (): Promise<AttachResult> => {
        assertAddress(address);
        const state = await load();
        const vm = findVm(state, vmId);
        const existing = vm.hostdevs.find((h) => h.address === address);
        if (existing) throw new HypervisorError(`VM ${vm.id} (${vm.name}) already has ${address} as ${existing.via}`, { code: 'already-assigned' });
        const used = new Set(vm.hostdevs.map((h) => h.via));
        const index = [...Array(MAX_HOSTDEVS).keys()].find((i) => !used.has(`hostpci${i}`));
        if (index === undefined) throw new HypervisorError(`VM ${vm.id} (${vm.name}) has no free hostpci index`, { code: 'no-free-slot' });
        const via = `hostpci${index}`;
        vm.hostdevs.push({ address, via, pending: false });
        await save(state);
        // The config is what the answer is about; the process's fd follows it at best.
        if (isLive(vm)) await syncSimulatedGroupFd(root, vm.id, address, liveDevices(vm)).catch(() => undefined);
        return { effect: isLive(vm) ? 'live' : 'next-start', via };
      });
    },

    detach(vmId, address) {
      return queue(async (): Promise<AttachResult> => {
        assertAddress(address);
        const state = await load();
        const vm = findVm(state, vmId);
        const existing = vm.hostdevs.find((h) => h.address === address);
        if (!existing) throw new HypervisorError(`VM ${vm.id} (${vm.name}) does not have ${address}`, { code: 'not-assigned' });
        vm.hostdevs = vm.hostdevs.filter((h) => h !== existing);
        await save(state);
        // The config is what the answer is about; the process's fd follows it at best.
        if (isLive(vm)) await syncSimulatedGroupFd(root, vm.id, address, liveDevices(vm)).catch(() => undefined);
        return { effect: isLive(vm) ? 'live' : 'next-start', via: existing.via };
      });
    },
  };
}

function assertAddress(address: string): void {
  if (!PciAddress.safeParse(address).success) {
    throw new HypervisorError(`'${address}' is not a PCI address (dddd:bb:dd.f)`, { code: 'invalid-request' });
  }
}
