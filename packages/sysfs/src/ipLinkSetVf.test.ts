import { describe, expect, it } from 'vitest';
import { VfConfigChange, vfSettingsOf } from '@vfmap/model';
import { ipLinkSetVfArgs, rtnetlinkErrno } from './ipLinkSetVf';

const argsOf = (change: VfConfigChange) => vfSettingsOf(change).map((s) => ipLinkSetVfArgs('eth1', 2, s, change));

describe('ip link set … vf arguments', () => {
  it('one call per setting, in the order vfSettingsOf gives, each with iproute2\'s keyword', () => {
    const change = VfConfigChange.parse({ trust: true, mac: '02:00:00:00:01:00', maxTxRateMbps: 100, spoofChk: false, vlan: 100, qos: 3, linkState: 'disable', minTxRateMbps: 10 });
    expect(argsOf(change)).toEqual([
      ['link', 'set', 'dev', 'eth1', 'vf', '2', 'mac', '02:00:00:00:01:00'],
      ['link', 'set', 'dev', 'eth1', 'vf', '2', 'vlan', '100', 'qos', '3'],
      ['link', 'set', 'dev', 'eth1', 'vf', '2', 'spoofchk', 'off'],
      ['link', 'set', 'dev', 'eth1', 'vf', '2', 'trust', 'on'],
      ['link', 'set', 'dev', 'eth1', 'vf', '2', 'state', 'disable'],
      ['link', 'set', 'dev', 'eth1', 'vf', '2', 'max_tx_rate', '100'],
      ['link', 'set', 'dev', 'eth1', 'vf', '2', 'min_tx_rate', '10'],
    ]);
  });

  it('a VLAN carries its protocol, and VLAN 0 (none) is sent as 0', () => {
    expect(argsOf(VfConfigChange.parse({ vlan: 10, vlanProtocol: '802.1ad' }))).toEqual([['link', 'set', 'dev', 'eth1', 'vf', '2', 'vlan', '10', 'proto', '802.1ad']]);
    expect(argsOf(VfConfigChange.parse({ vlan: 0 }))).toEqual([['link', 'set', 'dev', 'eth1', 'vf', '2', 'vlan', '0']]);
  });

  it('names the errno behind iproute2\'s RTNETLINK message, and none for anything else', () => {
    expect(rtnetlinkErrno('RTNETLINK answers: Operation not supported\n')).toBe('EOPNOTSUPP');
    expect(rtnetlinkErrno('RTNETLINK answers: Protocol not supported\n')).toBe('EPROTONOSUPPORT');
    expect(rtnetlinkErrno('RTNETLINK answers: Invalid argument\n')).toBe('EINVAL');
    expect(rtnetlinkErrno('Cannot find device "eth9"\n')).toBeNull();
  });
});
