import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeMapping, parsePciMapping } from './parsePciMapping';

const text = readFileSync(join(import.meta.dirname, '../test/fixtures/pve/pci.cfg'), 'utf8');

describe('parsePciMapping', () => {
  const file = parsePciMapping(text);

  it('reads every mapping with its per-node map lines', () => {
    expect([...file.mappings.keys()]).toEqual(['gpu-a4000', 'nic-vfs', 'vf-pool', 'nic-pair']);
    expect(file.mappings.get('nic-vfs')!.maps[0]).toEqual({
      node: 'pve1',
      path: ['0000:3b:02.4'],
      id: '8086:1889',
      subsystemId: '8086:0000',
      iommuGroup: 71,
      description: null,
    });
    expect(file.problems).toEqual([]);
  });
  it('keeps a path without function as the whole device', () => {
    expect(file.mappings.get('gpu-a4000')!.maps[0]!.path).toEqual(['0000:01:00']);
    expect(file.mappings.get('gpu-a4000')!.description).toBe('RTX A4000, both nodes');
  });
  it('reads a ;-list path and a quoted description with a comma', () => {
    const pair = file.mappings.get('nic-pair')!.maps[0]!;
    expect(pair.path).toEqual(['0000:3b:03.0', '0000:3b:03.1']);
    expect(pair.description).toBe('two VFs, one guest');
  });
  it('picks the entries of one node, several for a pool', () => {
    expect(nodeMapping(file, 'nic-vfs', 'pve2')!.map((m) => m.path)).toEqual([['0000:5e:02.0']]);
    expect(nodeMapping(file, 'vf-pool', 'pve1')).toHaveLength(3);
    expect(nodeMapping(file, 'vf-pool', 'pve2')).toEqual([]);
    expect(nodeMapping(file, 'no-such', 'pve1')).toBeNull();
  });
  it('reports a map line it cannot read and keeps the others', () => {
    const odd = parsePciMapping('m\n\tmap node=pve1,path=zz:00.0\n\tmap node=pve1,path=0000:01:00.0\n\tmap path=0000:01:00.1\n');
    expect(odd.mappings.get('m')!.maps).toHaveLength(1);
    expect(odd.problems).toHaveLength(2);
  });
});
