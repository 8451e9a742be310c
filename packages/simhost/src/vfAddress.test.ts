import { describe, expect, it } from 'vitest';
import { lastVfBus, vfAddress } from './vfAddress';

describe('VF addresses from offset and stride', () => {
  it('places the QEMU NVMe VFs right after the PF (offset 1, stride 1), as the real kernel did', () => {
    expect([0, 1, 2, 3].map((n) => vfAddress('0000:01:00.0', 1, 1, n))).toEqual([
      '0000:01:00.1',
      '0000:01:00.2',
      '0000:01:00.3',
      '0000:01:00.4',
    ]);
  });

  it('interleaves the two ports of an 82599 (offset 128, stride 2)', () => {
    expect(vfAddress('0000:86:00.0', 128, 2, 0)).toBe('0000:86:10.0');
    expect(vfAddress('0000:86:00.1', 128, 2, 0)).toBe('0000:86:10.1');
    expect(vfAddress('0000:86:00.0', 128, 2, 1)).toBe('0000:86:10.2');
    expect(vfAddress('0000:86:00.1', 128, 2, 62)).toBe('0000:86:1f.5');
  });

  it('matches the igb VFs the real kernel made (04:10.0, 04:10.2 ... 04:11.4)', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => vfAddress('0000:04:00.0', 128, 2, n))).toEqual([
      '0000:04:10.0',
      '0000:04:10.2',
      '0000:04:10.4',
      '0000:04:10.6',
      '0000:04:11.0',
      '0000:04:11.2',
      '0000:04:11.4',
    ]);
  });

  it('spills onto the next bus when the routing ids run past function 255', () => {
    // E810 port 1: offset 135 from 18:00.1 → first VF at routing id 0x1888 = 18:11.0.
    expect(vfAddress('0000:18:00.1', 135, 1, 0)).toBe('0000:18:11.0');
    expect(vfAddress('0000:18:00.1', 135, 1, 119)).toBe('0000:18:1f.7');
    expect(vfAddress('0000:18:00.1', 135, 1, 120)).toBe('0000:19:00.0');
    expect(lastVfBus('0000:18:00.1', 135, 1, 128)).toBe(0x19);
    expect(lastVfBus('0000:18:00.0', 8, 1, 128)).toBe(0x18);
  });

  it('keeps wide domains', () => {
    expect(vfAddress('10000:01:00.0', 1, 1, 0)).toBe('10000:01:00.1');
  });

  it('refuses a VF past bus ff', () => {
    expect(() => vfAddress('0000:ff:00.0', 8, 1, 300)).toThrow(/past bus ff/);
  });
});
