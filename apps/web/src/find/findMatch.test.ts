import { describe, expect, it } from 'vitest';
import { matchAll, matchTerm, type FindSubject } from './findMatch';
import { parseFindQuery } from './findQuery';

/** A ConnectX-6 VF on NUMA node 1, on a 25G port, bound to mlx5_core, held by VM 101 "web-01". */
const vf: FindSubject = {
  address: '0000:af:00.2',
  numaNode: 1,
  speedMbps: 25_000,
  driver: 'mlx5_core',
  vendorNames: ['Mellanox Technologies', 'Mellanox', '15b3'],
  modelNames: ['MT2892 Family [ConnectX-6 Dx]', 'ConnectX-6 Dx', '101e'],
  state: 'assigned',
  vm: { id: '101', name: 'web-01' },
  iommuGroup: 180,
  netdevs: [{ name: 'ens3f0np0v0', mac: '52:54:00:01:02:03' }],
};
const freeVf: FindSubject = { ...vf, address: '0000:3b:02.1', state: 'free', vm: null, driver: 'vfio-pci', netdevs: [] };
const vm: FindSubject = { vm: { id: '101', name: 'web-01' } };

const holds = (query: string, subject: FindSubject) => {
  const q = parseFindQuery(query);
  expect(q.errors).toEqual([]);
  return matchAll(q.terms, subject);
};

describe('matchTerm: each key', () => {
  it('numa: the node, exactly', () => {
    expect(holds('numa:1', vf)).toBe(true);
    expect(holds('numa:0', vf)).toBe(false);
    expect(holds('numa:1', { ...vf, numaNode: null })).toBe(false);
  });

  it('speed: equal, at least, above, below and at most', () => {
    expect(holds('speed:25G', vf)).toBe(true);
    expect(holds('speed:100G', vf)).toBe(false);
    expect(holds('speed:>=25G', vf)).toBe(true);
    expect(holds('speed:>25G', vf)).toBe(false);
    expect(holds('speed:<100G', vf)).toBe(true);
    expect(holds('speed:<=10G', vf)).toBe(false);
    expect(holds('25G', vf)).toBe(true);
  });

  it('speed: a port without a link speed matches no speed, not even "below"', () => {
    expect(holds('speed:<10G', { ...vf, speedMbps: null })).toBe(false);
  });

  it('driver: part of the bound driver', () => {
    expect(holds('driver:mlx5_core', vf)).toBe(true);
    expect(holds('driver:mlx5', vf)).toBe(true);
    expect(holds('driver:iavf', vf)).toBe(false);
    expect(holds('driver:mlx5', { ...vf, driver: null })).toBe(false);
  });

  it('vendor: part of the name as pci.ids has it or shortened, or the id', () => {
    expect(holds('vendor:mellanox', vf)).toBe(true);
    expect(holds('vendor:15b3', vf)).toBe(true);
    expect(holds('vendor:intel', vf)).toBe(false);
  });

  it('model: any part of the pci.ids name, or the device id', () => {
    expect(holds('model:connectx-6', vf)).toBe(true);
    expect(holds('model:MT2892', vf)).toBe(true);
    expect(holds('model:101e', vf)).toBe(true);
    expect(holds('model:E810', vf)).toBe(false);
  });

  it('vm: the holder by id exactly, or by part of its name', () => {
    expect(holds('vm:101', vf)).toBe(true);
    expect(holds('vm:10', vf)).toBe(false);
    expect(holds('vm:web', vf)).toBe(true);
    expect(holds('vm:web', freeVf)).toBe(false);
    expect(holds('vm:web', vm)).toBe(true);
  });

  it('group: the IOMMU group', () => {
    expect(holds('group:180', vf)).toBe(true);
    expect(holds('group:18', vf)).toBe(false);
  });

  it('free, held and vfio: the state and the driver', () => {
    expect(holds('free', freeVf)).toBe(true);
    expect(holds('free', vf)).toBe(false);
    expect(holds('held', vf)).toBe(true);
    expect(holds('held', freeVf)).toBe(false);
    expect(holds('held', { ...vf, state: 'unavailable' })).toBe(false);
    expect(holds('vfio', freeVf)).toBe(true);
    expect(holds('vfio', vf)).toBe(false);
  });

  it('a thing without the fact does not match a term about it', () => {
    for (const q of ['numa:1', 'free', 'held', 'driver:mlx5', 'speed:25G', 'group:180', 'vfio', 'model:connectx']) expect(holds(q, vm)).toBe(false);
  });
});

describe('matchTerm: bare words', () => {
  it('find a PCI address or its prefix', () => {
    expect(holds('0000:af:00.2', vf)).toBe(true);
    expect(holds('af:00', vf)).toBe(true);
    expect(holds('af:01', vf)).toBe(false);
  });

  it('find an interface name and a MAC, also without separators', () => {
    expect(holds('ens3f0np0v0', vf)).toBe(true);
    expect(holds('52:54:00:01:02:03', vf)).toBe(true);
    expect(holds('5254.0001.0203', vf)).toBe(true);
    expect(holds('525400010203', vf)).toBe(true);
  });

  it('do not find MAC bytes with a partial PCI address written without colons', () => {
    expect(holds('0102', vf)).toBe(false);
  });

  it('find the driver, vendor and model: mlx5, mellanox, connectx', () => {
    expect(holds('mlx5', vf)).toBe(true);
    expect(holds('MELLANOX', vf)).toBe(true);
    expect(holds('connectx', vf)).toBe(true);
    expect(holds('e810', vf)).toBe(false);
  });

  it('find a VM by its name, but a VF only with vm:', () => {
    expect(holds('web-01', vm)).toBe(true);
    expect(holds('web-01', vf)).toBe(false);
    expect(matchTerm({ key: 'text', value: '101', source: '101' }, vm)).toBe(true);
  });
});

describe('matchAll', () => {
  it('holds when every term holds', () => {
    expect(holds('numa:1 held mlx5 speed:25G vm:web', vf)).toBe(true);
    expect(holds('numa:1 free', vf)).toBe(false);
    expect(holds('numa:1 free', freeVf)).toBe(true);
    expect(holds('numa:0 free', freeVf)).toBe(false);
  });

  it('holds for everything when there is no term', () => {
    expect(matchAll([], vf)).toBe(true);
  });
});
