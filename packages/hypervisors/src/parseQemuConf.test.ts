import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQemuConf, parsePendingDelete } from './parseQemuConf';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../test/fixtures/pve', name), 'utf8');

describe('parseQemuConf', () => {
  const conf = parseQemuConf(fixture('100.conf'));

  it('reads the current configuration from the main section', () => {
    expect(conf.current.get('name')).toBe('web01');
    expect(conf.current.get('machine')).toBe('q35');
    expect(conf.current.get('hostpci0')).toBe('0000:3b:02.1,pcie=1');
    expect(conf.current.get('hostpci1')).toBe('mapping=nic-vfs,pcie=1');
  });
  it('keeps [PENDING] values and deletions apart from the current configuration', () => {
    expect(conf.pending.get('hostpci2')).toBe('0000:3b:02.3,pcie=1');
    expect(conf.current.has('hostpci2')).toBe(false);
    expect(conf.pendingDelete).toEqual([{ key: 'hostpci0', force: false }]);
  });
  it('ignores snapshot sections: a device named only in a snapshot is not held', () => {
    expect(conf.snapshots).toEqual(['before-upgrade']);
    expect(conf.current.has('hostpci3')).toBe(false);
    expect(conf.pending.has('hostpci3')).toBe(false);
    expect(conf.current.get('hostpci0')).toBe('0000:3b:02.1,pcie=1');
  });
  it('ignores [special:cloudinit] state', () => {
    expect(conf.current.has('ipconfig0')).toBe(false);
  });
  it('reads the leading comments as the decoded description', () => {
    expect(conf.description).toBe('Web frontend, VLAN 20\nowner: ops team');
    expect(conf.problems).toEqual([]);
  });
  it('reports lines it cannot read and keeps the rest', () => {
    const odd = parseQemuConf('name: a\nthis is not a key\ndelete: net0\n[weird section!]\nhostpci0: 01:00.0\n');
    expect(odd.current.get('name')).toBe('a');
    expect(odd.current.has('hostpci0')).toBe(false);
    expect(odd.problems).toHaveLength(3);
  });
  it('lets a later [PENDING] value stand beside an unchanged current one', () => {
    const c = parseQemuConf('hostpci0: 0000:01:00.1\n\n[PENDING]\nhostpci0: 0000:01:00.2\n');
    expect(c.current.get('hostpci0')).toBe('0000:01:00.1');
    expect(c.pending.get('hostpci0')).toBe('0000:01:00.2');
  });
});

describe('parsePendingDelete', () => {
  it('splits on commas, semicolons and spaces and reads the ! force mark', () => {
    expect(parsePendingDelete('hostpci1,!net0;scsi2 tags')).toEqual([
      { key: 'hostpci1', force: false },
      { key: 'net0', force: true },
      { key: 'scsi2', force: false },
      { key: 'tags', force: false },
    ]);
  });
});
