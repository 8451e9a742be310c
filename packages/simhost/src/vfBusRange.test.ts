import { describe, expect, it } from 'vitest';
import { lastVfBus } from './vfBusRange';

describe('the bus numbers reserved for VFs', () => {
  it('reaches the next bus when the VFs spill onto it (E810 port 1, offset 135)', () => {
    expect(lastVfBus('0000:18:00.1', 135, 1, 128)).toBe(0x19);
    expect(lastVfBus('0000:18:00.0', 8, 1, 128)).toBe(0x18);
  });

  it('stays on the PF bus for a PF without VFs', () => {
    expect(lastVfBus('0000:3b:00.0', 8, 1, 0)).toBe(0x3b);
  });

  it('stops at bus ff, where bus numbers end, however many VFs the PF offers', () => {
    expect(lastVfBus('0000:ff:00.0', 8, 1, 248)).toBe(0xff);
    expect(lastVfBus('0000:ff:00.0', 8, 1, 256)).toBe(0xff);
    expect(lastVfBus('0000:fe:00.0', 8, 1, 256)).toBe(0xff);
  });
});
