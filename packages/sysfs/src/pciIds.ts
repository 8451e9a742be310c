import { readFileSync, statSync } from 'node:fs';
import { sysfsPaths } from './sysfsPaths';

/** Vendor, device and subsystem names from the PCI ID database (pci.ids). Ids are lower-case hex without 0x. */
export interface PciIds {
  vendorName(vendorId: string): string | null;
  deviceName(vendorId: string, deviceId: string): string | null;
  subsystemName(vendorId: string, deviceId: string, subsystemVendorId: string, subsystemDeviceId: string): string | null;
}

/** A named line and the block of lines under it. */
interface VendorSection {
  name: string;
  /** Byte offsets of the end of its line and of the start of the line after its block. */
  start: number;
  end: number;
}

const LF = 0x0a;

const HEX4_RE = /^[0-9a-f]{4}$/;
/** A line at column 0 that is not a comment or blank: a vendor's block ends there. */
const COLUMN_ZERO_RE = /\n[^\t#\r\n]/;
/** A line that is not a subsystem line (two tabs) or a comment: a device's block ends there. */
const NOT_SUBSYSTEM_RE = /\n(?:[^\t#]|\t[^\t])/;

/**
 * Parses pci.ids lazily. The file is about 1.5 MB and a scan names a handful of vendors, so nothing
 * is indexed or decoded up front (a pass over all of it cost 10–25 ms of every `vfmap scan` on a host,
 * most of it turning the bytes into a string): a vendor, device or subsystem is found when first asked
 * for by a native byte search (`Buffer.indexOf`), then remembered. Where its block of lines ends is
 * found by a regex over the block's bytes alone, read as latin1 (one character per byte).
 *
 * The format: vendor lines at column 0, device lines after one tab, subsystem lines after two,
 * `#` comments and blank lines anywhere. Another section starts with a line `<letter> ` at column 0:
 * pci.ids ends with the class section (`C 02  Network controller`, `\t00  Ethernet controller`,
 * `\t\t00  ...`), whose indented lines must not be taken for the last vendor's devices.
 */
export function parsePciIds(content: string | Buffer): PciIds {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const len = buf.length;

  /** The name that starts at `nameStart` and runs to the end of its line (or `to`), and where that line ends. */
  const lineFrom = (nameStart: number, to: number): { name: string; end: number } => {
    let eol = buf.indexOf(LF, nameStart);
    if (eol === -1 || eol > to) eol = to;
    return { name: buf.toString('utf8', nameStart, eol).trim(), end: eol };
  };

  /** The line that `prefix` ("\n" included) starts inside [from, to): its name and where it ends. */
  const findLine = (prefix: string, from: number, to: number): { name: string; end: number } | null => {
    const at = buf.indexOf(prefix, from, 'utf8');
    return at === -1 || at >= to ? null : lineFrom(at + prefix.length, to);
  };

  /** A vendor line: the id at column 0, then a space or a tab; the file's first line too. */
  const findVendorLine = (vendorId: string): { name: string; end: number } | null => {
    for (const separator of [' ', '\t']) {
      if (buf.toString('latin1', 0, 5) === `${vendorId}${separator}`) return lineFrom(5, len);
      const line = findLine(`\n${vendorId}${separator}`, 0, len);
      if (line) return line;
    }
    return null;
  };

  /**
   * Where the first line that `re` finds (a pattern that starts at the newline before it) starts,
   * in [from, limit); `limit` when none does. Read in growing windows: a small vendor's block is
   * a few hundred bytes, Intel's 370 KB.
   */
  const blockEnd = (re: RegExp, from: number, limit: number): number => {
    for (let size = 16384; from < limit; size *= 2) {
      const to = Math.min(limit, from + size);
      const m = re.exec(buf.toString('latin1', from, to));
      if (m) return from + m.index + 1;
      if (to === limit) break;
      // The last two bytes again: a newline there is judged with the bytes after it.
      from = to - 2;
    }
    return limit;
  };

  const vendorCache = new Map<string, VendorSection | null>();
  const findVendor = (vendorId: string): VendorSection | null => {
    let hit = vendorCache.get(vendorId);
    if (hit !== undefined) return hit;
    hit = null;
    if (HEX4_RE.test(vendorId)) {
      const line = findVendorLine(vendorId);
      if (line) hit = { name: line.name, start: line.end, end: blockEnd(COLUMN_ZERO_RE, line.end, len) };
    }
    vendorCache.set(vendorId, hit);
    return hit;
  };

  /** A device line and the end of its block (its subsystem lines). */
  const deviceCache = new Map<string, VendorSection | null>();
  const findDevice = (vendorId: string, deviceId: string) => {
    const key = `${vendorId}:${deviceId}`;
    let hit = deviceCache.get(key);
    if (hit !== undefined) return hit;
    hit = null;
    const vendor = findVendor(vendorId);
    if (vendor && HEX4_RE.test(deviceId)) {
      // "\n\t1521 " can only match a device line: subsystem lines start with two tabs.
      const line = findLine(`\n\t${deviceId} `, vendor.start, vendor.end);
      if (line) hit = { name: line.name, start: line.end, end: blockEnd(NOT_SUBSYSTEM_RE, line.end, vendor.end) };
    }
    deviceCache.set(key, hit);
    return hit;
  };

  return {
    vendorName: (vendorId) => findVendor(vendorId.toLowerCase())?.name ?? null,
    deviceName: (vendorId, deviceId) => findDevice(vendorId.toLowerCase(), deviceId.toLowerCase())?.name ?? null,
    subsystemName(vendorId, deviceId, subVendorId, subDeviceId) {
      const device = findDevice(vendorId.toLowerCase(), deviceId.toLowerCase());
      const sv = subVendorId.toLowerCase();
      const sd = subDeviceId.toLowerCase();
      if (!device || !HEX4_RE.test(sv) || !HEX4_RE.test(sd)) return null;
      return findLine(`\n\t\t${sv} ${sd} `, device.start, device.end)?.name ?? null;
    },
  };
}

/** Parsed files by path; reparsed when the file's mtime or size changes (a hwdata update). */
const cache = new Map<string, { mtimeMs: number; size: number; ids: PciIds }>();

/**
 * The PCI ID database of the host at `root`: the first of model's PCI_IDS_LOCATIONS that is a file.
 * null when neither exists or can be read (names are then null, which is no fault).
 */
export function loadPciIds(root = '/'): PciIds | null {
  for (const path of sysfsPaths(root).pciIds) {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.ids;
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch {
      continue;
    }
    const ids = parsePciIds(content);
    cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, ids });
    return ids;
  }
  return null;
}
