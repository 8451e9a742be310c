/**
 * The MAC a VF driver makes up for a VF nobody gave one (eth_hw_addr_random): locally
 * administered, unicast. Derived from a seed and the VF index (FNV-1a) so that the same VF gets
 * the same address in every run of the demo and every test.
 */
export function vfMac(seed: string, index: number): string {
  let h = 0x811c9dc5;
  const text = `${seed}/${index}`;
  const bytes: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    bytes.push(h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff);
  }
  bytes[0] = (bytes[0]! & 0xfc) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
