import { parseHexId } from './parseAttribute';

/** What a PCI function's `uevent` says about it: the kernel's pci_uevent() plus DRIVER= from the driver core. */
export interface PciUevent {
  vendorId: string;
  deviceId: string;
  /** Six hex digits: the kernel prints PCI_CLASS without leading zeros (`PCI_CLASS=20000`). */
  class: string;
  /** null when PCI_SUBSYS_ID is not there: the subsystem files are read instead. */
  subsystem: { vendorId: string; deviceId: string } | null;
  /** DRIVER= is printed while a driver is bound, and only then. */
  driver: string | null;
}

/**
 * Parses `uevent` (`DRIVER=ice\nPCI_CLASS=20000\nPCI_ID=8086:1592\nPCI_SUBSYS_ID=8086:0001\n
 * PCI_SLOT_NAME=0000:18:00.0\n...`). The kernel prints these from the same fields as the `vendor`,
 * `device`, `class` and `subsystem_*` files and the `driver` link, so one read stands for five.
 *
 * null when the text cannot stand for those files, and they are read instead: PCI_ID or PCI_CLASS
 * missing or malformed, or PCI_SLOT_NAME naming another function. A live kernel always names the
 * function itself; a hand-copied capture does not (hwloc's `10000:00:04.0` is a copy of `0000:00:04.0`
 * whose uevent still says `PCI_SLOT_NAME=0000:00:04.0`), and there the id files are the truth.
 */
export function parsePciUevent(text: string, address: string): PciUevent | null {
  let id: string | undefined;
  let cls: string | undefined;
  let subsys: string | undefined;
  let slot: string | undefined;
  let driver: string | null = null;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const value = line.slice(eq + 1).trim();
    switch (line.slice(0, eq)) {
      case 'PCI_ID':
        id = value;
        break;
      case 'PCI_CLASS':
        cls = value;
        break;
      case 'PCI_SUBSYS_ID':
        subsys = value;
        break;
      case 'PCI_SLOT_NAME':
        slot = value;
        break;
      case 'DRIVER':
        driver = value || null;
        break;
    }
  }
  if (slot !== address || id === undefined || cls === undefined) return null;
  const ids = parseIdPair(id);
  const classCode = parseHexId(cls, 6);
  if (ids === null || classCode === null) return null;
  const subsystem = subsys === undefined ? null : parseIdPair(subsys);
  return { vendorId: ids.vendorId, deviceId: ids.deviceId, class: classCode, subsystem, driver };
}

/** `8086:1592` → 8086, 1592 (the kernel prints %04X:%04X). */
function parseIdPair(text: string): { vendorId: string; deviceId: string } | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const vendorId = parseHexId(text.slice(0, colon), 4);
  const deviceId = parseHexId(text.slice(colon + 1), 4);
  return vendorId === null || deviceId === null ? null : { vendorId, deviceId };
}
