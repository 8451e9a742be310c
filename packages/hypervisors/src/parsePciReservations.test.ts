import { describe, expect, it } from 'vitest';
import { parsePciReservations } from './parsePciReservations';

describe('parsePciReservations', () => {
  it('reads pid and time reservations and skips what is not one', () => {
    const text = '0000:3b:02.6 100 pid:41237\n0000:3b:02.7 105 time:1712345999\ngarbage\n';
    expect(parsePciReservations(text)).toEqual([
      { address: '0000:3b:02.6', vmid: '100', pid: 41237 },
      { address: '0000:3b:02.7', vmid: '105', pid: null },
    ]);
  });
});
