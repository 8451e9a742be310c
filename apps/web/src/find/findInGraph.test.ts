import { describe, expect, it } from 'vitest';
import { buildGraphModel } from '../graph/graphModel';
import { labTopology, labVf } from '../test/fixtures';
import { findInGraph } from './findInGraph';

describe('findInGraph', () => {
  const model = buildGraphModel(labTopology());
  const vfs = (query: string) => findInGraph(model, query)!.ordered.filter((id) => id.startsWith('vf:'));

  it('finds the free VFs of NUMA node 1, keeps their PF, card and VMs lit and opens their PF', () => {
    const r = findInGraph(model, 'numa:1 free')!;
    const expected = Array.from({ length: 13 }, (_, i) => `vf:${labVf.cx6p0(i + 3)}`);
    expect(r.ordered).toEqual(expected);
    expect([...r.pfsToExpand]).toEqual(['0000:af:00.0']);
    expect(r.lit.has('pf:0000:af:00.0')).toBe(true);
    expect(r.lit.has('card:0000:af:00')).toBe(true);
    expect(r.lit.has('pf:0000:3b:00.0')).toBe(false);
    expect(r.errors).toEqual([]);
  });

  it('keeps the VM of a found held VF lit, with its edge', () => {
    const r = findInGraph(model, 'vm:db-01')!;
    expect(r.ordered).toEqual([`vf:${labVf.e810p0(6)}`, `vf:${labVf.cx6p0(2)}`, 'vm:102']);
    expect(r.lit.has('vm:102')).toBe(true);
    expect([...r.litHoldings].sort()).toEqual(['102 0000:3b:00.0', '102 0000:af:00.0']);
  });

  it('finds by speed: 100G is the E810 port that is up, >=25G adds the ConnectX ports', () => {
    expect(findInGraph(model, '100G')!.ordered.filter((id) => id.startsWith('pf:'))).toEqual(['pf:0000:3b:00.0']);
    expect(vfs('speed:100G')).toHaveLength(64);
    expect(vfs('speed:>=25G')).toHaveLength(64 + 16);
    expect(vfs('speed:<10G')).toHaveLength(7);
  });

  it('finds by driver, vendor and model, as bare words too', () => {
    expect(vfs('driver:mlx5_core')).toHaveLength(13);
    expect(vfs('mlx5')).toEqual(vfs('driver:mlx5_core'));
    expect(vfs('vendor:intel')).toHaveLength(64 + 8 + 7);
    expect(vfs('intel')).toEqual(vfs('vendor:intel'));
    expect(vfs('model:E810')).toHaveLength(64 + 8);
    expect(vfs('e810')).toEqual(vfs('model:E810'));
    expect(findInGraph(model, 'e810')!.ordered[0]).toBe('card:0000:3b:00');
  });

  it('finds by IOMMU group, vfio-pci and held', () => {
    expect(vfs('group:62')).toHaveLength(7);
    expect(vfs('vfio')).toEqual(vfs('held'));
    expect(vfs('held numa:1')).toEqual([`vf:${labVf.cx6p0(0)}`, `vf:${labVf.cx6p0(1)}`, `vf:${labVf.cx6p0(2)}`, `vf:${labVf.i350p0(3)}`]);
  });

  it('finds as the old search did: a short address, a slot card first, a VM by name or id, a MAC', () => {
    expect(findInGraph(model, '3b:02.1')!.ordered).toEqual(['vf:0000:3b:02.1']);
    expect(findInGraph(model, '0000:af:00')!.ordered.slice(0, 3)).toEqual(['card:0000:af:00', 'pf:0000:af:00.0', 'pf:0000:af:00.1']);
    expect(findInGraph(model, 'NFV')!.ordered).toEqual(['vm:110']);
    expect(findInGraph(model, '120')!.ordered).toContain('vm:120');
    const mac = model.vfByAddress.get('0000:3b:05.0')!.vf.netdevs[0]!.mac!;
    expect(findInGraph(model, mac.toUpperCase())!.ordered).toEqual(['vf:0000:3b:05.0']);
    expect(findInGraph(model, 'ens3f0np0v5')!.ordered).toEqual(['vf:0000:af:00.7']);
  });

  it('says what it did not understand, finds nothing and dims nothing when nothing else is asked', () => {
    const r = findInGraph(model, 'numa:x')!;
    expect(r.errors.map((e) => e.source)).toEqual(['numa:x']);
    expect(r.ordered).toEqual([]);
    expect(r.terms).toEqual([]);
  });

  it('still applies the terms it understood beside one it did not', () => {
    const r = findInGraph(model, 'numa:1 free speed:fast')!;
    expect(r.errors).toHaveLength(1);
    expect(r.ordered).toHaveLength(13);
  });

  it('has no result for an empty query', () => {
    expect(findInGraph(model, '  ')).toBeNull();
  });
});

describe('findInGraph: what the earlier plain search found, it still finds', () => {
  const model = buildGraphModel(labTopology());

  it('finds a VF by a short PCI address and opens its PF', () => {
    const r = findInGraph(model, '3b:02.1')!;
    expect(r.ordered).toEqual(['vf:0000:3b:02.1']);
    expect([...r.pfsToExpand]).toEqual(['0000:3b:00.0']);
  });

  it('finds every function of a slot, card first', () => {
    const r = findInGraph(model, '0000:af:00')!;
    expect(r.ordered.slice(0, 3)).toEqual(['card:0000:af:00', 'pf:0000:af:00.0', 'pf:0000:af:00.1']);
  });

  it('finds a VM by name, case-insensitively, and by exact id', () => {
    expect(findInGraph(model, 'NFV')!.ordered).toEqual(['vm:110']);
    expect(findInGraph(model, '120')!.ordered).toContain('vm:120');
  });

  it('finds a PF by its netdev and a VF by its MAC in any notation', () => {
    const byNetdev = findInGraph(model, 'eno1')!.ordered;
    expect(byNetdev[0]).toBe('pf:0000:d8:00.0');
    expect(findInGraph(model, 'ens3f0np0v5')!.ordered).toEqual(['vf:0000:af:00.7']);
    const vf = model.vfByAddress.get('0000:3b:05.0')!;
    const mac = vf.vf.netdevs[0]!.mac!;
    expect(findInGraph(model, mac.toUpperCase())!.ordered).toEqual(['vf:0000:3b:05.0']);
    const cisco = mac.replace(/:/g, '').replace(/(.{4})(?!$)/g, '$1.');
    expect(findInGraph(model, cisco)!.ordered).toEqual(['vf:0000:3b:05.0']);
  });

  it('does not match MAC bytes with a partial PCI address', () => {
    expect(findInGraph(model, 'd8:11')!.ordered.every((id) => id.includes('d8:11'))).toBe(true);
  });

  it('has no result for an empty query', () => {
    expect(findInGraph(model, '   ')).toBeNull();
  });
});
