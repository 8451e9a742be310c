import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { filterGraph } from './graphFiltering';
import { buildGraphModel } from './graphModel';
import { layoutGraph } from './graphLayout';
import { cssFor, outlineCss, relatedTo } from './highlight';

describe('relatedTo', () => {
  const model = buildGraphModel(labTopology());
  const layout = layoutGraph(filterGraph(model, { onlyFree: false, expansion: new Map(), search: null }));

  it('lights a held VF, its PF, its VM and the edge that carries it', () => {
    const r = relatedTo(model, layout, 'vf:0000:af:00.2');
    expect(r.nodes).toEqual(new Set(['vf:0000:af:00.2', 'pf:0000:af:00.0', 'bar:0000:af:00.0', 'vm:110']));
    expect([...r.edges]).toEqual(['0000:af:00.0|row' + layout.pfs.find((p) => p.address === '0000:af:00.0')!.cells[0]!.y + '|110']);
  });

  it('lights the IOMMU group members of a VF that shares its group', () => {
    const r = relatedTo(model, layout, 'vf:0000:d8:10.0');
    expect(r.nodes.has('pf:0000:d8:00.0')).toBe(true);
    expect(r.nodes.has('pf:0000:d8:00.1')).toBe(true);
    expect(r.nodes.has('vf:0000:d8:10.4')).toBe(true);
  });

  it('lights everything a VM holds, across PFs', () => {
    const r = relatedTo(model, layout, 'vm:110');
    expect(r.nodes.has('vf:0000:3b:02.0')).toBe(true);
    expect(r.nodes.has('bar:0000:3b:00.0')).toBe(true);
    expect(r.nodes.has('vf:0000:af:00.3')).toBe(true);
    expect(r.edges.size).toBe(2);
  });

  it('lights a PF with its card, slots and the VMs that hold them', () => {
    const r = relatedTo(model, layout, 'pf:0000:3b:00.1');
    expect(r.nodes.has('card:0000:3b:00')).toBe(true);
    expect(r.nodes.has('vf:0000:3b:12.5')).toBe(true);
    expect(r.nodes.has('vm:120')).toBe(true);
    expect(r.nodes.has('vm:110')).toBe(false);
  });
});

describe('cssFor', () => {
  it('quotes ids so that an odd VM id cannot break the rule', () => {
    expect(cssFor('.g', ['vm:a"b'], ['e1'], 'opacity: 1')).toBe('.g [data-node="vm:a\\"b"],\n.g [data-edge="e1"] { opacity: 1 }');
    expect(cssFor('.g', [], [], 'opacity: 1')).toBe('');
  });
});

describe('outlineCss', () => {
  it('reaches both a slot and the box of a node group', () => {
    expect(outlineCss('.g', ['vf:0000:3b:02.0'], 'stroke: blue')).toBe(
      '.g [data-node="vf:0000:3b:02.0"].cell,\n.g [data-node="vf:0000:3b:02.0"] > .box { stroke: blue }',
    );
  });
});
