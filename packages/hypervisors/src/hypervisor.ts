import type { HypervisorKind, PciAddress, Vm, Warning } from '@vfmap/model';

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
}

export interface HypervisorSnapshot {
  vms: Vm[];
  assignments: Assignment[];
  warnings: Warning[];
}

export interface AttachResult {
  /** "live": the running VM has the device now; "next-start": only the config changed. */
  effect: 'live' | 'next-start';
  via: string;
}

/** The hypervisor behind one narrow interface: proxmox, libvirt, simulated, none. */
export interface Hypervisor {
  readonly kind: HypervisorKind;
  /** VMs and the PCI devices their configurations name. */
  snapshot(): Promise<HypervisorSnapshot>;
  /** Cheap: changes when a VM config or state may have changed (mtimes, list of domains). */
  fingerprint(): Promise<string>;
  /** Gives the VF at `address` to VM `vmId` (config, and live when it runs). */
  attach(vmId: string, address: PciAddress): Promise<AttachResult>;
  /** Takes the VF at `address` back from VM `vmId`. */
  detach(vmId: string, address: PciAddress): Promise<AttachResult>;
}

/** A hypervisor command or config failed; carries what was run and how it ended. */
export class HypervisorError extends Error {
  override readonly name = 'HypervisorError';
  constructor(
    message: string,
    readonly command: readonly string[] | null,
    readonly exitStatus: number | null,
    readonly stderr: string = '',
  ) {
    super(message);
  }
}
