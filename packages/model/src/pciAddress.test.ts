import { describe, expect, it } from 'vitest';
import { comparePciAddresses, formatPciAddress, fromRoutingId, parsePciAddress, pciSlotOf, routingIdOf } from './pciAddress';
import { PciAddress } from './pciAddressSchema';

describe('PciAddress', () => {
  it('accepts four- and five-digit domains', () => {
    expect(PciAddress.safeParse('0000:01:00.0').success).toBe(true);
    expect(PciAddress.safeParse('10000:00:04.0').success).toBe(true);
  });
  it('refuses upper case, a device above 1f, a function above 7 and junk', () => {
    for (const bad of ['0000:01:00.0 ', '0000:0A:00.0', '0000:01:20.0', '0000:01:00.8', '01:00.0', '../../etc', '']) {
      expect(PciAddress.safeParse(bad).success, bad).toBe(false);
    }
  });
  it('cuts the slot at the dot, whatever the domain width', () => {
    expect(pciSlotOf('10000:00:04.0')).toBe('10000:00:04');
    expect(pciSlotOf('0000:05:10.4')).toBe('0000:05:10');
  });
  it('sorts numerically, so a five-digit domain comes after every four-digit one', () => {
    const sorted = ['10000:00:00.0', '0000:0a:00.0', '0000:09:00.1', '0000:09:00.0'].sort(comparePciAddresses);
    expect(sorted).toEqual(['0000:09:00.0', '0000:09:00.1', '0000:0a:00.0', '10000:00:00.0']);
  });
  it('round-trips through routing ids, so VF addresses can follow offset and stride across buses', () => {
    const pf = parsePciAddress('0000:05:00.0')!;
    // I350: offset 128, stride 4 -> the first VF at 05:10.0, the second at 05:10.4
    expect(formatPciAddress(fromRoutingId(0, routingIdOf(pf) + 128)!)).toBe('0000:05:10.0');
    expect(formatPciAddress(fromRoutingId(0, routingIdOf(pf) + 128 + 4)!)).toBe('0000:05:10.4');
    // 256 past bus 3a's function 0 spills onto bus 3b
    expect(formatPciAddress(fromRoutingId(0, routingIdOf(parsePciAddress('0000:3a:00.0')!) + 256)!)).toBe('0000:3b:00.0');
  });
  it('has no function at a routing id past bus ff, rather than wrapping onto bus 00', () => {
    expect(fromRoutingId(0, 0xffff)).toEqual({ domain: 0, bus: 0xff, device: 0x1f, function: 7 });
    expect(fromRoutingId(0, 0x10000)).toBeNull();
    expect(fromRoutingId(0, -1)).toBeNull();
  });
});
