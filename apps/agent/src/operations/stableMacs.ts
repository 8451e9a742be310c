import { createHash } from 'node:crypto';

/**
 * A VF's stable MAC: derived from the host's id, the PF's permanent (burnt-in) MAC and the VF's
 * index, so the VF gets the same MAC after every reboot and every count change — the guest's
 * network configuration, DHCP reservations and switch port security keep matching — while two
 * hosts, two PFs or two VFs practically never share one (46 bits of SHA-256: a fleet of 10 000
 * hosts × 8 PFs × 128 VFs has about one chance in 10 000 of a single collision). Pure.
 *
 * The first octet has the locally-administered bit (0x02) set and the multicast bit (0x01)
 * clear: a unicast MAC no vendor assigns (IEEE 802 "U/L" bit), which the kernel accepts for
 * `ip link set … vf N mac` (it refuses multicast with EINVAL) and which cannot be all zeros.
 */
export function stableVfMac(hostId: string, pfPermanentMac: string, vfIndex: number): string {
  if (!Number.isInteger(vfIndex) || vfIndex < 0) throw new RangeError(`a VF index is a non-negative integer, not ${vfIndex}`);
  // NUL separators: no host id, MAC or index can run into the next field and collide.
  const digest = createHash('sha256').update(`vfmap-stable-vf-mac\0${hostId}\0${pfPermanentMac.toLowerCase()}\0${vfIndex}`).digest();
  const bytes = [...digest.subarray(0, 6)];
  bytes[0] = (bytes[0]! & 0xfc) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The stable MAC of each VF index below `count`, by index. */
export function stableVfMacs(hostId: string, pfPermanentMac: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => stableVfMac(hostId, pfPermanentMac, index));
}
