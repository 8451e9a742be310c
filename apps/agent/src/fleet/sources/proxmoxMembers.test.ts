import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMembers, readMembers } from './proxmoxMembers';
import { SourceReadError } from './sourceErrors';

const CLUSTERED = JSON.stringify({
  nodename: 'pve1',
  version: 12,
  cluster: { name: 'lab', version: 3, nodes: 3, quorate: 1 },
  nodelist: {
    pve3: { id: 3, online: 1 },
    pve1: { id: 1, online: 1, ip: '192.168.1.11' },
    pve2: { id: 2, online: 0, ip: '192.168.1.12' },
  },
});

describe('parseMembers', () => {
  it('reads a clustered node: the cluster, and every node sorted by name with its ip when known', () => {
    expect(parseMembers(CLUSTERED)).toEqual({
      nodename: 'pve1',
      cluster: { name: 'lab', quorate: true },
      nodes: [
        { name: 'pve1', id: 1, online: true, ip: '192.168.1.11' },
        { name: 'pve2', id: 2, online: false, ip: '192.168.1.12' },
        { name: 'pve3', id: 3, online: true, ip: null },
      ],
    });
  });

  it('reads a standalone node as no cluster and no nodes', () => {
    expect(parseMembers('{"nodename":"pve1","version":5}')).toEqual({ nodename: 'pve1', cluster: null, nodes: [] });
  });

  it('ignores keys it does not know and takes IPv6 addresses', () => {
    const text = JSON.stringify({ nodename: 'a', extra: [1], cluster: { name: 'c', quorate: 0, more: 'x' }, nodelist: { b: { id: 2, online: 1, ip: 'fd00::2', future: true } } });
    expect(parseMembers(text)).toEqual({ nodename: 'a', cluster: { name: 'c', quorate: false }, nodes: [{ name: 'b', id: 2, online: true, ip: 'fd00::2' }] });
  });

  it('refuses wrong types, naming the file and the place', () => {
    const wrong = CLUSTERED.replace('"online":0', '"online":"no"');
    expect(() => parseMembers(wrong, '/r/etc/pve/.members')).toThrow(SourceReadError);
    expect(() => parseMembers(wrong, '/r/etc/pve/.members')).toThrow(/^\/r\/etc\/pve\/\.members .*nodelist\.pve2\.online/);
    expect(() => parseMembers('{"version":5}')).toThrow(/nodename/);
    expect(() => parseMembers(CLUSTERED.replace('192.168.1.12', 'pve2.lab'))).toThrow(/not an IP address/);
  });

  it('refuses node names that could leave /etc/pve/nodes', () => {
    expect(() => parseMembers(JSON.stringify({ nodename: 'pve1', nodelist: { '../../etc': { id: 2, online: 1 } } }))).toThrow(/not a node name/);
  });

  it('refuses what is not JSON, naming the file', () => {
    expect(() => parseMembers('{"nodename": "pve1",', 'F')).toThrow(/^F is not JSON/);
  });
});

describe('readMembers', () => {
  const root = mkdtempSync(join(tmpdir(), 'vfmap-members-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'etc/pve'), { recursive: true });

  it('reads ROOT/etc/pve/.members', async () => {
    writeFileSync(join(root, 'etc/pve/.members'), CLUSTERED);
    expect((await readMembers(root)).nodes.map((n) => n.name)).toEqual(['pve1', 'pve2', 'pve3']);
  });

  it('refuses a file larger than pmxcfs allows', async () => {
    writeFileSync(join(root, 'etc/pve/.members'), CLUSTERED.replace('"version":12', `"version":12,"pad":"${'x'.repeat(1024 * 1024)}"`));
    await expect(readMembers(root)).rejects.toThrow(/larger than 1 MiB/);
  });
});
