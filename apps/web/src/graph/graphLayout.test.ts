import { describe, expect, it } from 'vitest';
import { labTopology, largeTopology } from '../test/fixtures';
import { filterGraph, type ViewOptions } from './graphFiltering';
import { buildGraphModel } from './graphModel';
import { edgePath, GEOMETRY, layoutGraph, type Box } from './graphLayout';

const defaults: ViewOptions = { onlyFree: false, expansion: new Map(), search: null };

function layoutOf(topology = labTopology(), options: ViewOptions = defaults) {
  return layoutGraph(filterGraph(buildGraphModel(topology), options));
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('layoutGraph', () => {
  it('lays the same topology out identically on every refetch', () => {
    const a = layoutOf();
    const b = layoutOf(labTopology());
    expect(b.nodes.map((n) => [n.id, n.x, n.y])).toEqual(a.nodes.map((n) => [n.id, n.x, n.y]));
  });

  it('puts cards inside their lane and PFs inside their card, lanes stacked without overlap', () => {
    const l = layoutOf();
    for (const card of l.cards) {
      const lane = l.lanes.find((ln) => ln.node === card.card.numaNode)!;
      expect(inside(card, lane)).toBe(true);
    }
    for (const pf of l.pfs) expect(inside(pf.label, l.cards.find((c) => c.id === pf.pf.cardId)!)).toBe(true);
    expect(overlaps(l.lanes[0]!, l.lanes[1]!)).toBe(false);
  });

  it('reads left to right: card, PF label, slots, VMs', () => {
    const l = layoutOf(labTopology(), { ...defaults, expansion: new Map([['0000:3b:00.0', true]]) });
    const pf = l.pfs.find((p) => p.address === '0000:3b:00.0')!;
    const card = l.cards.find((c) => c.id === '0000:3b:00')!;
    expect(card.x).toBeLessThan(pf.label.x);
    expect(pf.label.x + pf.label.w).toBeLessThan(pf.cells[0]!.x);
    const slotsRight = Math.max(...pf.cells.map((c) => c.x));
    expect(l.vms.every((vm) => vm.x > slotsRight)).toBe(true);
  });

  it('puts one slot per VF index, 32 to a row, and labels each row by its first index', () => {
    const l = layoutOf(labTopology(), { ...defaults, expansion: new Map([['0000:3b:00.0', true]]) });
    const pf = l.pfs.find((p) => p.address === '0000:3b:00.0')!;
    expect(pf.cells).toHaveLength(64);
    expect(pf.rows.map((r) => r.index)).toEqual([0, 32]);
    expect(pf.cells[32]!.x).toBe(pf.cells[0]!.x);
    expect(pf.cells[32]!.y).toBeGreaterThan(pf.cells[31]!.y);
  });

  it('draws a collapsed PF as a bar with no slots, and says why a PF has none', () => {
    const l = layoutOf();
    const collapsed = l.pfs.find((p) => p.address === '0000:3b:00.0')!;
    expect(collapsed.bar).not.toBeNull();
    expect(collapsed.cells).toEqual([]);
    const off = l.pfs.find((p) => p.address === '0000:af:00.1')!;
    expect(off.note).toBe('SR-IOV off: 0 of 16 VFs enabled');
  });

  it('draws one edge per VM and strip row, bundled into the VM', () => {
    const l = layoutOf();
    const router = l.edges.filter((e) => e.vmId === '110');
    expect(router.map((e) => [e.pf, e.count])).toEqual([
      ['0000:3b:00.0', 4],
      ['0000:af:00.0', 2],
    ]);
    const vm = l.vms.find((v) => v.id === '110')!;
    for (const e of router) {
      expect(e.target).toEqual({ x: vm.x, y: vm.y + vm.h / 2 });
      expect(e.bundle.y).toBe(e.target.y);
    }
    expect(edgePath(router[0]!)).toMatch(/^M.*C.*L/);
  });

  it('starts an edge at the held VF\'s slot, not at the end of the strip', () => {
    const l = layoutOf(labTopology(), { ...defaults, expansion: new Map([['0000:3b:00.0', true]]) });
    const pf = l.pfs.find((p) => p.address === '0000:3b:00.0')!;
    for (const e of l.edges.filter((x) => x.pf === pf.address)) {
      const cells = pf.cells.filter((c) => e.vfs.includes(c.address));
      const first = cells.reduce((a, b) => (b.x < a.x ? b : a));
      const last = cells.reduce((a, b) => (b.x > a.x ? b : a));
      expect(e.start).toEqual({ x: first.x + GEOMETRY.cell / 2, y: first.y + GEOMETRY.cell / 2 });
      expect(e.source).toEqual({ x: last.x + GEOMETRY.cell, y: last.y + GEOMETRY.cell / 2 });
      expect(edgePath(e).startsWith(`M${e.start.x},${e.start.y}`)).toBe(true);
    }
  });

  it('starts the edge of a collapsed PF at its VM\'s slices of the bar\'s held segment', () => {
    const l = layoutOf();
    const pf = l.pfs.find((p) => p.address === '0000:3b:00.0')!;
    const bar = pf.bar!;
    const c = pf.pf.counts;
    const heldFrom = bar.x + (bar.w * c.free) / c.total;
    const heldTo = heldFrom + (bar.w * c.held) / c.total;
    const edges = l.edges.filter((e) => e.pf === pf.address);
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) {
      expect(e.start.y).toBe(bar.y + bar.h / 2);
      expect(e.start.x).toBeGreaterThan(heldFrom);
      expect(e.source.x).toBeLessThan(heldTo);
      expect(e.start.x).toBeLessThanOrEqual(e.source.x);
    }
    // Different VMs begin at different places in the bar.
    expect(new Set(edges.map((e) => e.start.x)).size).toBe(edges.length);
  });

  it('stacks VMs without overlap, holders level with their slots, idle VMs last', () => {
    const l = layoutOf();
    for (let i = 1; i < l.vms.length; i++) {
      expect(l.vms[i]!.y).toBeGreaterThanOrEqual(l.vms[i - 1]!.y + GEOMETRY.vmH);
    }
    expect(l.vms.at(-1)!.id).toBe('130');
  });

  it('lays out the large profile, expanded, with a box for every one of 2048 slots', () => {
    const topology = largeTopology();
    const expansion = new Map(topology.pfs.map((p) => [p.address, true]));
    const l = layoutOf(topology, { ...defaults, expansion });
    expect(l.pfs.reduce((n, p) => n + p.cells.length, 0)).toBe(2048);
    expect(new Set(l.nodes.map((n) => n.id)).size).toBe(l.nodes.length);
  });
});

describe('layoutGraph with many VMs', () => {
  it('keeps a long VM column within the cards\' height when it fits, in order and without overlap', () => {
    const l = layoutOf(largeTopology());
    const lanesBottom = Math.max(...l.lanes.map((ln) => ln.y + ln.h));
    const column = l.vms.filter((v) => l.edges.some((e) => e.vmId === v.id));
    for (let i = 1; i < column.length; i++) expect(column[i]!.y).toBeGreaterThanOrEqual(column[i - 1]!.y + column[i - 1]!.h);
    const needed = column.length * (GEOMETRY.vmHCompact + GEOMETRY.vmGapCompact);
    expect(column.at(-1)!.y + column.at(-1)!.h).toBeLessThanOrEqual(Math.max(lanesBottom, GEOMETRY.margin + GEOMETRY.laneHeader + needed) + 0.001);
    expect(column[0]!.y).toBeGreaterThanOrEqual(GEOMETRY.margin + GEOMETRY.laneHeader);
  });
});
