import { describe, expect, it } from 'vitest';
import { matchLinkFile, normalizeMac, type NetDevFacts } from './linkMatch';
import { parseUnitFile } from './unitFile';

const igb: NetDevFacts = {
  name: 'enp1s0',
  kernelName: 'eth0',
  permanentMac: '52:54:00:12:34:56',
  mac: '52:54:00:12:34:56',
  driver: 'igb',
  path: 'pci-0000:01:00.0',
  type: 'ether',
  properties: { ID_BUS: 'pci', ID_NET_DRIVER: 'igb' },
};

function match(text: string, facts: NetDevFacts = igb) {
  return matchLinkFile([parseUnitFile(text, '/etc/systemd/network/x.link')], facts).kind;
}

describe('matchLinkFile: the [Match] keys udev tests', () => {
  it('takes OriginalName= globs against the kernel name, with "!" inverting the line', () => {
    expect(match('[Match]\nOriginalName=*')).toBe('match');
    expect(match('[Match]\nOriginalName=eth[0-3]')).toBe('match');
    expect(match('[Match]\nOriginalName=eth1 eth2')).toBe('no-match');
    expect(match('[Match]\nOriginalName=!eth0')).toBe('no-match');
    expect(match('[Match]\nOriginalName=!wl*')).toBe('match');
  });
  it('cannot tell an OriginalName= glob for a renamed interface, but knows "*"', () => {
    const renamed = { ...igb, kernelName: null };
    expect(match('[Match]\nOriginalName=eth0', renamed)).toBe('cannot-tell');
    expect(match('[Match]\nOriginalName=*', renamed)).toBe('match');
  });
  it('takes MAC lists in any of systemd\'s spellings; an empty line resets the list', () => {
    expect(match('[Match]\nPermanentMACAddress=52-54-00-12-34-56')).toBe('match');
    expect(match('[Match]\nMACAddress=5254.0012.3456 aa:bb:cc:dd:ee:ff')).toBe('match');
    expect(match('[Match]\nMACAddress=AA:BB:CC:DD:EE:FF')).toBe('no-match');
    expect(match('[Match]\nMACAddress=aa:bb:cc:dd:ee:ff\nMACAddress=\nMACAddress=52:54:00:12:34:56')).toBe('match');
    expect(normalizeMac('52:54:00:12:34:5')).toBeNull();
  });
  it('tests MACAddress= against the permanent MAC, which the PF has when udev picks its file', () => {
    expect(match('[Match]\nMACAddress=52:54:00:12:34:56', { ...igb, mac: '02:00:00:00:00:01' })).toBe('match');
  });
  it('needs every key to hold (Driver=, Path=, Type=)', () => {
    expect(match('[Match]\nDriver=igb\nType=ether\nPath=pci-0000:01:00.*')).toBe('match');
    expect(match('[Match]\nDriver=igb\nType=wlan')).toBe('no-match');
    expect(match('[Match]\nDriver=ixgbe igb*')).toBe('match');
  });
  it('ANDs Property= pairs, their values globs, a leading "!" inverting', () => {
    expect(match('[Match]\nProperty=ID_BUS=pci ID_NET_DRIVER=ig*')).toBe('match');
    expect(match('[Match]\nProperty=ID_BUS=pci ID_NET_DRIVER=e1000e')).toBe('no-match');
    expect(match('[Match]\nProperty=!ID_BUS=usb')).toBe('match');
    expect(match('[Match]\nProperty="ID_BUS=p*"')).toBe('match');
  });
  it('lets a physical NIC match only negative Kind= patterns', () => {
    expect(match('[Match]\nKind=bond')).toBe('no-match');
    expect(match('[Match]\nKind=!bond\nDriver=igb')).toBe('match');
  });
  it('says "cannot tell" for a key it does not know or a fact it lacks, unless another key rules the file out', () => {
    const r = matchLinkFile([parseUnitFile('[Match]\nOriginalName=*\nFrobnicate=yes', '/etc/systemd/network/10-odd.link')], igb);
    expect(r).toEqual({ kind: 'cannot-tell', keys: [expect.objectContaining({ key: 'Frobnicate', line: 3, path: '/etc/systemd/network/10-odd.link' })] });
    expect(match('[Match]\nHost=pve1\nOriginalName=*')).toBe('cannot-tell');
    expect(match('[Match]\nFrobnicate=yes\nDriver=e1000e')).toBe('no-match');
    expect(match('[Match]\nPath=pci-*', { ...igb, path: null })).toBe('cannot-tell');
    expect(match('[Match]\nName=enp1s0')).toBe('cannot-tell');
  });
  it('lets .network files test the current Name=', () => {
    expect(matchLinkFile([parseUnitFile('[Match]\nName=enp1s0', 'x.network')], igb, { allowName: true }).kind).toBe('match');
  });
  it('ignores a file whose [Match] says nothing, as udev does', () => {
    expect(match('[Link]\nNamePolicy=kernel')).toBe('ignored');
    expect(match('[Match]\nOriginalName=\n[Link]\nName=x')).toBe('ignored');
  });
  it('merges [Match] lines from drop-ins', () => {
    const main = parseUnitFile('[Match]\nOriginalName=*', '/usr/lib/systemd/network/99-default.link');
    const dropIn = parseUnitFile('[Match]\nDriver=e1000e', '/etc/systemd/network/99-default.link.d/x.conf');
    expect(matchLinkFile([main, dropIn], igb).kind).toBe('no-match');
  });
});
