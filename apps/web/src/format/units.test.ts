import { describe, expect, it } from 'vitest';
import { formatLink, formatSpeed, plural, shortSpeed } from './units';

describe('formatSpeed', () => {
  it('says Gb/s above a gigabit and keeps a decimal only where it means something', () => {
    expect(formatSpeed(100000)).toBe('100 Gb/s');
    expect(formatSpeed(2500)).toBe('2.5 Gb/s');
    expect(formatSpeed(100)).toBe('100 Mb/s');
  });
  it('has nothing to say for an unknown speed', () => {
    expect(formatSpeed(null)).toBeNull();
    expect(formatSpeed(-1)).toBeNull();
  });
});

describe('formatLink', () => {
  it('shows the speed only when the link is up', () => {
    expect(formatLink({ name: 'ens1f0', mac: null, operState: 'up', speedMbps: 25000 })).toBe('ens1f0 up 25 Gb/s');
    expect(formatLink({ name: 'ens1f1', mac: null, operState: 'down', speedMbps: 25000 })).toBe('ens1f1 down');
  });
});

describe('plural', () => {
  it('counts', () => {
    expect(plural(1, 'VF')).toBe('1 VF');
    expect(plural(3, 'VF')).toBe('3 VFs');
  });
});

describe('shortSpeed', () => {
  it('writes a link speed in a few characters, nothing for an unknown or down link', () => {
    expect(shortSpeed(100000)).toBe('100G');
    expect(shortSpeed(25000)).toBe('25G');
    expect(shortSpeed(2500)).toBe('2.5G');
    expect(shortSpeed(100)).toBe('100M');
    expect(shortSpeed(0)).toBeNull();
    expect(shortSpeed(null)).toBeNull();
  });
});
