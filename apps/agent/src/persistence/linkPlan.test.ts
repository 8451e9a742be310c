import { afterEach, describe, expect, it } from 'vitest';
import { readLinkFiles } from './linkFiles';
import type { NetDevFacts } from './linkMatch';
import { planLinkPersistence, type DesiredSriov, type PersistencePlan, type PlanPf } from './linkPlan';
import { DEBIAN_DEFAULT_LINK, hostTree, type HostTree } from './hostTree';
import { lastValue, parseUnitFile } from './unitFile';

const nic0: NetDevFacts = {
  name: 'nic0',
  kernelName: null,
  permanentMac: '52:54:00:12:34:56',
  mac: '52:54:00:12:34:56',
  driver: 'igb',
  path: 'pci-0000:01:00.0',
  type: 'ether',
  properties: null,
};
const pf: PlanPf = { address: '0000:01:00.0', netdev: nic0 };
const desired: DesiredSriov = {
  count: 2,
  vfs: [
    { vf: 0, mac: '02:00:00:00:00:10', vlan: 100, qos: 3, spoofChk: true, trust: false },
    { vf: 1, mac: '02:00:00:00:00:11', linkState: 'auto', vlanProtocol: '802.1Q', vlan: 0 },
  ],
};
/** Proxmox VE 9's pin for nic0 (pve-network-interface-pinning). */
const PMX_PIN = `# setup by the Proxmox installer.
[Match]
MACAddress=52:54:00:12:34:56
Type=ether

[Link]
Name=nic0
`;

const trees: HostTree[] = [];
afterEach(() => {
  for (const t of trees.splice(0)) t.remove();
});

async function plan(files: Record<string, string>, over: Partial<Parameters<typeof planLinkPersistence>[0]> = {}, setup?: (t: HostTree) => void): Promise<PersistencePlan> {
  const tree = hostTree(files);
  trees.push(tree);
  setup?.(tree);
  return planLinkPersistence({ pf, desired, linkFiles: await readLinkFiles(tree.root), systemdVersion: 252, driverInInitramfs: null, ...over });
}

function written(p: PersistencePlan) {
  if (p.kind !== 'link-file' && p.kind !== 'link-drop-in') throw new Error(`expected a .link plan, got ${p.kind}: ${'why' in p ? p.why : ''}`);
  return { ...p, unit: parseUnitFile(p.write.content, p.write.path) };
}

