import { describe, expect, it } from 'vitest';
import type { DesiredPfState, Pf, Vf, VfConfig } from '@vfmap/model';
import { handPf } from '../testing/handTopology';
import { describePfPersistence, settingsOf } from './pfPersistence';
import { persistenceDifferences } from './persistenceDifferences';
import type { PersistenceAdvice } from './planPersistence';
import type { OwnerFinding } from './scanOwners';

const ADDRESS = '0000:3b:00.0';

const config = (over: Partial<VfConfig> = {}): VfConfig => ({
  mac: null,
  vlan: 0,
  qos: 0,
  vlanProtocol: '802.1Q',
  spoofChk: true,
  trust: false,
  linkState: 'auto',
  maxTxRateMbps: 0,
  minTxRateMbps: 0,
  queryRss: null,
  ...over,
});

function vf(index: number, over: Partial<Vf> = {}): Vf {
  return {
    address: `0000:3b:02.${index}`,
    index,
    pf: ADDRESS,
    vendorId: '8086',
    deviceId: '154c',
    driver: 'iavf',
    driverOverride: null,
    netdevs: [],
    numaNode: 0,
    iommuGroup: 100 + index,
    holder: null,
    config: config(),
    ...over,
  };
}

function pf(vfs: Vf[], over: Partial<Pf> = {}): Pf {
  return handPf(ADDRESS, {
    netdevs: [{ name: 'ens1f0', mac: 'b4:96:91:00:00:01', operState: 'up', speedMbps: 10000 }],
    numaNode: 0,
    iommuGroup: 25,
    numVfs: vfs.length,
    vfs,
    ...over,
  });
}

const desired = (over: Partial<DesiredPfState> = {}): DesiredPfState => ({
  count: 4,
  vendorId: '8086',
  deviceId: '1572',
  setAt: '2026-12-06T10:00:00.000Z',
  stableMacs: false,
  driversAutoprobe: null,
  vfs: [],
  ...over,
});

describe('persistenceDifferences', () => {
  it('finds none when the PF is as desired', () => {
    const live = pf([vf(0, { config: config({ mac: '02:00:00:00:00:01', vlan: 100 }) }), vf(1), vf(2), vf(3)]);
    expect(persistenceDifferences(desired({ vfs: [{ index: 0, settings: { mac: '02:00:00:00:00:01', vlan: 100 }, driver: null }] }), live)).toEqual([]);
  });

  it('names the count, each VF setting, a driver and autoprobe that differ, with both values', () => {
    const live = pf([vf(0, { config: config({ vlan: 7, trust: true }) }), vf(1, { driver: 'iavf' }), vf(2, { driver: 'vfio-pci' })], { driversAutoprobe: true });
    const want = desired({
      driversAutoprobe: false,
      vfs: [
        { index: 0, settings: { vlan: 100, trust: true, spoofChk: false }, driver: null },
        { index: 1, settings: {}, driver: 'vfio-pci' },
        { index: 2, settings: {}, driver: null },
        // VF 3 does not exist live (the count differs, which says it): not compared.
        { index: 3, settings: { vlan: 5 }, driver: null },
      ],
    });
    expect(persistenceDifferences(want, live)).toEqual([
      { what: 'count', desired: '4', live: '3' },
      { what: 'VF 0 vlan', desired: '100', live: '7' },
      { what: 'VF 0 spoofChk', desired: 'off', live: 'on' },
      { what: 'VF 1 driver', desired: 'vfio-pci', live: 'iavf' },
      { what: 'VF 2 driver', desired: 'the host driver', live: 'vfio-pci' },
      { what: 'autoprobe', desired: 'off', live: 'on' },
    ]);
  });

  it('says a setting the driver does not report, or a VF whose settings were not read, differs rather than guessing', () => {
    const live = pf([vf(0, { config: config({ linkState: null }) }), vf(1, { config: null })], { numVfs: 2 });
    const want = desired({ count: 2, vfs: [{ index: 0, settings: { linkState: 'enable' }, driver: null }, { index: 1, settings: { trust: true }, driver: null }] });
    expect(persistenceDifferences(want, live)).toEqual([
      { what: 'VF 0 linkState', desired: 'enable', live: 'not reported' },
      { what: 'VF 1 trust', desired: 'on', live: expect.stringMatching(/^not read/) },
    ]);
  });

  it('compares MACs without regard to case', () => {
    const live = pf([vf(0, { config: config({ mac: '02:AB:00:00:00:01' }) })], { numVfs: 1 });
    expect(persistenceDifferences(desired({ count: 1, vfs: [{ index: 0, settings: { mac: '02:ab:00:00:00:01' }, driver: null }] }), live)).toEqual([]);
  });
});

function advice(plan: PersistenceAdvice['plan'], owners: OwnerFinding[] = []): PersistenceAdvice {
  return { plan, owners };
}

