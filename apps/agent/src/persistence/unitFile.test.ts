import { describe, expect, it } from 'vitest';
import { globMatches } from './glob';
import { lastValue, parseUnitFile } from './unitFile';

describe('parseUnitFile', () => {
  it('keeps each key\'s line, skips comments, joins backslash-continued lines', () => {
    const u = parseUnitFile('# c\n[Match]\n; c\nOriginalName=eth0 \\\n  eth1\n\n[Link]\nName = nic0\nstray line\n', '/x.link');
    expect(u.sections).toEqual([
      { name: 'Match', line: 2, entries: [{ key: 'OriginalName', value: 'eth0    eth1', line: 4 }] },
      { name: 'Link', line: 7, entries: [{ key: 'Name', value: 'nic0', line: 8 }] },
    ]);
  });
  it('ignores keys before any section', () => {
    expect(parseUnitFile('Name=x\n[Link]\n', '/x').sections).toEqual([{ name: 'Link', line: 2, entries: [] }]);
  });
  it('gives the last assignment across a file and its drop-ins, an empty one resetting it', () => {
    const main = parseUnitFile('[Link]\nMACAddressPolicy=persistent\nNamePolicy=kernel\n', '/a');
    const dropIn = parseUnitFile('[Link]\nMACAddressPolicy=none\nNamePolicy=\n', '/a.d/b.conf');
    expect(lastValue([main, dropIn], 'Link', 'MACAddressPolicy')).toBe('none');
    expect(lastValue([main, dropIn], 'Link', 'NamePolicy')).toBeNull();
  });
});

describe('globMatches (fnmatch without flags)', () => {
  it('takes *, ?, classes and negated classes, and quotes with a backslash', () => {
    expect(globMatches('en*', 'enp1s0')).toBe(true);
    expect(globMatches('eth?', 'eth10')).toBe(false);
    expect(globMatches('eth[0-3]', 'eth2')).toBe(true);
    expect(globMatches('eth[!0-3]', 'eth2')).toBe(false);
    expect(globMatches('pci-*', 'pci-0000:01:00.0')).toBe(true);
    expect(globMatches('a\\*', 'a*')).toBe(true);
    expect(globMatches('a\\*', 'ab')).toBe(false);
    expect(globMatches('x.y', 'xzy')).toBe(false);
  });
});
