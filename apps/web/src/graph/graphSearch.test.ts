import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { buildGraphModel } from './graphModel';
import { searchGraph } from './graphSearch';

describe('searchGraph', () => {
  const model = buildGraphModel(labTopology());

  it('finds a VF by a short PCI address and opens its PF', () => {
    const r = searchGraph(model, '3b:02.1')!;
    expect(r.ordered).toEqual(['vf:0000:3b:02.1']);
    expect([...r.pfsToExpand]).toEqual(['0000:3b:00.0']);
  });

  it('finds every function of a slot, card first', () => {
    const r = searchGraph(model, '0000:af:00')!;
    expect(r.ordered.slice(0, 3)).toEqual(['card:0000:af:00', 'pf:0000:af:00.0', 'pf:0000:af:00.1']);
  });

  it('finds a VM by name, case-insensitively, and by exact id', () => {
    expect(searchGraph(model, 'NFV')!.ordered).toEqual(['vm:110']);
    expect(searchGraph(model, '120')!.ordered).toContain('vm:120');
  });

  it('finds a PF by its netdev and a VF by its MAC in any notation', () => {
    const byNetdev = searchGraph(model, 'eno1')!.ordered;
    expect(byNetdev[0]).toBe('pf:0000:d8:00.0');
    expect(searchGraph(model, 'ens3f0np0v5')!.ordered).toEqual(['vf:0000:af:00.7']);
    const vf = model.vfByAddress.get('0000:3b:05.0')!;
    const mac = vf.vf.netdevs[0]!.mac!;
    expect(searchGraph(model, mac.toUpperCase())!.ordered).toEqual(['vf:0000:3b:05.0']);
    const cisco = mac.replace(/:/g, '').replace(/(.{4})(?!$)/g, '$1.');
    expect(searchGraph(model, cisco)!.ordered).toEqual(['vf:0000:3b:05.0']);
  });

  it('does not match MAC bytes with a partial PCI address', () => {
    expect(searchGraph(model, 'd8:11')!.ordered.every((id) => id.includes('d8:11'))).toBe(true);
  });

  it('has no result for an empty query', () => {
    expect(searchGraph(model, '   ')).toBeNull();
  });
});