const linkFilePlan: PersistenceAdvice['plan'] = {
  kind: 'link-file',
  pf: ADDRESS,
  write: { path: '/etc/systemd/network/70-vfmap-ens1f0.link', content: '…' },
  matchedFile: '/usr/lib/systemd/network/99-default.link',
  why: 'only 99-default.link matches',
  initramfs: { update: true, why: 'run update-initramfs -u' },
  undo: ['rm /etc/systemd/network/70-vfmap-ens1f0.link'],
  remove: [],
  warnings: [],
  notKept: [],
};

const sysfsConf: OwnerFinding = {
  kind: 'sysfs-conf',
  path: '/etc/sysfs.conf',
  line: 3,
  text: `bus/pci/devices/${ADDRESS}/sriov_numvfs = 8`,
  sets: 'count',
  target: { address: ADDRESS, netdev: null, mac: null, driver: null, otherMatch: null },
  note: 'sysfsutils writes 8 at boot',
  competes: 'yes',
  pf: ADDRESS,
};

describe('describePfPersistence', () => {
  const live = pf([vf(0), vf(1), vf(2), vf(3)]);

  it('is kept at boot when the planned file is written and live matches', () => {
    const p = describePfPersistence(live, desired(), advice(linkFilePlan), true);
    expect(p).toMatchObject({ matches: true, lostAtReboot: false, keptBy: { mechanism: 'link-file', path: linkFilePlan.kind === 'link-file' ? linkFilePlan.write.path : null, written: true, initramfs: true } });
  });

  it('is lost at reboot while the file is not written, and says what the .link cannot keep (vfio-pci, autoprobe)', () => {
    const p = describePfPersistence(live, desired({ driversAutoprobe: false, vfs: [{ index: 1, settings: {}, driver: 'vfio-pci' }] }), advice(linkFilePlan), false);
    expect(p.lostAtReboot).toBe(true);
    expect(p.keptBy.notKept).toEqual([expect.stringMatching(/^VF 1: the vfio-pci binding/), expect.stringMatching(/^sriov_drivers_autoprobe off/)]);
  });

  it('warns when another owner sets the same count as vfmap', () => {
    const p = describePfPersistence(live, desired(), advice(linkFilePlan, [sysfsConf]), true);
    expect(p.owners).toEqual([{ kind: 'sysfs-conf', path: '/etc/sysfs.conf', line: 3, text: sysfsConf.text, sets: 'count', competes: 'yes', note: sysfsConf.note }]);
    expect(p.warnings).toEqual(["/etc/sysfs.conf:3 (sysfs-conf) also sets this PF's VF count at boot, and so does vfmap: the one that runs last wins. Keep one of them."]);
  });

  it('with nothing desired: not lost when another owner keeps the count, lost when none does', () => {
    const nothing: PersistenceAdvice['plan'] = { kind: 'nothing', pf: ADDRESS, why: 'count 0', remove: [], warnings: [], notKept: [], initramfs: { update: false, why: '' }, undo: [] };
    expect(describePfPersistence(live, null, advice(nothing), true)).toMatchObject({ desired: null, matches: null, lostAtReboot: true, keptBy: { mechanism: 'none' } });
    expect(describePfPersistence(live, null, advice(nothing, [sysfsConf]), true)).toMatchObject({ lostAtReboot: false, warnings: [] });
  });

  it('names the apply-desired unit where a .link file cannot keep it, and whether the unit is enabled', () => {
    const fallback: PersistenceAdvice['plan'] = { kind: 'apply-desired', pf: ADDRESS, reason: 'systemd-too-old', why: 'systemd 247 is older than 251', unit: 'vfmap-apply-desired.service', remove: [], warnings: [], notKept: [] };
    const p = describePfPersistence(live, desired(), advice(fallback), false);
    expect(p.keptBy).toMatchObject({ mechanism: 'apply-desired', path: '/etc/systemd/system/vfmap-apply-desired.service', written: false, initramfs: false });
    expect(p.keptBy.note).toContain('systemctl enable vfmap-apply-desired.service');
    expect(p.lostAtReboot).toBe(true);
  });
});

describe('settingsOf', () => {
  it('compares a .link file by its settings: a header naming the interface by its name before udev renamed it is the same file', () => {
    const written = '# Written by vfmap: keeps 3 VFs of PF 0000:04:00.0 (eth1, permanent MAC 52:54:00:12:35:01).\n[Match]\nPermanentMACAddress=52:54:00:12:35:01\n\n[Link]\nSR-IOVVirtualFunctions=3\n';
    const now = written.replace('(eth1,', '(enp4s0,');
    expect(settingsOf(written)).toBe(settingsOf(now));
    expect(settingsOf(written)).not.toBe(settingsOf(now.replace('=3', '=4')));
  });
});
