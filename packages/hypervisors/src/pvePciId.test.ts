import { describe, expect, it } from 'vitest';
import { normalizePvePciId } from './pvePciId';

describe('normalizePvePciId', () => {
  it('gives a legacy id without a domain the domain 0000, as lspci does for qm', () => {
    expect(normalizePvePciId('01:00.1')).toBe('0000:01:00.1');
  });
  it('keeps an id without a function as a slot: the whole device', () => {
    expect(normalizePvePciId('0000:01:00')).toBe('0000:01:00');
    expect(normalizePvePciId('3b:00')).toBe('0000:3b:00');
  });
  it('keeps five-digit domains (Intel VMD) and lowers upper case', () => {
    expect(normalizePvePciId('10000:E1:00.0')).toBe('10000:e1:00.0');
  });
  it('refuses what is not a PCI id', () => {
    for (const bad of ['', '01', '0000:01:00.8', '0000:01:20.0', 'gpu', '0000:01:00.0;0000:01:00.1']) {
      expect(normalizePvePciId(bad), bad).toBeNull();
    }
  });
});
