import type { PciAddress, PciSlot } from './pciAddressSchema';

/*
 * Plain functions and patterns, without zod: the sysfs reader and `vfmap scan` use these and load no
 * schema library (see pciAddressSchema.ts for the schemas).
 */

/**
 * A PCI function address as sysfs names it: `dddd:bb:dd.f`, lower-case hex.
 * The domain has four hex digits, or more where the kernel makes them (Intel VMD puts
 * devices in domain `10000`), so nothing may assume a fixed width.
 */
export const PCI_ADDRESS_RE = /^([0-9a-f]{4,8}):([0-9a-f]{2}):([0-1][0-9a-f])\.([0-7])$/;
/** A slot: domain:bus:device, the part functions of one card share. */
export const PCI_SLOT_RE = /^([0-9a-f]{4,8}):([0-9a-f]{2}):([0-1][0-9a-f])$/;

export interface PciAddressParts {
  domain: number;
  bus: number;
  device: number;
  function: number;
}

export function parsePciAddress(address: string): PciAddressParts | null {
  const m = PCI_ADDRESS_RE.exec(address);
  if (!m) return null;
  return {
    domain: Number.parseInt(m[1]!, 16),
    bus: Number.parseInt(m[2]!, 16),
    device: Number.parseInt(m[3]!, 16),
    function: Number.parseInt(m[4]!, 16),
  };
}

export function isPciAddress(value: string): value is PciAddress {
  const parts = PCI_ADDRESS_RE.exec(value);
  return parts !== null && Number.parseInt(parts[3]!, 16) < 32;
}

export function formatPciAddress(p: PciAddressParts): PciAddress {
  const domain = p.domain.toString(16).padStart(4, '0');
  const hex2 = (n: number) => n.toString(16).padStart(2, '0');
  return `${domain}:${hex2(p.bus)}:${hex2(p.device)}.${p.function.toString(16)}`;
}

/** The slot (domain:bus:device) of an address, cut at the last colon's dot, never by width. */
export function pciSlotOf(address: PciAddress): PciSlot {
  return address.slice(0, address.lastIndexOf('.'));
}

/** Compares addresses numerically: `10000:` sorts after `0000:` and `0000:0a` after `0000:09`. */
export function comparePciAddresses(a: string, b: string): number {
  const pa = parsePciAddress(a);
  const pb = parsePciAddress(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  return pa.domain - pb.domain || pa.bus - pb.bus || pa.device - pb.device || pa.function - pb.function;
}

/** A PCI routing id (bus << 8 | devfn), as SR-IOV offset and stride count in. */
export function routingIdOf(p: PciAddressParts): number {
  return (p.bus << 8) | (p.device << 3) | p.function;
}

/**
 * The function at routing id `rid` of `domain`, or null when there is none: a routing id is 16
 * bits, so one past 0xffff (past bus ff) names no function — it is never wrapped onto bus 00.
 */
export function fromRoutingId(domain: number, rid: number): PciAddressParts | null {
  if (!Number.isInteger(rid) || rid < 0 || rid > 0xffff) return null;
  return { domain, bus: rid >> 8, device: (rid >> 3) & 0x1f, function: rid & 0x7 };
}
