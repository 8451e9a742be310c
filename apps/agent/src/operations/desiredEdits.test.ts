import { describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { desiredWithAutoprobe, desiredWithVfDriver } from './desiredEdits';

const pf = { numVfs: 4, vendorId: '8086', deviceId: '10c9' };
const T0 = '2026-12-06T10:00:00.000Z';
const T1 = '2026-12-06T11:00:00.000Z';
const kept: DesiredPfState = {
  count: 7,
  vendorId: '8086',
  deviceId: '10c9',
  setAt: T0,
  stableMacs: true,
  driversAutoprobe: null,
  vfs: [{ index: 2, settings: { vlan: 100 }, driver: null }],
};

describe('the desired state a driver change keeps', () => {
  it('starts from the PF as it is when nothing is kept: its live count, nothing else managed', () => {
    expect(desiredWithVfDriver(null, pf, 1, 'vfio-pci', T1)).toEqual({
      count: 4,
      vendorId: '8086',
      deviceId: '10c9',
      setAt: T1,
      stableMacs: false,
      driversAutoprobe: null,
      vfs: [{ index: 1, settings: {}, driver: 'vfio-pci' }],
    });
  });

  it('keeps the count, the other VFs and the VF\'s own settings, in index order', () => {
    const next = desiredWithVfDriver(kept, pf, 0, 'vfio-pci', T1);
    expect(next).toMatchObject({ count: 7, stableMacs: true, setAt: T1 });
    expect(next.vfs).toEqual([
      { index: 0, settings: {}, driver: 'vfio-pci' },
      { index: 2, settings: { vlan: 100 }, driver: null },
    ]);
    expect(desiredWithVfDriver(kept, pf, 2, 'vfio-pci', T1).vfs).toEqual([{ index: 2, settings: { vlan: 100 }, driver: 'vfio-pci' }]);
  });

  it('drops a VF that has nothing left to keep once it is back on its host driver, and keeps one with settings', () => {
    const bound = desiredWithVfDriver(kept, pf, 0, 'vfio-pci', T1);
    expect(desiredWithVfDriver(bound, pf, 0, null, T1).vfs).toEqual([{ index: 2, settings: { vlan: 100 }, driver: null }]);
    expect(desiredWithVfDriver(kept, pf, 2, null, T1).vfs).toEqual([{ index: 2, settings: { vlan: 100 }, driver: null }]);
  });
});

describe('the desired state an autoprobe change keeps', () => {
  it('sets driversAutoprobe and leaves the rest', () => {
    expect(desiredWithAutoprobe(kept, pf, false, T1)).toEqual({ ...kept, setAt: T1, driversAutoprobe: false });
    expect(desiredWithAutoprobe(null, pf, true, T1)).toMatchObject({ count: 4, driversAutoprobe: true, vfs: [] });
  });
});
