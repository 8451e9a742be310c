import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { filterGraph } from './graphFiltering';
import { buildGraphModel } from './graphModel';
import { layoutGraph } from './graphLayout';
import { neighbour } from './graphNavigation';

function layoutWith(expanded: string[]) {
  return layoutGraph(
    filterGraph(buildGraphModel(labTopology()), { onlyFree: false, expansion: new Map(expanded.map((a) => [a, true])), search: null }),
  );
}

describe('neighbour', () => {
  const layout = layoutWith(['0000:3b:00.0']);

  it('walks a strip slot by slot and row by row', () => {
    expect(neighbour(layout, 'vf:0000:3b:02.0', 'right')).toBe('vf:0000:3b:02.1');
    expect(neighbour(layout, 'vf:0000:3b:02.1', 'left')).toBe('vf:0000:3b:02.0');
    // VF 0 → VF 32, one row down: 0x3b10 + 32 = 0x3b30 = 3b:06.0
    expect(neighbour(layout, 'vf:0000:3b:02.0', 'down')).toBe('vf:0000:3b:06.0');
    expect(neighbour(layout, 'vf:0000:3b:06.0', 'up')).toBe('vf:0000:3b:02.0');
  });

  it('steps from a PF label to its first slot, and from the first slot back to the label', () => {
    expect(neighbour(layout, 'pf:0000:3b:00.1', 'right')).toBe('vf:0000:3b:12.0');
    expect(neighbour(layout, 'vf:0000:3b:12.0', 'left')).toBe('pf:0000:3b:00.1');
  });

  it('steps from the end of a row to the VM holding that slot, and back', () => {
    // VF 1 of E810 port 1 is the last one build-runner holds; the strip has 8 slots.
    expect(neighbour(layout, 'vf:0000:3b:12.7', 'right')).toMatch(/^vm:/);
    expect(neighbour(layout, 'vm:120', 'left')).toBe('vf:0000:3b:12.0');
  });

  it('leaves the bottom of a strip into the next PF strip', () => {
    expect(neighbour(layout, 'vf:0000:3b:09.7', 'down')).toBe('vf:0000:3b:12.7');
  });

  it('moves between cards and PFs vertically', () => {
    expect(neighbour(layout, 'card:0000:3b:00', 'down')).toBe('pf:0000:3b:00.0');
    expect(neighbour(layout, 'pf:0000:3b:00.0', 'down')).toBe('pf:0000:3b:00.1');
    expect(neighbour(layout, 'pf:0000:3b:00.1', 'down')).toBe('card:0000:af:00');
    expect(neighbour(layout, 'pf:0000:af:00.0', 'up')).toBe('card:0000:af:00');
  });

  it('enters a collapsed PF at its bar', () => {
    expect(neighbour(layoutWith([]), 'pf:0000:3b:00.0', 'right')).toBe('bar:0000:3b:00.0');
  });

  it('walks the VM column', () => {
    const first = layout.vms[0]!.id;
    const second = layout.vms[1]!.id;
    expect(neighbour(layout, `vm:${first}`, 'down')).toBe(`vm:${second}`);
    expect(neighbour(layout, `vm:${first}`, 'up')).toBeNull();
  });

  it('starts at the first node when nothing is focused, and stops at the edge', () => {
    expect(neighbour(layout, null, 'down')).toBe(layout.nodes[0]!.id);
    expect(neighbour(layout, 'card:0000:3b:00', 'up')).toBeNull();
  });
});
