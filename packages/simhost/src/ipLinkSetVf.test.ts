import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateHost } from './generateHost';
import { simIpLinkSetVf } from './ipLinkSetVf';
import { profiles } from './profiles';
import { simPaths } from './simPaths';
import { tempRoot } from './tempRoot';
import { readPfVfSettings } from './vfSettings';

/** `ip link set dev <ifname> vf <n> …` as vfmap sends it: the arguments after `ip`. */
const set = (root: string, ifname: string, vf: number, ...setting: string[]) => simIpLinkSetVf(root, ['link', 'set', 'dev', ifname, 'vf', String(vf), ...setting]);
const OK = { exitStatus: 0, stderr: '' };
/** What the real `ip` printed for these refusals on the real 82576 (fixtures/realkernel-igb/probe-igb.md). */
const EOPNOTSUPP = { exitStatus: 2, stderr: 'RTNETLINK answers: Operation not supported\n' };
const EINVAL = { exitStatus: 2, stderr: 'RTNETLINK answers: Invalid argument\n' };
const EPROTONOSUPPORT = { exitStatus: 2, stderr: 'RTNETLINK answers: Protocol not supported\n' };

let tmp: ReturnType<typeof tempRoot>;
afterEach(() => tmp.remove());

describe('the simulated ip link set … vf on igb (the minimal profile: one 82576, enp1s0, 2 VFs)', () => {
  const PF = '0000:01:00.0';
  beforeEach(() => {
    tmp = tempRoot();
    generateHost(tmp.dir, profiles['minimal']!);
  });
  const kept = (vf: number) => readPfVfSettings(simPaths(tmp.dir), PF)[vf];

  it('accepts what the real igb accepts, and keeps it where ip -j -d link show reads it', () => {
    expect(set(tmp.dir, 'enp1s0', 1, 'mac', '02:00:00:00:01:01')).toEqual(OK);
    expect(set(tmp.dir, 'enp1s0', 1, 'vlan', '100', 'qos', '3')).toEqual(OK);
    expect(set(tmp.dir, 'enp1s0', 1, 'spoofchk', 'off')).toEqual(OK);
    expect(set(tmp.dir, 'enp1s0', 1, 'trust', 'on')).toEqual(OK);
    expect(set(tmp.dir, 'enp1s0', 1, 'max_tx_rate', '100')).toEqual(OK);
    expect(set(tmp.dir, 'enp1s0', 1, 'min_tx_rate', '0')).toEqual(OK);
    expect(kept(1)).toMatchObject({ mac: '02:00:00:00:01:01', vlan: 100, qos: 3, vlanProtocol: '802.1Q', spoofChk: false, trust: true, maxTxRate: 100, minTxRate: 0, linkState: 'auto' });
  });

  it('a VLAN without qos sets the qos back to 0, as IFLA_VF_VLAN carries both', () => {
    set(tmp.dir, 'enp1s0', 0, 'vlan', '100', 'qos', '3');
    set(tmp.dir, 'enp1s0', 0, 'vlan', '200');
    expect(kept(0)).toMatchObject({ vlan: 200, qos: 0 });
  });

  it('refuses what the real igb refuses, with the real ip\'s exit status and message, and keeps nothing of it', () => {
    expect(set(tmp.dir, 'enp1s0', 0, 'state', 'enable')).toEqual(EOPNOTSUPP);
    expect(set(tmp.dir, 'enp1s0', 0, 'min_tx_rate', '10')).toEqual(EINVAL);
    expect(set(tmp.dir, 'enp1s0', 0, 'vlan', '100', 'proto', '802.1ad')).toEqual(EPROTONOSUPPORT);
    expect(set(tmp.dir, 'enp1s0', 2, 'mac', '02:00:00:00:01:02')).toEqual(EINVAL); // no VF 2
    expect(set(tmp.dir, 'enp1s0', 0, 'mac', '03:00:00:00:01:00')).toEqual(EINVAL); // multicast
    expect(kept(0) ?? { linkState: 'auto', minTxRate: 0, vlan: 0 }).toMatchObject({ linkState: 'auto', minTxRate: 0, vlan: 0 });
  });

  it('refuses a max TX rate above the PF\'s link speed', () => {
    expect(set(tmp.dir, 'enp1s0', 0, 'max_tx_rate', '100000')).toEqual(EINVAL);
  });

  it('answers an unknown interface and malformed arguments as ip does, without touching anything', () => {
    expect(set(tmp.dir, 'eth9', 0, 'trust', 'on')).toEqual({ exitStatus: 1, stderr: 'Cannot find device "eth9"\n' });
    expect(set(tmp.dir, 'enp1s0', 0, 'trust', 'maybe').exitStatus).toBe(255);
    expect(set(tmp.dir, 'enp1s0', 0, 'vlan', '4096').exitStatus).toBe(255);
    expect(simIpLinkSetVf(tmp.dir, ['link', 'set', 'dev', 'enp1s0', 'up']).exitStatus).toBe(255);
  });
});

describe('the simulated ip link set … vf on the demo host\'s other drivers', () => {
  beforeEach(() => {
    tmp = tempRoot();
    generateHost(tmp.dir, profiles['demo']!);
  });

  it('ice (E810) sets the link state, a min TX rate and 802.1ad', () => {
    expect(set(tmp.dir, 'ens1f0', 3, 'state', 'disable')).toEqual(OK);
    expect(set(tmp.dir, 'ens1f0', 3, 'min_tx_rate', '100')).toEqual(OK);
    expect(set(tmp.dir, 'ens1f0', 3, 'vlan', '10', 'proto', '802.1ad')).toEqual(OK);
    expect(readPfVfSettings(simPaths(tmp.dir), '0000:18:00.0')[3]).toMatchObject({ linkState: 'disable', minTxRate: 100, vlan: 10, vlanProtocol: '802.1ad' });
  });

  it('i40e and ixgbe refuse a min TX rate; mlx5 sets it but refuses 802.1ad', () => {
    expect(set(tmp.dir, 'ens2f0', 0, 'min_tx_rate', '100')).toEqual(EINVAL);
    expect(set(tmp.dir, 'ens4f0', 0, 'min_tx_rate', '100')).toEqual(EINVAL);
    expect(set(tmp.dir, 'ens4f0', 0, 'max_tx_rate', '10')).toEqual(EINVAL);
    expect(set(tmp.dir, 'ens5f0np0', 0, 'min_tx_rate', '100')).toEqual(OK);
    expect(set(tmp.dir, 'ens5f0np0', 0, 'vlan', '10', 'proto', '802.1ad')).toEqual(EPROTONOSUPPORT);
    expect(set(tmp.dir, 'ens5f0np0', 0, 'state', 'enable')).toEqual(OK);
  });
});
