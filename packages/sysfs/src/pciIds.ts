import { readFileSync, statSync } from 'node:fs';
import { sysfsPaths } from './sysfsPaths';

/** Vendor, device and subsystem names from the PCI ID database (pci.ids). Ids are lower-case hex without 0x. */
export interface PciIds {
  vendorName(vendorId: string): string | null;
  deviceName(vendorId: string, deviceId: string): string | null;
  subsystemName(vendorId: string, deviceId: string, subsystemVendorId: string, subsystemDeviceId: string): string | null;
}

interface VendorSection {
  name: string;
  /** Byte offsets of the lines after the vendor line, up to the next vendor or section. */
  start: number;
  end: number;
}

const TAB = 0x09;
const LF = 0x0a;
const HASH = 0x23;

const HEX4_RE = /^[0-9a-f]{4}$/;

/**
 * Parses pci.ids. The file is about 1.5 MB and is read whenever the agent starts, so it is kept as
 * bytes (decoding all of it as UTF-8 costs more than reading it): one pass indexes the vendor lines,
 * and a device or subsystem name is found when first asked for by a byte search inside its
 * vendor's lines, then remembered.
 *
 * The format: vendor lines at column 0, device lines after one tab, subsystem lines after two,
 * `#` comments and blank lines anywhere. Another section starts with a line `<letter> ` at column 0:
 * pci.ids ends with the class section (`C 02  Network controller`, `\t00  Ethernet controller`,
 * `\t\t00  ...`), whose indented lines must not be taken for the last vendor's devices.
 */
export function parsePciIds(content: string | Buffer): PciIds {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const len = buf.length;
  const vendors = new Map<string, VendorSection>();
  // Lines at column 0 other than comments: a vendor line, or the start of another section. One
  // native regex pass over a latin1 view (one char per byte, so indexes are byte offsets) is
  // several times faster on a cold start than a JavaScript loop over 1.5 MB, and this runs once
  // per agent start.
  const text = buf.toString('latin1');
  const columnZero = /^(?:([0-9a-f]{4})[ \t]+([^\r\n]*)|[^\t#\r\n])/gm;
  let current: VendorSection | null = null;
  for (let m = columnZero.exec(text); m !== null; m = columnZero.exec(text)) {
    // Any line at column 0 ends the previous vendor's block: a new vendor, or another section.
    if (current) current.end = m.index;
    current = null;
    if (m[1] !== undefined) {
      const nameStart = m.index + m[0].length - m[2]!.length;
      current = { name: buf.toString('utf8', nameStart, m.index + m[0].length).trim(), start: m.index, end: len };
      vendors.set(m[1], current);
    }
  }

  /** The name on the line that starts with `prefix` inside [from, to), and where that line ends. */
  const findLine = (prefix: string, from: number, to: number): { name: string; end: number } | null => {
    const at = buf.indexOf(prefix, from, 'utf8');
    if (at === -1 || at >= to) return null;
    let eol = buf.indexOf(LF, at + 1);
    if (eol === -1 || eol > to) eol = to;
    return { name: buf.toString('utf8', at + prefix.length, eol).trim(), end: eol };
  };

  /** A device line and the end of its block (its subsystem lines). */
  const deviceCache = new Map<string, { name: string; start: number; end: number } | null>();
  const findDevice = (vendorId: string, deviceId: string) => {
    const key = `${vendorId}:${deviceId}`;
    let hit = deviceCache.get(key);
    if (hit !== undefined) return hit;
    hit = null;
    const vendor = vendors.get(vendorId);
    if (vendor && HEX4_RE.test(deviceId)) {
      // "\n\t1521 " can only match a device line: subsystem lines start with two tabs.
      const line = findLine(`\n\t${deviceId} `, vendor.start, vendor.end);
      if (line) {
        let end = line.end;
        // Its block runs while the lines are subsystem lines or comments.
        while (end < vendor.end && (buf[end + 1] === HASH || (buf[end + 1] === TAB && buf[end + 2] === TAB))) {
          const next = buf.indexOf(LF, end + 1);
          end = next === -1 || next > vendor.end ? vendor.end : next;
        }
        hit = { name: line.name, start: line.end, end };
      }
    }
    deviceCache.set(key, hit);
    return hit;
  };

  return {
    vendorName: (vendorId) => vendors.get(vendorId.toLowerCase())?.name ?? null,
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
