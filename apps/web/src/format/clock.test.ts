import { describe, expect, it } from 'vitest';
import { clockTime, localDateTime } from './clock';

describe('clock', () => {
  it('writes local time as 24-hour HH:MM:SS, zero-padded', () => {
    expect(clockTime(new Date(2026, 10, 28, 5, 7, 9))).toBe('05:07:09');
    expect(clockTime(new Date(2026, 10, 28, 23, 59, 0))).toBe('23:59:00');
  });

  it('puts the local date first, and takes what the API sends (ISO strings, epoch ms)', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    expect(localDateTime(at)).toBe('2026-01-02 03:04:05');
    expect(localDateTime(at.toISOString())).toBe('2026-01-02 03:04:05');
    expect(clockTime(at.getTime())).toBe('03:04:05');
  });
});
