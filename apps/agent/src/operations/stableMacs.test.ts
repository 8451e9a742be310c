import { describe, expect, it } from 'vitest';
import { UnicastMac } from '@vfmap/model';
import { stableVfMac, stableVfMacs } from './stableMacs';

const PERM = '3c:ec:ef:12:34:56';

describe('stableVfMac: a VF\'s MAC from the host id, the PF\'s permanent MAC and the VF index', () => {
  it('gives the same MAC every time for the same host, PF and index (every reboot, every count change)', () => {
    expect(stableVfMac('pve1', PERM, 3)).toBe(stableVfMac('pve1', PERM, 3));
    expect(stableVfMacs('pve1', PERM, 8).slice(0, 4)).toEqual(stableVfMacs('pve1', PERM, 4));
  });

  it('is a locally administered unicast MAC a VF may be given', () => {
    for (let index = 0; index < 256; index++) {
      const mac = stableVfMac('pve1', PERM, index);
      const first = parseInt(mac.slice(0, 2), 16);
      expect(first & 0x02, mac).toBe(0x02);
      expect(first & 0x01, mac).toBe(0);
      expect(UnicastMac.safeParse(mac).success, mac).toBe(true);
    }
  });

  it('differs between VF indexes, PFs and hosts', () => {
    const macs = new Set<string>();
    for (const host of ['pve1', 'pve2', 'node-17']) {
      for (const perm of [PERM, '3c:ec:ef:12:34:57', 'b4:96:91:aa:00:01']) {
        for (let index = 0; index < 128; index++) macs.add(stableVfMac(host, perm, index));
      }
    }
    expect(macs.size).toBe(3 * 3 * 128);
  });

  it('does not depend on how the permanent MAC is capitalized', () => {
    expect(stableVfMac('pve1', '3C:EC:EF:12:34:56', 0)).toBe(stableVfMac('pve1', PERM, 0));
  });

  it('keeps the fields apart: "a"+"b:c" and "a:b"+"c" give different MACs', () => {
    expect(stableVfMac('a', 'b', 1)).not.toBe(stableVfMac('a\0b', '', 1));
  });

  it('refuses an index that is not a VF index', () => {
    expect(() => stableVfMac('pve1', PERM, -1)).toThrow(RangeError);
    expect(() => stableVfMac('pve1', PERM, 1.5)).toThrow(RangeError);
  });

  it('pins the derivation: a change of it would give every VF of the fleet a new MAC', () => {
    expect(stableVfMac('pve1', PERM, 0)).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(stableVfMacs('pve1', PERM, 2)).toMatchInlineSnapshot(`
      [
        "f6:d0:64:13:2a:05",
        "aa:ea:98:e2:c4:ad",
      ]
    `);
  });
});
