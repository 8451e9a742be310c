import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VfConfig } from '@vfmap/model';
import { FIXTURES } from '../test/extractFixture';
import { parseVfInfo, VfInfoError } from './vfInfo';

/** `ip -j -d link show ethN` of the real igb PFs (iproute2 6.1, Linux 6.1), as captured. */
const captured = (state: 'baseline' | 'vfs-enabled' | 'vfs-configured', ifname: 'eth1' | 'eth2') => ({
  stdout: readFileSync(join(FIXTURES, 'realkernel-igb', 'ip-link', state, `${ifname}.json`), 'utf8'),
  stderr: '',
});

/** What igb reports for a VF nobody configured (spoofchk on, trust off, link auto, no query_rss_en). */
const IGB_DEFAULT: VfConfig = {
  mac: null, vlan: 0, qos: 0, vlanProtocol: '802.1Q', spoofChk: true, trust: false, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null,
};

/** One PF link as `ip -j` prints it, with these vfinfo_list entries. */
const link = (vfinfo: unknown[] | undefined, extra: Record<string, unknown> = {}) => ({
  stdout: JSON.stringify([{ ifindex: 3, ifname: 'eth1', link_type: 'ether', ...(vfinfo ? { vfinfo_list: vfinfo } : {}), ...extra }]),
  stderr: '',
});
const entry = (vf: number, over: Record<string, unknown> = {}) => ({
  vf, link_type: 'ether', address: '00:00:00:00:00:00', broadcast: 'ff:ff:ff:ff:ff:ff', vlan_list: [{}], rate: { max_tx: 0, min_tx: 0 },
  spoofchk: true, link_state: 'auto', trust: false, ...over,
});

describe('parseVfInfo on the real igb captures', () => {
  it('baseline: the list is there and empty (igb reports VF settings; no VFs yet)', () => {
    const info = parseVfInfo(captured('baseline', 'eth1'), 'eth1', 0);
    expect(info).toEqual({ reported: true, configs: new Map(), truncated: false, entries: 0, problems: [] });
  });

  it('vfs-enabled: four VFs with igb\'s defaults; 00:00:00:00:00:00 is no MAC; query_rss_en left out is null', () => {
    const info = parseVfInfo(captured('vfs-enabled', 'eth1'), 'eth1', 4);
    expect(info.problems).toEqual([]);
    expect(info.truncated).toBe(false);
    expect([...info.configs]).toEqual([0, 1, 2, 3].map((vf) => [vf, IGB_DEFAULT]));
    expect(parseVfInfo(captured('vfs-enabled', 'eth2'), 'eth2', 2).configs.size).toBe(2);
  });

  it('vfs-configured: exactly what was set with ip link set, and the defaults elsewhere', () => {
    const eth1 = parseVfInfo(captured('vfs-configured', 'eth1'), 'eth1', 4);
    expect(eth1.problems).toEqual([]);
    expect(eth1.configs.get(0)).toEqual({ ...IGB_DEFAULT, mac: '02:00:00:00:01:00' });
    expect(eth1.configs.get(1)).toEqual({ ...IGB_DEFAULT, vlan: 100, spoofChk: false, trust: true });
    expect(eth1.configs.get(2)).toEqual({ ...IGB_DEFAULT, maxTxRateMbps: 100 });
    expect(eth1.configs.get(3)).toEqual(IGB_DEFAULT);
    const eth2 = parseVfInfo(captured('vfs-configured', 'eth2'), 'eth2', 2);
    expect(eth2.configs.get(0)).toEqual({ ...IGB_DEFAULT, mac: '02:00:00:00:02:00' });
    expect(eth2.configs.get(1)).toEqual({ ...IGB_DEFAULT, vlan: 200, qos: 2 });
  });

  it('every config it returns is a valid VfConfig of the model', () => {
    for (const state of ['vfs-enabled', 'vfs-configured'] as const) {
      for (const config of parseVfInfo(captured(state, 'eth1'), 'eth1', 4).configs.values()) expect(VfConfig.parse(config)).toEqual(config);
    }
  });
});

