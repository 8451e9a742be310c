import { describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { stableVfMacs } from './stableMacs';
import { withStableMacs } from './stableMacsDesired';

const MACS = stableVfMacs('pve1', '3c:fd:fe:00:00:01', 8);
const NOW = new Date('2026-12-06T17:00:00Z');

describe('withStableMacs: the desired state with stable MACs switched', () => {
  it('on: each VF below the count keeps its stable MAC, with its other settings and driver', () => {
    const base: DesiredPfState = { count: 2, vendorId: '8086', deviceId: '1572', setAt: 'x', stableMacs: false, driversAutoprobe: false, vfs: [{ index: 1, settings: { trust: true }, driver: 'vfio-pci' }] };
    expect(withStableMacs(base, true, MACS, NOW).vfs).toEqual([
      { index: 0, settings: { mac: MACS[0] }, driver: null },
      { index: 1, settings: { trust: true, mac: MACS[1] }, driver: 'vfio-pci' },
    ]);
  });

  it('off: drops the stable MACs, keeps a MAC set by hand, and VFs left with nothing kept', () => {
    const base: DesiredPfState = { count: 3, vendorId: '8086', deviceId: '1572', setAt: 'x', stableMacs: true, driversAutoprobe: null, vfs: [
      { index: 0, settings: { mac: MACS[0]! }, driver: null },
      { index: 1, settings: { mac: '02:00:00:00:00:01' }, driver: null },
      { index: 2, settings: { mac: MACS[2]! }, driver: 'vfio-pci' },
    ] };
    expect(withStableMacs(base, false, MACS, NOW)).toMatchObject({ stableMacs: false, setAt: NOW.toISOString(), vfs: [
      { index: 1, settings: { mac: '02:00:00:00:00:01' }, driver: null },
      { index: 2, settings: {}, driver: 'vfio-pci' },
    ] });
  });
});
