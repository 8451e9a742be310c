import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { filterGraph } from './graphFiltering';
import { buildGraphModel } from './graphModel';
import { layoutGraph, type Box } from './graphLayout';
import { cornerBox, placeMinimap } from './minimapPlacement';

const size = { w: 210, h: 120 };
const card = (b: Box) => ({ ...b, id: 'c', card: null as never, header: b });
const vm = (b: Box) => ({ ...b, id: 'v', vm: null as never, compact: false });

describe('placeMinimap', () => {
  it('stays bottom right when nothing is drawn there', () => {
    const layout = { cards: [card({ x: 0, y: 0, w: 300, h: 200 })], vms: [] };
    expect(placeMinimap(layout, { x: 0, y: 0, k: 1, width: 1000, height: 700 }, size)).toBe('bottom-right');
  });

  it('moves to the free bottom-left corner when a VM stands bottom right', () => {
    const layout = { cards: [card({ x: 0, y: 0, w: 300, h: 200 })], vms: [vm({ x: 800, y: 600, w: 150, h: 50 })] };
    expect(placeMinimap(layout, { x: 0, y: 0, k: 1, width: 1000, height: 700 }, size)).toBe('bottom-left');
  });

  it('folds away when every corner would cover something drawn', () => {
    const layout = { cards: [card({ x: 0, y: 0, w: 1000, h: 700 })], vms: [] };
    expect(placeMinimap(layout, { x: 0, y: 0, k: 1, width: 1000, height: 700 }, size)).toBe('folded');
  });

  it('places by where things are on screen: zoomed and panned, a VM out of view no longer counts', () => {
    const layout = { cards: [], vms: [vm({ x: 800, y: 600, w: 150, h: 50 })] };
    expect(placeMinimap(layout, { x: -2000, y: 0, k: 2, width: 1000, height: 700 }, size)).toBe('bottom-right');
  });

  it('never covers the VMs of the lab graph at 1280×720, fitted to the width', () => {
    const l = layoutGraph(filterGraph(buildGraphModel(labTopology()), { onlyFree: false, expansion: new Map(), search: null }));
    const view = { width: 1280 - 380, height: 720 - 200 };
    const k = Math.min(1, view.width / l.width);
    const t = { x: (view.width - l.width * k) / 2, y: 0, k, ...view };
    const place = placeMinimap(l, t, size);
    if (place === 'folded') return;
    const box = cornerBox(place, size, view);
    for (const v of l.vms) {
      const s = { x: v.x * k + t.x, y: v.y * k, w: v.w * k, h: v.h * k };
      expect(s.x < box.x + box.w && box.x < s.x + s.w && s.y < box.y + box.h && box.y < s.y + s.h).toBe(false);
    }
  });
});
