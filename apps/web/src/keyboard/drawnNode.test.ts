import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { filterGraph } from '../graph/graphFiltering';
import { buildGraphModel } from '../graph/graphModel';
import { layoutGraph } from '../graph/graphLayout';
import { drawnNode } from './drawnNode';

const model = buildGraphModel(labTopology());
function layoutWith(expanded: string[]) {
  return layoutGraph(filterGraph(model, { onlyFree: false, expansion: new Map(expanded.map((a) => [a, true])), search: null }));
}

describe('drawnNode', () => {
  it('is the item itself when it is drawn', () => {
    const layout = layoutWith(['0000:3b:00.0']);
    expect(drawnNode(layout, model, 'vf:0000:3b:02.0')).toBe('vf:0000:3b:02.0');
    expect(drawnNode(layout, model, 'pf:0000:3b:00.0')).toBe('pf:0000:3b:00.0');
    expect(drawnNode(layout, model, 'vm:120')).toBe('vm:120');
  });

  it('stands a VF of a collapsed PF by the PF\'s bar, and a bar of an expanded PF by its label', () => {
    expect(drawnNode(layoutWith([]), model, 'vf:0000:3b:02.0')).toBe('bar:0000:3b:00.0');
    expect(drawnNode(layoutWith(['0000:3b:00.0']), model, 'bar:0000:3b:00.0')).toBe('pf:0000:3b:00.0');
  });

  it('is null for what is not on the graph at all', () => {
    const layout = layoutWith([]);
    expect(drawnNode(layout, model, 'vf:0000:99:00.1')).toBeNull();
    expect(drawnNode(layout, model, 'vm:no-such-vm')).toBeNull();
  });
});