describe('planLinkPersistence: which .link file keeps the VFs', () => {
  it('adds a drop-in to the file that pins the PF (Proxmox 9: 50-pmx-nic0.link), and leaves the initramfs alone', async () => {
    const p = written(
      await plan({
        '/etc/systemd/network/50-pmx-nic0.link': PMX_PIN,
        '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK,
        '/usr/lib/systemd/network/99-default.link.d/10-mac.conf': '[Link]\nMACAddressPolicy=none\n',
      }),
    );
    expect(p.kind).toBe('link-drop-in');
    expect(p.write.path).toBe('/etc/systemd/network/50-pmx-nic0.link.d/vfmap-sriov.conf');
    expect(p.matchedFile).toBe('/etc/systemd/network/50-pmx-nic0.link');
    // A drop-in adds to the pin: no [Match] (that stays the pin's), no name policy.
    expect(p.unit.sections.map((s) => s.name)).toEqual(['Link', 'SR-IOV', 'SR-IOV']);
    expect(lastValue([p.unit], 'Link', 'SR-IOVVirtualFunctions')).toBe('2');
    expect(p.initramfs.update).toBe(false);
    expect(p.undo[0]).toContain('rm /etc/systemd/network/50-pmx-nic0.link.d/vfmap-sriov.conf');
  });

  it('writes the [SR-IOV] keys systemd.link(5) names, one section per VF', async () => {
    const p = written(await plan({ '/etc/systemd/network/50-pmx-nic0.link': PMX_PIN }));
    const [vf0, vf1] = p.unit.sections.filter((s) => s.name === 'SR-IOV').map((s) => Object.fromEntries(s.entries.map((e) => [e.key, e.value])));
    expect(vf0).toEqual({ VirtualFunction: '0', MACAddress: '02:00:00:00:00:10', VLANId: '100', QualityOfService: '3', MACSpoofCheck: 'yes', Trust: 'no' });
    // VLAN 0 is no VLAN: VLANId= takes 1…4095, and the protocol goes with a VLAN. LinkState=auto is
    // every new VF's, and a driver that refuses link states (igb) would drop the settings after it.
    expect(vf1).toEqual({ VirtualFunction: '1', MACAddress: '02:00:00:00:00:11' });
    const down = written(await plan({ '/etc/systemd/network/50-pmx-nic0.link': PMX_PIN }, { desired: { count: 1, vfs: [{ vf: 0, linkState: 'disable', vlan: 7, vlanProtocol: '802.1ad' }] } }));
    expect(down.write.content).toContain('[SR-IOV]\nVirtualFunction=0\nVLANId=7\nVLANProtocol=802.1ad\nLinkState=no\n');
  });

  it('writes a file for the PF alone before 99-default.link when only the default matches, copying its policies and its drop-in\'s', async () => {
    const p = written(
      await plan({
        '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK,
        '/usr/lib/systemd/network/99-default.link.d/10-mac.conf': '[Link]\nMACAddressPolicy=none\n',
      }),
    );
    expect(p.kind).toBe('link-file');
    expect(p.write.path).toBe('/etc/systemd/network/70-vfmap-nic0.link');
    expect(p.write.path.split('/').pop()! < '99-default.link').toBe(true);
    expect(p.matchedFile).toBe('/usr/lib/systemd/network/99-default.link');
    expect(lastValue([p.unit], 'Match', 'PermanentMACAddress')).toBe('52:54:00:12:34:56');
    expect(lastValue([p.unit], 'Link', 'NamePolicy')).toBe('keep kernel database onboard slot path');
    expect(lastValue([p.unit], 'Link', 'AlternativeNamesPolicy')).toBe('database onboard slot path');
    // Proxmox 9's drop-in wins in the copy as it does in udev.
    expect(lastValue([p.unit], 'Link', 'MACAddressPolicy')).toBe('none');
    expect(lastValue([p.unit], 'Link', 'SR-IOVVirtualFunctions')).toBe('2');
    expect(p.initramfs).toMatchObject({ update: true });
    expect(p.initramfs.why).toContain('update-initramfs -u');
    expect(p.undo[0]).toBe('rm /etc/systemd/network/70-vfmap-nic0.link, then update-initramfs -u; the VFs stay until the next boot.');
  });

  it('in a Proxmox 9 layout, pins one PF by drop-in and gives an unpinned one its own file with MACAddressPolicy=none', async () => {
    const files = {
      '/etc/systemd/network/50-pmx-nic0.link': PMX_PIN,
      '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK,
      '/usr/lib/systemd/network/99-default.link.d/10-mac.conf': '[Link]\nMACAddressPolicy=none\n',
    };
    expect((await plan(files)).kind).toBe('link-drop-in');
    const other = written(await plan(files, { pf: { address: '0000:01:00.1', netdev: { ...nic0, name: 'enp1s0f1', permanentMac: '52:54:00:12:34:57', mac: '52:54:00:12:34:57' } } }));
    expect(other.write.path).toBe('/etc/systemd/network/70-vfmap-enp1s0f1.link');
    expect(lastValue([other.unit], 'Link', 'MACAddressPolicy')).toBe('none');
  });

  it('takes the /etc copy of a file over the /usr/lib one, and an /etc mask hides it', async () => {
    const overridden = written(
      await plan({
        '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK,
        '/etc/systemd/network/99-default.link': '[Match]\nOriginalName=*\n[Link]\nNamePolicy=kernel\nMACAddressPolicy=none\n',
      }),
    );
    expect(overridden.matchedFile).toBe('/etc/systemd/network/99-default.link');
    expect(lastValue([overridden.unit], 'Link', 'NamePolicy')).toBe('kernel');
    expect(lastValue([overridden.unit], 'Link', 'AlternativeNamesPolicy')).toBeNull();

    const masked = written(await plan({ '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK }, {}, (t) => t.mask('/etc/systemd/network/99-default.link')));
    expect(masked.matchedFile).toBeNull();
    expect(lastValue([masked.unit], 'Link', 'NamePolicy')).toBeNull();
  });

  it('does not drop into a catch-all file (Driver=igb): it writes a file before it that copies its [Link]', async () => {
    const p = written(
      await plan({
        '/etc/systemd/network/10-igb.link': '[Match]\nDriver=igb\n[Link]\nNamePolicy=path\n',
        '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK,
      }),
    );
    expect(p.kind).toBe('link-file');
    expect(p.write.path).toBe('/etc/systemd/network/09-vfmap-nic0.link');
    expect(lastValue([p.unit], 'Link', 'NamePolicy')).toBe('path');
    expect(p.warnings.join('\n')).toContain('matches more interfaces than nic0');
    // The next plan knows that file as vfmap's own: it rewrites it rather than shadow it.
    const again = await plan({
      '/etc/systemd/network/10-igb.link': '[Match]\nDriver=igb\n[Link]\nNamePolicy=path\nSR-IOVVirtualFunctions=7\n',
      [p.write.path]: p.write.content,
    });
    expect(again).toMatchObject({ kind: 'link-file', write: { path: p.write.path }, remove: [], matchedFile: '/etc/systemd/network/10-igb.link' });
    expect(again.warnings).toContain('/etc/systemd/network/10-igb.link:5: SR-IOVVirtualFunctions=7 (no longer applied to this PF)');
  });

  it('falls back to apply-desired when a file before the match has a [Match] key it does not know', async () => {
    const p = await plan({
      '/etc/systemd/network/20-odd.link': '[Match]\nOriginalName=*\nSomeFutureKey=yes\n[Link]\nName=odd0\n',
      '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK,
    });
    expect(p).toMatchObject({ kind: 'apply-desired', reason: 'cannot-tell-match', unit: 'vfmap-apply-desired.service' });
    expect(p.warnings).toEqual([expect.stringContaining('/etc/systemd/network/20-odd.link:3: SomeFutureKey=')]);
  });

  it('does not mind an unknown key in a file after the one that matches', async () => {
    const p = await plan({
      '/etc/systemd/network/50-pmx-nic0.link': PMX_PIN,
      '/etc/systemd/network/60-odd.link': '[Match]\nSomeFutureKey=yes\n',
    });
    expect(p.kind).toBe('link-drop-in');
  });

  it('falls back to apply-desired on systemd older than 251, or unknown', async () => {
    const files = { '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK };
    expect(await plan(files, { systemdVersion: 250 })).toMatchObject({ kind: 'apply-desired', reason: 'systemd-too-old' });
    expect(await plan(files, { systemdVersion: null })).toMatchObject({ kind: 'apply-desired', reason: 'systemd-unknown' });
    expect((await plan(files, { systemdVersion: 251 })).kind).toBe('link-file');
  });

  it('falls back to apply-desired for a PF without a netdev (NVMe), saying the VF settings are not kept', async () => {
    const p = await plan({ '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK }, { pf: { address: '0000:02:00.0', netdev: null } });
    expect(p).toMatchObject({ kind: 'apply-desired', reason: 'no-netdev' });
    expect(p.notKept.join()).toContain('sets only the count');
  });

  it('says the initramfs needs no update when the PF\'s driver is not in it', async () => {
    const p = written(await plan({ '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK }, { driverInInitramfs: false }));
    expect(p.initramfs.update).toBe(false);
    expect(p.undo[0]).not.toContain('update-initramfs');
  });

  it('rewrites its own file in place, and removes it once an admin pins the PF', async () => {
    const own = '/etc/systemd/network/70-vfmap-nic0.link';
    const first = written(await plan({ '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK }));
    const again = written(await plan({ '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK, [own]: first.write.content }));
    expect(again.write).toEqual(first.write);
    expect(again.remove).toEqual([]);
    // The copied policies come from the default, not from vfmap's earlier file.
    expect(again.matchedFile).toBe('/usr/lib/systemd/network/99-default.link');

    const pinned = await plan({ '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK, [own]: first.write.content, '/etc/systemd/network/80-admin.link': PMX_PIN });
    expect(pinned).toMatchObject({ kind: 'link-drop-in', matchedFile: '/etc/systemd/network/80-admin.link', remove: [own] });
  });

  it('keeps nothing for a count of 0, and removes its own files', async () => {
    const own = '/etc/systemd/network/50-pmx-nic0.link.d/vfmap-sriov.conf';
    const p = await plan({ '/etc/systemd/network/50-pmx-nic0.link': PMX_PIN, [own]: '[Link]\nSR-IOVVirtualFunctions=4\n' }, { desired: { count: 0, vfs: [] } });
    expect(p).toMatchObject({ kind: 'nothing', remove: [own] });
  });

  it('warns when the pinned file already sets SR-IOV, and reports what a .link cannot keep', async () => {
    const p = await plan(
      { '/etc/systemd/network/50-pmx-nic0.link': `${PMX_PIN}SR-IOVVirtualFunctions=8\n` },
      { desired: { count: 1, vfs: [{ vf: 0, maxTxRateMbps: 100 }, { vf: 3, trust: true }] } },
    );
    expect(p.warnings).toEqual([expect.stringContaining('50-pmx-nic0.link:8: SR-IOVVirtualFunctions=8')]);
    expect(p.notKept).toEqual(['VF 0: TX rates (a .link file has no setting for them)', 'VF 3: its settings are not kept, the count is 1']);
  });
});
