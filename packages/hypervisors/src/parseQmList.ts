import type { VmState } from '@vfmap/model';

export interface QmListEntry {
  vmid: string;
  name: string;
  /** As qm prints it: the QMP status when the VM runs (running, paused, prelaunch...), else "stopped". */
  status: string;
  pid: number | null;
}

/**
 * Parses `qm list`. qm prints `printf "%10s %-20s %-10s %-10s %12.2f %-10s\n"` of VMID, NAME,
 * STATUS, MEM(MB), BOOTDISK(GB), PID after a header line, and nothing at all without VMs.
 * A name can contain a space (a VM without `name:` is listed as "VM 100"), so the columns
 * are read from both ends.
 */
export function parseQmList(text: string): QmListEntry[] {
  const entries: QmListEntry[] = [];
  // Anything but nothing or the table (a wrapper's banner, JSON, a flood) is not `qm list`: VM
  // states read from it would be wrong, so it is refused and the states are unknown instead.
  const first = text.split('\n').find((line) => line.trim() !== '');
  if (first !== undefined && !/^\s*VMID\s+NAME\s+STATUS\b/.test(first)) {
    throw new Error(`qm list printed something that is not its table: ${JSON.stringify(first.slice(0, 80))}`);
  }
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(.*?)\s+(\S+)\s+\S+\s+\S+\s+(\d+)\s*$/.exec(line);
    if (!m) continue;
    const pid = Number(m[4]);
    entries.push({ vmid: m[1]!, name: m[2]!, status: m[3]!, pid: pid > 0 ? pid : null });
  }
  return entries;
}

/** QMP status words (qm list shows qmpstatus for running VMs) to the model's states. */
export function vmStateOfQmStatus(status: string): VmState {
  switch (status) {
    case 'running':
      return 'running';
    case 'stopped':
      return 'stopped';
    case 'paused':
    case 'suspended':
      return 'paused';
    default:
      // prelaunch, inmigrate, postmigrate, io-error, internal-error, guest-panicked, ...
      return 'unknown';
  }
}
