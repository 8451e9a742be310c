/**
 * Pure parsers for the text of sysfs attributes. Each takes the file's content (trailing newline
 * already cut) and returns the value, or null when the text does not hold one.
 */

const HEX_RE = /^(?:0x)?([0-9a-fA-F]+)$/;

/**
 * A hex id as the model keeps it: lower case, no `0x`, left-padded to `width` digits.
 * `vendor` reads `0x8086`; `sriov_vf_device` reads `10` or `10ca` (no `0x`): both are hex.
 */
export function parseHexId(text: string, width: number): string | null {
  const m = HEX_RE.exec(text.trim());
  if (!m || m[1]!.length > width) return null;
  return m[1]!.toLowerCase().padStart(width, '0');
}

/** A decimal integer (`sriov_totalvfs`, `sriov_offset`...); null for anything else, including the empty string. */
export function parseInteger(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return null;
  const n = Number.parseInt(t, 10);
  return Number.isSafeInteger(n) ? n : null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false };

/** `numa_node`: the kernel prints -1 when the device has no node (no NUMA, or firmware did not say). */
export function parseNumaNode(text: string): Parsed<number | null> {
  const n = parseInteger(text);
  if (n === null || n < -1) return { ok: false };
  return { ok: true, value: n === -1 ? null : n };
}

/** `driver_override`: the kernel prints `(null)` when none is set; an empty file (a snapshot placeholder) is none too. */
export function parseDriverOverride(text: string): string | null {
  const t = text.trim();
  return t === '' || t === '(null)' ? null : t;
}

/** `sriov_drivers_autoprobe`: `1` or `0`. */
export function parseFlag(text: string): boolean | null {
  const t = text.trim();
  return t === '1' ? true : t === '0' ? false : null;
}

/**
 * `net/<if>/speed` in Mb/s. The kernel prints -1 (SPEED_UNKNOWN) when the driver does not know, and
 * a link that is down fails the read with EINVAL (snapshots hold an empty file): all unknown.
 */
export function parseSpeed(text: string): number | null {
  const n = parseInteger(text);
  return n === null || n < 0 || n >= 0xffffffff ? null : n;
}

/** The last component of a link's text: `../../../../bus/pci/drivers/nvme` → `nvme`. A trailing `/` is ignored. */
export function linkBasename(target: string): string {
  const t = target.replace(/\/+$/, '');
  return t.slice(t.lastIndexOf('/') + 1);
}

/** `iommu_group` → `../../../kernel/iommu_groups/8` → 8. */
export function parseGroupId(text: string): number | null {
  return /^\d+$/.test(text) ? Number.parseInt(text, 10) : null;
}
