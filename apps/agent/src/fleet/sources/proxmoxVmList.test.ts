import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseVmList, readVmList } from './proxmoxVmList';

const VMLIST = '{"version":4,"ids":{"101":{"node":"pve2","type":"lxc","version":2},"100":{"node":"pve1","type":"qemu","version":1}}}';

describe('parseVmList', () => {
  it('maps each VM id to the node that owns it and its kind', () => {
    expect([...parseVmList(VMLIST)]).toEqual([
      ['100', { node: 'pve1', type: 'qemu' }],
      ['101', { node: 'pve2', type: 'lxc' }],
    ]);
  });

  it('refuses ids that are not VM ids and entries without a node, naming the file', () => {
    expect(() => parseVmList('{"ids":{"abc":{"node":"pve1","type":"qemu"}}}', 'F')).toThrow(/^F .*not a VM id/);
    expect(() => parseVmList('{"ids":{"100":{"type":"qemu"}}}', 'F')).toThrow(/ids\.100\.node/);
    expect(() => parseVmList('[]', 'F')).toThrow(/^F is not what pmxcfs writes/);
  });
});

describe('readVmList', () => {
  const root = mkdtempSync(join(tmpdir(), 'vfmap-vmlist-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads ROOT/etc/pve/.vmlist', async () => {
    mkdirSync(join(root, 'etc/pve'), { recursive: true });
    writeFileSync(join(root, 'etc/pve/.vmlist'), VMLIST);
    expect((await readVmList(root)).get('101')).toEqual({ node: 'pve2', type: 'lxc' });
  });

  it('says which file is missing', async () => {
    await expect(readVmList(join(root, 'nowhere'))).rejects.toThrow(`cannot read ${join(root, 'nowhere/etc/pve/.vmlist')}: no such file`);
  });
});
