import { describe, expect, it } from 'vitest';
import { vfAddressOf, vfBusOf, vfsWithinBusRange } from './vfAddress';

describe('VF addresses from offset and stride', () => {
  it('places the QEMU NVMe VFs right after the PF (offset 1, stride 1), as the real kernel did', () => {
    expect([0, 1, 2, 3].map((n) => vfAddressOf('0000:01:00.0', 1, 1, n))).toEqual(['0000:01:00.1', '0000:01:00.2', '0000:01:00.3', '0000:01:00.4']);
  });

  it('matches the igb VFs the real kernel made (04:10.0, 04:10.2 ... 04:11.4)', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => vfAddressOf('0000:04:00.0', 128, 2, n))).toEqual([
      '0000:04:10.0',
      '0000:04:10.2',
      '0000:04:10.4',
      '0000:04:10.6',
      '0000:04:11.0',
      '0000:04:11.2',
      '0000:04:11.4',
    ]);
  });

  it('interleaves the two ports of an 82599 (offset 128, stride 2)', () => {
    expect(vfAddressOf('0000:86:00.0', 128, 2, 0)).toBe('0000:86:10.0');
    expect(vfAddressOf('0000:86:00.1', 128, 2, 0)).toBe('0000:86:10.1');
    expect(vfAddressOf('0000:86:00.0', 128, 2, 1)).toBe('0000:86:10.2');
    expect(vfAddressOf('0000:86:00.1', 128, 2, 62)).toBe('0000:86:1f.5');
  });

  it('spills onto the next bus when the routing ids run past function 255', () => {
    // E810 port 1: offset 135 from 18:00.1 → first VF at routing id 0x1888 = 18:11.0.
    expect(vfAddressOf('0000:18:00.1', 135, 1, 0)).toBe('0000:18:11.0');
    expect(vfAddressOf('0000:18:00.1', 135, 1, 119)).toBe('0000:18:1f.7');
    expect(vfAddressOf('0000:18:00.1', 135, 1, 120)).toBe('0000:19:00.0');
    expect(vfBusOf('0000:18:00.1', 135, 1, 127)).toBe(0x19);
  });

  it('keeps wide domains', () => {
    expect(vfAddressOf('10000:01:00.0', 1, 1, 0)).toBe('10000:01:00.1');
  });

  it('gives the last VF that fits on bus ff its address, and none to the first past it', () => {
    // E810-C-Q1 on bus ff: offset 8, stride 1 → VF 247 at routing id 0xffff, VF 248 at 0x10000.
    expect(vfAddressOf('0000:ff:00.0', 8, 1, 247)).toBe('0000:ff:1f.7');
    expect(vfAddressOf('0000:ff:00.0', 8, 1, 248)).toBeNull();
    // never wrapped onto bus 00 of the same domain
    expect(vfAddressOf('0000:ff:00.0', 8, 1, 300)).toBeNull();
    // the kernel's bus number is not cut to 8 bits: sriov_enable compares 0x100 with the bus range
    expect(vfBusOf('0000:ff:00.0', 8, 1, 247)).toBe(0xff);
    expect(vfBusOf('0000:ff:00.0', 8, 1, 248)).toBe(0x100);
  });

  it('counts the VFs that have an address: all of them, or those below bus ff', () => {
    expect(vfsWithinBusRange('0000:ff:00.0', 8, 1, 256)).toBe(248);
    expect(vfsWithinBusRange('0000:ff:00.0', 8, 1, 248)).toBe(248);
    expect(vfsWithinBusRange('0000:fe:00.0', 8, 1, 256)).toBe(256);
    // stride 2 from ff:00.0 + 128: VF 63 at 0xfffe fits, VF 64 at 0x10000 does not
    expect(vfsWithinBusRange('0000:ff:00.0', 128, 2, 100)).toBe(64);
    expect(vfAddressOf('0000:ff:00.0', 128, 2, 63)).toBe('0000:ff:1f.6');
    expect(vfAddressOf('0000:ff:00.0', 128, 2, 64)).toBeNull();
    expect(vfsWithinBusRange('0000:ff:1f.7', 8, 1, 4)).toBe(0);
    expect(vfsWithinBusRange('0000:01:00.0', 1, 1, 0)).toBe(0);
  });

  it('refuses a PF address that is not one', () => {
    expect(() => vfAddressOf('01:00.0', 1, 1, 0)).toThrow(/not a PCI address/);
  });
});
