import { describe, expect, it } from 'vitest';
import { parseKernelU16 } from './parseKernelU16';

describe('parseKernelU16 (kstrtou16 with base 0)', () => {
  it.each([
    ['2', 2],
    ['2\n', 2],
    ['+2', 2],
    ['0x2', 2],
    ['0X1f', 31],
    ['010', 8],
    ['0', 0],
    ['00', 0],
    ['65535', 65535],
    ['0xffff', 65535],
    ['2\0garbage', 2],
  ])('accepts %j as %i', (text, value) => {
    expect(parseKernelU16(text)).toEqual({ ok: true, value });
  });

  it.each([' 2', '2 ', '2.0', 'garbage', '-1', '65536', '99999999999', '', '\n', '2\n\n', '08', '0x', '0xg', '++2', '+', '184467440737095516160'])(
    'refuses %j',
    (text) => {
      expect(parseKernelU16(text).ok).toBe(false);
    },
  );
});
