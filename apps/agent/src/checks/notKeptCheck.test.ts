import { describe, expect, it } from 'vitest';
import type { PfPersistence } from '@vfmap/model';
import { handPf, handTopology } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { notKeptCheck } from './notKeptCheck';

const PF = '0000:18:00.0';
const persistence = (over: Partial<PfPersistence>): PfPersistence => ({
  pf: PF,
  interface: 'ens1f0',
  desired: null,
  matches: null,
  differences: [],
  keptBy: { mechanism: 'none', path: null, written: false, initramfs: false, notKept: [], note: '' },
  lostAtReboot: true,
  owners: [],
  warnings: [],
  ...over,
});

describe('notKeptCheck', () => {
  it('warns of live VFs that nothing keeps at boot, with the persist fix', () => {
    const files = handFiles({ 'sys/bus/pci/devices': { dir: true } });
    const [c] = notKeptCheck(files, handTopology({ pfs: [handPf(PF, { numVfs: 8 })] }), { host: 'h', pfs: [persistence({})] });
    expect(c).toMatchObject({ id: 'not-kept', target: PF, status: 'warn', title: `${PF}: 8 VFs are lost at reboot: nothing keeps them at boot` });
    expect(c!.evidence).toEqual([
      { path: `/sys/bus/pci/devices/${PF}/sriov_numvfs`, value: '8' },
      { path: 'boot configuration (GET …/persistence)', value: 'nothing keeps this PF' },
    ]);
    expect(c!.fix.proxmox).toMatch(/\/persist/);
  });

  it('names the settings a .link file cannot keep', () => {
    const files = handFiles({ 'sys/bus/pci/devices': { dir: true } });
    const kept = persistence({
      desired: { count: 4, vendorId: '8086', deviceId: '1572', setAt: '2026-12-06T10:00:00Z', stableMacs: false, driversAutoprobe: null, vfs: [] },
      keptBy: { mechanism: 'link-file', path: '/etc/systemd/network/70-vfmap-ens1f0.link', written: true, initramfs: true, notKept: ['VF 0: the vfio-pci binding'], note: '' },
    });
    const [c] = notKeptCheck(files, handTopology({ pfs: [handPf(PF, { numVfs: 4 })] }), { host: 'h', pfs: [kept] });
    expect(c!.title).toBe(`${PF}: VF 0: the vfio-pci binding is lost at reboot: nothing keeps it at boot`);
    expect(c!.evidence[1]).toEqual({ path: '/etc/systemd/network/70-vfmap-ens1f0.link', value: 'written' });
  });

  it('says nothing of a PF that boot brings back', () => {
    const files = handFiles({ 'sys/bus/pci/devices': { dir: true } });
    expect(notKeptCheck(files, handTopology({ pfs: [handPf(PF, { numVfs: 8 })] }), { host: 'h', pfs: [persistence({ lostAtReboot: false })] })).toEqual([]);
  });
});
