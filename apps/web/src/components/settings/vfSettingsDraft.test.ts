import type { VfConfig } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { checkDraft, draftOf, listWords } from './vfSettingsDraft';

const igb: VfConfig = { mac: '02:00:00:00:01:00', vlan: 100, qos: 3, vlanProtocol: '802.1Q', spoofChk: true, trust: false, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null };

describe('the VF settings draft', () => {
  it('changes nothing while the inputs hold what the driver reports', () => {
    expect(checkDraft(igb, draftOf(igb))).toEqual({ change: {}, count: 0, errors: {}, formError: null });
  });

  it('sends only what differs, a VLAN with its priority and protocol, a MAC in lower case', () => {
    const check = checkDraft(igb, { ...draftOf(igb), mac: '02:AA:BB:CC:DD:EE', vlan: '200', trust: true });
    expect(check.change).toEqual({ mac: '02:aa:bb:cc:dd:ee', vlan: 200, qos: 3, vlanProtocol: '802.1Q', trust: true });
    expect(check.count).toBe(3);
    expect(check.errors).toEqual({});
  });

  it('says what the model refuses: a multicast MAC, a VLAN past 4095, a min rate over the max', () => {
    const check = checkDraft(igb, { ...draftOf(igb), mac: '03:00:00:00:00:01', vlan: '4096', maxTxRateMbps: '100', minTxRateMbps: '200' });
    expect(check.errors.mac).toBe('A VF\'s MAC must be unicast: the lowest bit of its first octet clear.');
    expect(check.errors.vlan).toBe('The VLAN is at most 4095.');
    expect(check.errors.minTxRateMbps).toMatch(/cannot exceed/);
  });

  it('says a half-typed MAC and a number that is not one in words, and checks a new min rate against the kept max', () => {
    const check = checkDraft({ ...igb, maxTxRateMbps: 500 }, { ...draftOf({ ...igb, maxTxRateMbps: 500 }), mac: '02:00:00', minTxRateMbps: '600', vlan: '1.5' });
    expect(check.errors.mac).toBe('A MAC address is six hex pairs joined by ":" (lower case).');
    expect(check.errors.vlan).toBe('The VLAN is a whole number, 0 or more.');
    expect(check.errors.minTxRateMbps).toBe('The min TX rate cannot exceed the max TX rate (500 Mbit/s).');
  });

  it('leaves a setting the driver does not report alone until it is set', () => {
    const quiet: VfConfig = { ...igb, spoofChk: null, linkState: null, minTxRateMbps: null };
    expect(checkDraft(quiet, draftOf(quiet)).count).toBe(0);
    expect(checkDraft(quiet, { ...draftOf(quiet), spoofChk: false }).change).toEqual({ spoofChk: false });
  });

  it('lists words as a sentence does', () => {
    expect(listWords(['MAC'])).toBe('MAC');
    expect(listWords(['MAC', 'VLAN', 'trust'])).toBe('MAC, VLAN and trust');
  });
});
