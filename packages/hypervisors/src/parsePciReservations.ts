import { normalizePvePciId } from './pvePciId';

export interface PciReservation {
  address: string;
  vmid: string;
  /** Set once the VM process runs; before that qemu-server holds the device by an expiry `time`. */
  pid: number | null;
}

/**
 * Parses qemu-server's `/run/qemu-server/pci-id-reservations`: one `ID VMID pid:PID` or
 * `ID VMID time:EXPIRY` line per device a starting or running VM took. It is the only place
 * that says which device of a mapping pool ("the first available will be chosen on guest
 * start") a running VM really got.
 */
export function parsePciReservations(text: string): PciReservation[] {
  const out: PciReservation[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s(\d+)\s(time|pid):(\d+)$/.exec(line.trim());
    if (!m) continue;
    const address = normalizePvePciId(m[1]!);
    if (address === null) continue;
    out.push({ address, vmid: m[2]!, pid: m[3] === 'pid' ? Number(m[4]) : null });
  }
  return out;
}
