import { describe, expect, it } from 'vitest';
import { UnicastMac, VfConfigChange } from './vfConfig';

describe('a VF settings change', () => {
  it('takes any one setting, and a VLAN with its qos and protocol', () => {
    expect(VfConfigChange.parse({ mac: '02:00:00:00:01:00' })).toEqual({ mac: '02:00:00:00:01:00' });
    expect(VfConfigChange.parse({ vlan: 100, qos: 3, vlanProtocol: '802.1Q' })).toEqual({ vlan: 100, qos: 3, vlanProtocol: '802.1Q' });
    const flags = { spoofChk: false, trust: true, linkState: 'auto', maxTxRateMbps: 1000, minTxRateMbps: 100 } as const;
    expect(VfConfigChange.parse(flags)).toEqual(flags);
  });

  it('refuses nothing to change, unknown settings, a qos without a vlan, out-of-range values and min above max', () => {
    for (const bad of [{}, { colour: 'red' }, { qos: 3 }, { vlanProtocol: '802.1ad' }, { vlan: 4096 }, { vlan: -1 }, { qos: 8 }, { linkState: 'up' }, { minTxRateMbps: 200, maxTxRateMbps: 100 }, { maxTxRateMbps: 1.5 }]) {
      expect(VfConfigChange.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    // max 0 is "no limit": any min goes with it.
    expect(VfConfigChange.safeParse({ minTxRateMbps: 200, maxTxRateMbps: 0 }).success).toBe(true);
  });

  it('takes only unicast MACs, written as ip writes them', () => {
    for (const good of ['02:00:00:00:01:00', '52:54:00:12:34:56', 'fe:ff:ff:ff:ff:ff']) expect(UnicastMac.safeParse(good).success, good).toBe(true);
    for (const bad of ['01:00:5e:00:00:01', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', '02:00:00:00:01', '02-00-00-00-01-00', '02:00:00:00:01:0G', 'AA:BB:CC:DD:EE:FE']) {
      expect(UnicastMac.safeParse(bad).success, bad).toBe(false);
    }
  });
});
