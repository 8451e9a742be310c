import type { HypervisorKind, PciAddress, Vm, VmState, Warning } from '@vfmap/model';

/**
 * One device a VM's configuration names. `target` is a function address, or a slot
 * (`dddd:bb:dd`) when the config passes a whole device with all its functions (Proxmox's
 * `hostpci0: 0000:01:00`).
 */
export interface Assignment {
  target: string;
  vmId: string;
  vmName: string;
  /** Where the config names it: "hostpci0", "hostdev", "interface", ... */
  via: string;
  /** In the configuration but not in effect yet (Proxmox [PENDING], libvirt config-only). */
  pending: boolean;
  /**
   * Which way a pending change goes: "attach" — the VM gets the device at its next start;
   * "detach" — the running VM still has it but its configuration no longer names it.
   * null when nothing is pending.
   */
  pendingChange: 'attach' | 'detach' | null;
  /** The config file and line that name the device, as the host shows them (evidence for drift findings). */
  config?: ConfigLine;
}

/** Where a VM configuration names something: the file as the host names it, and the line. */
export interface ConfigLine {
  path: string;
  line: string;
}

/**
 * A VM config entry naming a pool of devices (a Proxmox `mapping=` with several devices on
 * this node): the VM gets one of `members` when it starts, and only the running process says which.
 */
export interface PoolClaim {
  vmId: string;
  vmName: string;
  via: string;
  mapping: string;
  members: string[];
  config: ConfigLine;
}

export interface HypervisorSnapshot {
  vms: Vm[];
  assignments: Assignment[];
  /** Config entries naming a pool rather than one device; absent where the hypervisor has none. */
  pools?: PoolClaim[];
  warnings: Warning[];
}

/** Each VM's state by its id, as the hypervisor's own listing gives it (Proxmox: `qm list`). */
export type VmStates = ReadonlyMap<string, VmState>;

export interface AttachResult {
  /**
   * "live": the running VM has the change now (or a pending change was withdrawn, so the
   * running VM and its configuration agree again); "next-start": only the configuration
   * changed and the VM sees it when it (re)starts — always so for a stopped VM, and for
   * Proxmox, which cannot hot-plug hostpci devices.
   */
  effect: 'live' | 'next-start';
  /** Where the configuration names (or named) the device: "hostpci2", "hostdev", ... */
  via: string;
}

/** The hypervisor behind one narrow interface: proxmox, libvirt, simulated, none. */
export interface Hypervisor {
  readonly kind: HypervisorKind;
  /** VMs and the PCI devices their configurations name. */
  snapshot(): Promise<HypervisorSnapshot>;
  /** Cheap: changes when a VM config or state may have changed (mtimes, list of domains). */
  fingerprint(): Promise<string>;
  /** Gives the device at `address` to VM `vmId` (config, and live when it runs and the hypervisor can). */
  attach(vmId: string, address: PciAddress): Promise<AttachResult>;
  /** Takes the device at `address` back from VM `vmId`. */
  detach(vmId: string, address: PciAddress): Promise<AttachResult>;
}

/**
 * Why a hypervisor call did not happen or did not work. The agent maps these to problem
 * types without reading messages:
 * - `command-failed`: the tool ran and refused (exit status and stderr say why);
 * - `command-missing`: the tool is not installed where we looked;
 * - `timeout`: the tool did not answer in time and was killed;
 * - `unknown-vm`: no VM with that id;
 * - `already-assigned`: the VM's configuration already names the device;
 * - `not-assigned`: the VM's configuration does not name the device;
 * - `no-free-slot`: the VM has no free hostpci index left (Proxmox allows 16);
 * - `unsupported`: this adapter cannot do that (the "none" hypervisor; a Proxmox entry
 *   that passes several devices at once, which cannot be taken apart one VF at a time);
 * - `bad-state`: a configuration or state file could not be read or trusted;
 * - `invalid-request`: the VM id or address is not of a form this hypervisor accepts.
 */
export type HypervisorErrorCode =
  | 'command-failed'
  | 'command-missing'
  | 'timeout'
  | 'unknown-vm'
  | 'already-assigned'
  | 'not-assigned'
  | 'no-free-slot'
  | 'unsupported'
  | 'bad-state'
  | 'invalid-request';

export interface HypervisorErrorDetails {
  code: HypervisorErrorCode;
  /** The command as run (argument array), or null when none was run. */
  command?: readonly string[] | null;
  exitStatus?: number | null;
  stderr?: string;
}

/** A hypervisor command or config failed, or a request was refused; carries what was run and how it ended. */
export class HypervisorError extends Error {
  override readonly name = 'HypervisorError';
  readonly code: HypervisorErrorCode;
  readonly command: readonly string[] | null;
  readonly exitStatus: number | null;
  readonly stderr: string;

  constructor(message: string, details: HypervisorErrorDetails) {
    super(message);
    this.code = details.code;
    this.command = details.command ?? null;
    this.exitStatus = details.exitStatus ?? null;
    this.stderr = details.stderr ?? '';
  }
}
