import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topology, VfSettingsWarningCode, type Warning } from '@vfmap/model';
import { extractFixture, fixture, FIXTURES, removeFixture } from '../test/extractFixture';
import type { IpLinkShow } from './ipLinkShow';
import { readTopology } from './readTopology';
import { readVfSettings, sameTargets, vfSettingsDigest, vfSettingsTargets, withVfSettings, type VfSettingsRead } from './vfSettings';

/**
 * The igb capture with VFs configured, read by the real reader, with what `ip -j -d link show`
 * printed on that same guest (fixtures/realkernel-igb/ip-link/vfs-configured/) as the answers.
 */
let root: string;
let topology: Topology;
beforeAll(() => {
  root = extractFixture(fixture('realkernel-igb', 'igb-vfs-configured'));
  topology = readTopology({ root, pciIds: null });
});
afterAll(() => removeFixture(root));

const capturedIp = (state = 'vfs-configured'): IpLinkShow & { asked: string[] } => {
  const asked: string[] = [];
  const show = async (ifname: string) => {
    asked.push(ifname);
    return { stdout: readFileSync(join(FIXTURES, 'realkernel-igb', 'ip-link', state, `${ifname}.json`), 'utf8'), stderr: '' };
  };
  return Object.assign(show, { asked });
};
const settled = async (show: IpLinkShow, t = topology) => withVfSettings(t, await readVfSettings(vfSettingsTargets(t), show));
const pf = (t: Topology, address: string) => t.pfs.find((p) => p.address === address)!;

describe('VF settings of a scanned topology', () => {
  it('asks once per PF with a netdev and VFs: the igb PFs, not the NVMe PFs (no netdev) nor e1000e (no VFs)', async () => {
    const show = capturedIp();
    await settled(show);
    expect(show.asked).toEqual(['eth1', 'eth2']);
    expect(vfSettingsTargets(topology)).toEqual([
      { pf: '0000:04:00.0', ifname: 'eth1' },
      { pf: '0000:05:00.0', ifname: 'eth2' },
    ]);
  });

  it('asks nothing for NVMe PFs with VFs (no netdev): their VFs keep config null', async () => {
    const nvmeRoot = extractFixture(fixture('realkernel', 'vfs-enabled'));
    try {
      const nvme = readTopology({ root: nvmeRoot, pciIds: null });
      expect(nvme.pfs.some((p) => p.vfs.length > 0)).toBe(true);
      const show = capturedIp();
      const t = await settled(show, nvme);
      expect(show.asked).toEqual([]);
      expect(t.pfs.flatMap((p) => p.vfs).every((v) => v.config === null)).toBe(true);
    } finally {
      removeFixture(nvmeRoot);
    }
  });

  it('asks nothing for a PF without VFs (enabling them changes sysfs, which the change check sees)', async () => {
    const noVfs = { ...topology, pfs: topology.pfs.map((p) => (p.address === '0000:05:00.0' ? { ...p, numVfs: 0, vfs: [] } : p)) };
    expect(vfSettingsTargets(noVfs).map((t) => t.ifname)).toEqual(['eth1']);
  });

  it('fills each VF\'s config from its PF\'s list, by VF index, whatever its driver (vfio-pci, none)', async () => {
    const t = await settled(capturedIp());
    expect(() => Topology.parse(t)).not.toThrow();
    expect(t.warnings).toEqual([]);
    expect(pf(t, '0000:04:00.0').vfs.map((v) => [v.index, v.config?.mac, v.config?.vlan, v.config?.trust, v.config?.spoofChk, v.config?.maxTxRateMbps])).toEqual([
      [0, '02:00:00:00:01:00', 0, false, true, 0],
      [1, null, 100, true, false, 0],
      [2, null, 0, false, true, 100],
      [3, null, 0, false, true, 0],
    ]);
    expect(pf(t, '0000:05:00.0').vfs.map((v) => [v.address, v.driver, v.config?.mac, v.config?.vlan, v.config?.qos])).toEqual([
      ['0000:05:10.0', 'vfio-pci', '02:00:00:00:02:00', 0, 0],
      ['0000:05:10.2', null, null, 200, 2],
    ]);
  });

  it('a PF whose read failed keeps config null for its VFs, says why, and the other PF stands', async () => {
    const show: IpLinkShow = async (ifname) => {
      if (ifname === 'eth2') throw new Error('ip -j -d link show dev eth2 failed (exit status 1): Device "eth2" does not exist.');
      return capturedIp()(ifname);
    };
    const t = await settled(show);
    expect(pf(t, '0000:05:00.0').vfs.map((v) => v.config)).toEqual([null, null]);
    expect(pf(t, '0000:04:00.0').vfs.every((v) => v.config !== null)).toBe(true);
    expect(t.warnings).toEqual([
      { code: 'vf-settings-unreadable', message: 'the VF settings of PF 0000:05:00.0 (eth2) could not be read: ip -j -d link show dev eth2 failed (exit status 1): Device "eth2" does not exist.' },
    ]);
  });

  it('the digest changes with a VF\'s settings, and not with the link\'s operstate', () => {
    const read = (stdout: string): VfSettingsRead[] => [{ pf: '0000:04:00.0', ifname: 'eth1', output: { stdout, stderr: '' } }];
    const text = readFileSync(join(FIXTURES, 'realkernel-igb', 'ip-link', 'vfs-enabled', 'eth1.json'), 'utf8');
    const base = vfSettingsDigest(read(text));
    expect(vfSettingsDigest(read(text.replace('"operstate":"UP"', '"operstate":"DOWN"')))).toBe(base);
    expect(vfSettingsDigest(read(text.replace('"trust":false}]', '"trust":true}]')))).not.toBe(base);
    expect(vfSettingsDigest([{ pf: '0000:04:00.0', ifname: 'eth1', error: 'timeout' }])).not.toBe(base);
  });

  it('sameTargets compares PFs and interface names in order', () => {
    const a = vfSettingsTargets(topology);
    expect(sameTargets(a, [...a])).toBe(true);
    expect(sameTargets(a, a.slice(1))).toBe(false);
    expect(sameTargets(a, [a[0]!, { ...a[1]!, ifname: 'eth9' }])).toBe(false);
  });

  it('no reads: the topology as it was', () => {
    expect(withVfSettings(topology, [])).toBe(topology);
  });
});

/** Every code of the model's VfSettingsWarningCode, made to happen (the Record fails the typecheck for a new code). */
const happenings: Record<VfSettingsWarningCode, () => Promise<Warning[]>> = {
  'vf-settings-unreadable': async () => (await settled(async () => ({ stdout: 'not json', stderr: '' }))).warnings,
  'vf-list-truncated': async () => {
    const show = capturedIp();
    const cut: IpLinkShow = async (ifname) => {
      const out = await show(ifname);
      const [link] = JSON.parse(out.stdout) as [{ vfinfo_list: unknown[] }];
      link.vfinfo_list = link.vfinfo_list.slice(0, 1);
      return { stdout: JSON.stringify([link]), stderr: `Truncated VF list: ${ifname}\n` };
    };
    const t = await settled(cut);
    expect(pf(t, '0000:04:00.0').vfs.map((v) => v.config === null)).toEqual([false, true, true, true]);
    return t.warnings;
  },
};

describe('every VF settings warning code is one the reader emits', () => {
  it.each(VfSettingsWarningCode.options)('emits "%s"', async (code) => {
    expect((await happenings[code]()).map((w) => w.code)).toContain(code);
  });
});
