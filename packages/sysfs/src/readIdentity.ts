import { type DirectoryReader, ReadAbort } from './readAttribute';
import type { ScanContext } from './scanContext';
import { parseHexId } from './parseAttribute';
import { parsePciUevent } from './parseUevent';

/** Who a PCI function is and which driver holds it. */
export interface Identity {
  vendorId: string;
  deviceId: string;
  /** Six hex digits, no 0x. */
  class: string;
  /** Read for PFs only (the model shows them there). */
  subsystemVendorId: string | null;
  subsystemDeviceId: string | null;
  driver: string | null;
}

/**
 * Reads a function's ids, class and driver from its `uevent`: one file where the `vendor`,
 * `device` and `class` files and the `driver` link take ten syscalls. The kernel prints both from
 * the same fields, so on a live host they cannot disagree. When uevent is not there (ghw captures
 * keep none, nor do hand-made trees) or cannot stand for the files (see parsePciUevent), the files
 * are read, and they decide whether the device is reported at all.
 */
export function readIdentity(scan: ScanContext, dir: DirectoryReader, address: string, withSubsystem: boolean): Identity {
  const ueventText = dir.shortcutText('uevent');
  const uevent = ueventText === null ? null : parsePciUevent(ueventText, address);
  const vendorId = uevent?.vendorId ?? requiredHexId(scan, dir, address, 'vendor', 4);
  const deviceId = uevent?.deviceId ?? requiredHexId(scan, dir, address, 'device', 4);
  const classCode = uevent?.class ?? requiredHexId(scan, dir, address, 'class', 6);
  const subsystem = withSubsystem ? (uevent?.subsystem ?? null) : null;
  return {
    vendorId,
    deviceId,
    class: classCode,
    subsystemVendorId: withSubsystem ? (subsystem?.vendorId ?? optionalHexId(scan, dir, address, 'subsystem_vendor', 4)) : null,
    subsystemDeviceId: withSubsystem ? (subsystem?.deviceId ?? optionalHexId(scan, dir, address, 'subsystem_device', 4)) : null,
    driver: uevent !== null ? uevent.driver : dir.linkName('driver'),
  };
}

/** An id every function has: absent, unreadable or malformed leaves the device out. */
function requiredHexId(scan: ScanContext, dir: DirectoryReader, address: string, name: string, width: number): string {
  const text = dir.requiredText(name);
  const id = parseHexId(text, width);
  if (id === null) {
    throw new ReadAbort({ code: 'malformed', message: `${name} of ${address} reads "${text}"; left out`, path: scan.paths.relative(dir.path(name)) });
  }
  return id;
}

function optionalHexId(scan: ScanContext, dir: DirectoryReader, address: string, name: string, width: number): string | null {
  const text = dir.text(name);
  if (text === null) return null;
  const id = parseHexId(text, width);
  if (id === null) scan.warn('malformed', `${name} of ${address} reads "${text}"`, dir.path(name));
  return id;
}