describe('parseVfInfo on hand-made edge cases', () => {
  it('a list cut short: fewer entries than sriov_numvfs, the missing VFs have no config', () => {
    const info = parseVfInfo(link([entry(0), entry(1)]), 'eth1', 4);
    expect(info.truncated).toBe(true);
    expect([...info.configs.keys()]).toEqual([0, 1]);
    expect(info.entries).toBe(2);
  });

  it('"Truncated VF list" on stderr is a cut-short list even when the counts agree', () => {
    const info = parseVfInfo({ ...link([entry(0)]), stderr: 'Truncated VF list: eth1\n' }, 'eth1', 1);
    expect(info.truncated).toBe(true);
  });

  it('keys left out are null, never a guessed value; VLAN keys left out are 0 / 802.1Q as iproute2 means it', () => {
    const info = parseVfInfo(link([{ vf: 0, vlan_list: [{}] }]), 'eth1', 1);
    expect(info.configs.get(0)).toEqual({
      mac: null, vlan: 0, qos: 0, vlanProtocol: '802.1Q', spoofChk: null, trust: null, linkState: null, maxTxRateMbps: null, minTxRateMbps: null, queryRss: null,
    });
  });

  it('reads 802.1ad, query_rss_en, min_tx, disable, and upper-case MACs; ignores keys it does not know', () => {
    const vf = entry(0, {
      address: '02:AB:00:00:00:01', vlan_list: [{ vlan: 4095, qos: 7, protocol: '802.1ad' }], rate: { max_tx: 1000, min_tx: 100 },
      query_rss_en: true, link_state: 'disable', 'node guid': '00:00:00:00:00:00:00:00', stats: { rx_packets: 1 }, something_new: [1, 2],
    });
    expect(parseVfInfo(link([vf]), 'eth1', 1).configs.get(0)).toEqual({
      mac: '02:ab:00:00:00:01', vlan: 4095, qos: 7, vlanProtocol: '802.1ad', spoofChk: true, trust: false, linkState: 'disable', maxTxRateMbps: 1000, minTxRateMbps: 100, queryRss: true,
    });
  });

  it('an older kernel\'s entry: vlan/qos on the entry, tx_rate without rate', () => {
    const vf = { vf: 0, link_type: 'ether', address: '02:00:00:00:00:01', vlan: 10, qos: 1, tx_rate: 50, spoofchk: false };
    expect(parseVfInfo(link([vf]), 'eth1', 1).configs.get(0)).toMatchObject({ vlan: 10, qos: 1, vlanProtocol: '802.1Q', maxTxRateMbps: 50, minTxRateMbps: null, spoofChk: false });
  });

  it('an InfiniBand VF\'s 20-byte address is no MAC: null', () => {
    const vf = entry(0, { link_type: 'infiniband', address: '00:00:00:00:fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:01' });
    expect(parseVfInfo(link([vf]), 'eth1', 1).configs.get(0)?.mac).toBeNull();
  });

  it('a driver without VF settings (no vfinfo_list): not reported, nothing invented', () => {
    expect(parseVfInfo(link(undefined), 'eth1', 4)).toEqual({ reported: false, configs: new Map(), truncated: false, entries: 0, problems: [] });
  });

  it('an entry with a value iproute2 never prints is unreadable, named, and the others stand', () => {
    const info = parseVfInfo(
      link([entry(0, { link_state: 'sideways' }), entry(1), entry(2, { vlan_list: [{ vlan: 5000 }] }), entry(3, { protocol: 'x', vlan_list: [{ protocol: '0x9100' }] }), { vf: 'x' }]),
      'eth1',
      4,
    );
    expect([...info.configs.keys()]).toEqual([1]);
    expect(info.problems).toEqual([
      'VF 0 of eth1: link_state is "sideways", not auto, enable or disable',
      expect.stringMatching(/^VF 2 of eth1: vlan: /),
      'VF 3 of eth1: VLAN protocol "0x9100" is neither 802.1Q nor 802.1ad',
      'entry 4 of eth1\'s vfinfo_list has no VF number',
    ]);
    expect(info.truncated).toBe(false);
  });

  it('a VF listed twice is unreadable (which entry is right is unknown)', () => {
    const info = parseVfInfo(link([entry(0), entry(0, { trust: true })]), 'eth1', 1);
    expect(info.configs.has(0)).toBe(false);
    expect(info.problems).toEqual(['eth1\'s vfinfo_list lists VF 0 twice']);
  });

  it('output that is not ip -j JSON throws a VfInfoError saying what it got', () => {
    expect(() => parseVfInfo({ stdout: 'Device "eth1" does not exist.\n' }, 'eth1', 4)).toThrow(VfInfoError);
    expect(() => parseVfInfo({ stdout: '' }, 'eth1', 4)).toThrow(/printed no JSON/);
    expect(() => parseVfInfo({ stdout: '[{"ifname":"eth1","vfinfo_list":[{"vf":0' }, 'eth1', 4)).toThrow(/printed no JSON/);
    expect(() => parseVfInfo({ stdout: '[]' }, 'eth1', 4)).toThrow(/not one link/);
    expect(() => parseVfInfo({ stdout: '{"ifname":"eth1"}' }, 'eth1', 4)).toThrow(/not one link/);
    expect(() => parseVfInfo(link([], { ifname: 'eth2' }), 'eth1', 0)).toThrow(/answered for "eth2"/);
    expect(() => parseVfInfo(link(undefined, { vfinfo_list: {} }), 'eth1', 0)).toThrow(/vfinfo_list is not a list/);
  });
});
