import { describe, expect, it } from 'vitest';
import { cardIdOf, groupCards } from './cards';
import type { Pf } from './topology';

const pf = (address: string, numaNode: number | null, deviceId = '1592'): Pf => ({
  address,
  vendorId: '8086',
  deviceId,
  vendorName: 'Intel Corporation',
  deviceName: null,
  subsystemVendorId: null,
  subsystemDeviceId: null,
  class: '020000',
  driver: 'ice',
  driverOverride: null,
  netdevs: [],
  numaNode,
  iommuGroup: null,
  totalVfs: 8,
  numVfs: 0,
  vfDeviceId: null,
  offset: 8,
  stride: 1,
  driversAutoprobe: true,
  holder: null,
  vfs: [],
});

describe('cardIdOf', () => {
  it('names a function’s card by its domain:bus:device, whatever the domain width', () => {
    expect(cardIdOf('0000:3b:00.1')).toBe('0000:3b:00');
    expect(cardIdOf('10000:00:04.0')).toBe('10000:00:04');
  });
});

describe('groupCards', () => {
  it('puts the ports of one adapter on one card, and two adapters on a bus on two', () => {
    const cards = groupCards([pf('0000:3b:00.1', 0), pf('0000:3b:00.0', 0), pf('0000:3b:01.0', 0, '1572')]);
    expect(cards.map((c) => [c.id, c.pfs, c.deviceId])).toEqual([
      ['0000:3b:00', ['0000:3b:00.0', '0000:3b:00.1'], '1592'],
      ['0000:3b:01', ['0000:3b:01.0'], '1572'],
    ]);
  });

  it('lists every NUMA node the ports of a card report, once each, and none it does not know', () => {
    const [card] = groupCards([pf('0000:18:00.1', 1), pf('0000:18:00.0', 0), pf('0000:18:00.2', null), pf('0000:18:00.3', 1)]);
    expect(card!.numaNodes).toEqual([0, 1]);
  });

  it('orders cards numerically: bus 0a after bus 09, a five-digit domain after every four-digit one', () => {
    const cards = groupCards([pf('10000:00:04.0', null), pf('0000:0a:00.0', 0), pf('0000:09:00.0', 0)]);
    expect(cards.map((c) => c.id)).toEqual(['0000:09:00', '0000:0a:00', '10000:00:04']);
  });

  it('makes no card of no PFs', () => {
    expect(groupCards([])).toEqual([]);
  });
});
