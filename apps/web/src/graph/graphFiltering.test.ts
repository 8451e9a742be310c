import { describe, expect, it } from 'vitest';
import { labTopology, largeTopology } from '../test/fixtures';
import { filterGraph, type ViewOptions } from './graphFiltering';
import { buildGraphModel } from './graphModel';
import { findInGraph } from '../find/findInGraph';

const defaults: ViewOptions = { onlyFree: false, expansion: new Map(), search: null };

function pfOf(graph: ReturnType<typeof filterGraph>, address: string) {
  return graph.lanes.flatMap((l) => l.cards.flatMap((c) => c.pfs)).find((p) => p.node.address === address)!;
}

describe('filterGraph', () => {
  const model = buildGraphModel(labTopology());

  it('collapses a PF with more than 32 VFs and draws the small ones slot by slot', () => {
    const g = filterGraph(model, defaults);
    expect(pfOf(g, '0000:3b:00.0').collapsed).toBe(true);
    expect(pfOf(g, '0000:3b:00.0').cells).toEqual([]);
    expect(pfOf(g, '0000:3b:00.1').collapsed).toBe(false);
    expect(pfOf(g, '0000:3b:00.1').cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('opens a collapsed PF the operator expanded, and closes a small one they collapsed', () => {
    const g = filterGraph(model, {
      ...defaults,
      expansion: new Map([
        ['0000:3b:00.0', true],
        ['0000:3b:00.1', false],
      ]),
    });
    expect(pfOf(g, '0000:3b:00.0').cells).toHaveLength(64);
    expect(pfOf(g, '0000:3b:00.1').collapsed).toBe(true);
  });

  it('opens a collapsed PF that holds a search match, unless the operator closed it', () => {
    const search = findInGraph(model, '3b:02.1');
    expect(pfOf(filterGraph(model, { ...defaults, search }), '0000:3b:00.0').collapsed).toBe(false);
    const closed = filterGraph(model, { ...defaults, search, expansion: new Map([['0000:3b:00.0', false]]) });
    expect(pfOf(closed, '0000:3b:00.0').collapsed).toBe(true);
  });

  it('shows only free slots under the free filter, and no holdings', () => {
    const g = filterGraph(model, { ...defaults, onlyFree: true, expansion: new Map([['0000:3b:00.0', true]]) });
    const p0 = pfOf(g, '0000:3b:00.0');
    expect(p0.cells.every((c) => c.state === 'free')).toBe(true);
    expect(p0.cells).toHaveLength(46);
    expect(p0.hidden).toBe(18);
    expect(pfOf(g, '0000:d8:00.0').cells).toEqual([]);
    expect(g.holdings).toEqual([]);
  });

  it('groups what a VM holds per PF, one holding for a collapsed PF', () => {
    const g = filterGraph(model, defaults);
    const router = g.holdings.filter((h) => h.vmId === '110');
    expect(router.map((h) => [h.pf, h.kind, h.vfs.length])).toEqual([
      ['0000:3b:00.0', 'collapsed', 4],
      ['0000:af:00.0', 'vfs', 2],
    ]);
    expect(g.holdings.find((h) => h.vmId === '140')!.pending).toBe(true);
  });

  it('collapses every PF of the large profile by default', () => {
    const large = buildGraphModel(largeTopology());
    const g = filterGraph(large, defaults);
    expect(g.lanes.flatMap((l) => l.cards.flatMap((c) => c.pfs)).every((p) => p.collapsed && p.cells.length === 0)).toBe(true);
  });
});
