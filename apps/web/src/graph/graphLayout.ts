import type { FilteredGraph, Holding, VisiblePf } from './graphFiltering';
import type { CardNode, PfNode, VfNode, VfState, VmNode } from './graphModel';
import { nodeId, type NodeId, type NodeKind } from './nodeId';

/**
 * Positions, left to right: NUMA lanes stacked top to bottom, each holding its cards as boxes
 * around their PFs; a PF is a label and a strip of VF slots (32 a row, like drive bays) or a
 * summary bar when collapsed; VMs in a column on the right, each at the height of what it holds,
 * with one bundled edge per PF row it holds slots in. Every position derives from addresses and
 * indexes only, so the same topology lays out the same way on every refetch.
 */

export const GEOMETRY = {
  margin: 16,
  cell: 14,
  gap: 3,
  columns: 32,
  laneHeader: 30,
  lanePad: 12,
  laneGap: 16,
  cardHeader: 30,
  cardPad: 12,
  pfGap: 10,
  pfLabelW: 250,
  pfLabelH: 62,
  /** room left of the strip for each row's first VF index. */
  axisW: 28,
  barH: 18,
  vmGutter: 190,
  vmW: 250,
  vmH: 52,
  vmGap: 10,
  /** with many VMs each gets less height, so the column stays near the height of the cards. */
  compactVmsAbove: 12,
  vmHCompact: 36,
  vmGapCompact: 6,
  bundle: 40,
} as const;

const PITCH = GEOMETRY.cell + GEOMETRY.gap;
export const STRIP_WIDTH = GEOMETRY.columns * PITCH - GEOMETRY.gap;

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LaneBox extends Box {
  node: number | null;
  label: string;
  free: number;
  total: number;
}

export interface CardBox extends Box {
  id: string;
  card: CardNode;
  header: Box;
}

export interface CellBox {
  address: string;
  index: number;
  x: number;
  y: number;
  state: VfState;
  pending: boolean;
  vf: VfNode;
}

export interface PfBox extends Box {
  address: string;
  pf: PfNode;
  visible: VisiblePf;
  label: Box;
  /** where the slots (or the bar, or the note) stand. */
  strip: Box;
  bar: Box | null;
  cells: CellBox[];
  /** the VF index the first slot of each row stands for, to label the rows. */
  rows: { index: number; y: number }[];
  /** said in place of slots: no VFs enabled, or none the filter lets through. */
  note: string | null;
}

export interface VmBox extends Box {
  id: string;
  vm: VmNode;
  compact: boolean;
}

export interface EdgeBox {
  id: string;
  vmId: string;
  pf: string;
  vfs: string[];
  count: number;
  pending: boolean;
  /** where the edge begins: the first VF it stands for (its slot, or its slice of a summary bar). */
  start: Point;
  /** where the curve leaves the strip: right of the last VF it stands for. */
  source: Point;
  bundle: Point;
  target: Point;
}

export interface NavNode extends Box {
  id: NodeId;
  kind: NodeKind;
}

export interface Layout {
  width: number;
  height: number;
  lanes: LaneBox[];
  cards: CardBox[];
  pfs: PfBox[];
  vms: VmBox[];
  edges: EdgeBox[];
  /** every node a person can focus, in reading order. */
  nodes: NavNode[];
  boxById: ReadonlyMap<NodeId, Box>;
}

function laneLabel(node: number | null, laneCount: number): string {
  if (node !== null) return `NUMA node ${node}`;
  return laneCount === 1 ? 'NUMA node not reported' : 'NUMA node not reported or mixed';
}

function noteFor(v: VisiblePf, onlyFree: boolean): string | null {
  const pf = v.node.pf;
  if (pf.holder) return `Passed through whole to ${pf.holder.vmName}`;
  if (v.node.vfs.length === 0) {
    return pf.totalVfs === 0 ? 'No VFs' : `SR-IOV off: 0 of ${pf.totalVfs} VFs enabled`;
  }
  if (!v.collapsed && v.cells.length === 0 && onlyFree) return 'No free VFs';
  return null;
}

export function layoutGraph(graph: FilteredGraph): Layout {
  const g = GEOMETRY;
  const cardW = g.cardPad + g.pfLabelW + g.axisW + STRIP_WIDTH + g.cardPad + 8;
  const laneW = g.lanePad * 2 + cardW;

  const lanes: LaneBox[] = [];
  const cards: CardBox[] = [];
  const pfs: PfBox[] = [];
  const nodes: NavNode[] = [];
  const boxById = new Map<NodeId, Box>();
  const addNode = (id: NodeId, kind: NodeKind, box: Box) => {
    nodes.push({ id, kind, ...box });
    boxById.set(id, box);
  };

  let y = g.margin;
  for (const lane of graph.lanes) {
    const laneY = y;
    y += g.laneHeader;
    let free = 0;
    let total = 0;
    for (const vc of lane.cards) {
      const cardY = y;
      const cardX = g.margin + g.lanePad;
      const header: Box = { x: cardX, y: cardY, w: cardW, h: g.cardHeader };
      addNode(nodeId.card(vc.node.id), 'card', header);
      y += g.cardHeader;
      for (const v of vc.pfs) {
        const pf = v.node;
        free += pf.counts.free;
        total += pf.counts.total;
        const rowY = y;
        const labelBox: Box = { x: cardX + g.cardPad, y: rowY, w: g.pfLabelW, h: g.pfLabelH };
        const stripX = labelBox.x + g.pfLabelW + g.axisW;
        const cells: CellBox[] = [];
        const rows: { index: number; y: number }[] = [];
        v.cells.forEach((vf, k) => {
          const col = k % g.columns;
          const row = Math.floor(k / g.columns);
          const cy = rowY + 4 + row * PITCH;
          if (col === 0) rows.push({ index: vf.index, y: cy });
          cells.push({ address: vf.address, index: vf.index, x: stripX + col * PITCH, y: cy, state: vf.state, pending: vf.pending, vf });
        });
        const stripH = rows.length > 0 ? rows.length * PITCH - g.gap : g.barH;
        const strip: Box = { x: stripX, y: rowY + 4, w: STRIP_WIDTH, h: stripH };
        const bar = v.collapsed && pf.vfs.length > 0 ? { x: stripX, y: rowY + 4, w: STRIP_WIDTH, h: g.barH } : null;
        // Room under the slots (or the bar) for the counts line.
        const h = Math.max(g.pfLabelH, stripH + 28);
        const box: PfBox = {
          address: pf.address,
          pf,
          visible: v,
          x: labelBox.x,
          y: rowY,
          w: cardW - 2 * g.cardPad,
          h,
          label: labelBox,
          strip,
          bar,
          cells,
          rows,
          note: noteFor(v, graph.onlyFree),
        };
        pfs.push(box);
        addNode(nodeId.pf(pf.address), 'pf', labelBox);
        if (bar) addNode(nodeId.bar(pf.address), 'bar', bar);
        for (const c of cells) addNode(nodeId.vf(c.address), 'vf', { x: c.x, y: c.y, w: g.cell, h: g.cell });
        y += h + g.pfGap;
      }
      y += g.cardPad - g.pfGap;
      const card: CardBox = { id: vc.node.id, card: vc.node, x: cardX, y: cardY, w: cardW, h: y - cardY, header };
      cards.push(card);
      y += g.lanePad;
    }
    lanes.push({ node: lane.node, label: laneLabel(lane.node, graph.lanes.length), free, total, x: g.margin, y: laneY, w: laneW, h: y - laneY });
    y += g.laneGap;
  }
  const lanesBottom = y - g.laneGap;

  const pfBoxByAddress = new Map(pfs.map((p) => [p.address, p]));
  const vmX = g.margin + laneW + g.vmGutter;
  const sources = graph.holdings.flatMap((h) => edgeSources(h, pfBoxByAddress.get(h.pf)!));

  const wanted = new Map<string, { sum: number; n: number }>();
  for (const s of sources) {
    const w = wanted.get(s.holding.vmId) ?? { sum: 0, n: 0 };
    w.sum += s.point.y * s.vfs.length;
    w.n += s.vfs.length;
    wanted.set(s.holding.vmId, w);
  }
  // VMs stand level with what they hold (fewest crossings); VMs that hold nothing visible follow.
  const holding = graph.vms.filter((vm) => wanted.has(vm.id));
  const idle = graph.vms.filter((vm) => !wanted.has(vm.id));
  const centre = (vm: VmNode) => {
    const w = wanted.get(vm.id)!;
    return w.sum / w.n;
  };
  holding.sort((a, b) => centre(a) - centre(b) || compareVmIds(a.id, b.id));
  idle.sort((a, b) => compareVmIds(a.id, b.id));
  const compact = graph.vms.length > g.compactVmsAbove;
  const vmH = compact ? g.vmHCompact : g.vmH;
  const vmGap = compact ? g.vmGapCompact : g.vmGap;
  const vms: VmBox[] = [];
  let vmBottom = g.margin + g.laneHeader - vmGap;
  const topLimit = g.margin + g.laneHeader;
  for (const vm of holding) {
    const top = Math.max(centre(vm) - vmH / 2, vmBottom + vmGap, topLimit);
    vms.push({ id: vm.id, vm, x: vmX, y: top, w: g.vmW, h: vmH, compact });
    vmBottom = top + vmH;
  }
  // Pushed down by the ones above, a long column would hang far below the cards; pull it back up
  // as far as the room above allows, keeping the order and the gaps.
  const bottomLimit = Math.max(lanesBottom, topLimit + holding.length * (vmH + vmGap) - vmGap);
  for (let i = vms.length - 1; i >= 0; i--) {
    const limit = i === vms.length - 1 ? bottomLimit - vmH : vms[i + 1]!.y - vmGap - vmH;
    vms[i]!.y = Math.min(vms[i]!.y, limit);
  }
  if (vms.length > 0) vmBottom = vms[vms.length - 1]!.y + vmH;
  for (const vm of idle) {
    const top = vmBottom + vmGap + (vm === idle[0] && holding.length > 0 ? g.laneHeader : 0);
    vms.push({ id: vm.id, vm, x: vmX, y: top, w: g.vmW, h: vmH, compact });
    vmBottom = top + vmH;
  }
  const vmById = new Map(vms.map((v) => [v.id, v]));
  for (const v of vms) addNode(nodeId.vm(v.id), 'vm', v);

  const edges: EdgeBox[] = sources.map((s) => {
    const vm = vmById.get(s.holding.vmId)!;
    const target = { x: vm.x, y: vm.y + vm.h / 2 };
    return {
      id: `${s.holding.pf}|${s.key}|${s.holding.vmId}`,
      vmId: s.holding.vmId,
      pf: s.holding.pf,
      vfs: s.vfs.map((v) => v.address),
      count: s.holding.kind === 'pf' ? 1 : s.vfs.length,
      pending: s.vfs.some((v) => v.pending) || (s.holding.kind === 'pf' && s.holding.pending),
      start: s.start,
      source: s.point,
      bundle: { x: target.x - g.bundle, y: target.y },
      target,
    };
  });

  return {
    width: vmX + g.vmW + g.margin,
    height: Math.max(lanesBottom, vmBottom) + g.margin,
    lanes,
    cards,
    pfs,
    vms,
    edges,
    nodes,
    boxById,
  };
}

interface EdgeSource {
  holding: Holding;
  key: string;
  start: Point;
  point: Point;
  vfs: VfNode[];
}

/**
 * Edges begin at the VFs they stand for, so that a person sees which slot a VM holds: one edge
 * per strip row and VM, running along the row from its first held slot to its last, then curving
 * out to the VM. A summary bar draws its held VFs as equal slices of the held segment, in index
 * order; an edge begins at its VM's slices.
 */
function edgeSources(h: Holding, box: PfBox): EdgeSource[] {
  const right = box.strip.x + box.strip.w + 6;
  if (h.kind === 'pf') {
    const point = { x: right, y: box.label.y + GEOMETRY.barH / 2 + 4 };
    return [{ holding: h, key: 'pf', start: point, point, vfs: [] }];
  }
  if (h.kind === 'collapsed') {
    const span = barSpan(box, h.vfs);
    return [{ holding: h, key: 'bar', start: span.start, point: span.end, vfs: h.vfs }];
  }
  const cellByAddress = new Map(box.cells.map((c) => [c.address, c]));
  const byRow = new Map<number, { y: number; first: number; last: number; vfs: VfNode[] }>();
  for (const vf of h.vfs) {
    const cell = cellByAddress.get(vf.address);
    if (!cell) continue;
    const row = byRow.get(cell.y) ?? { y: cell.y + GEOMETRY.cell / 2, first: Infinity, last: -Infinity, vfs: [] };
    row.first = Math.min(row.first, cell.x);
    row.last = Math.max(row.last, cell.x);
    row.vfs.push(vf);
    byRow.set(cell.y, row);
  }
  return [...byRow.entries()].map(([rowY, row]) => ({
    holding: h,
    key: `row${rowY}`,
    start: { x: row.first + GEOMETRY.cell / 2, y: row.y },
    point: { x: row.last + GEOMETRY.cell, y: row.y },
    vfs: row.vfs,
  }));
}

/** Where the given held VFs stand in a PF's summary bar: their slices of its held segment. */
export function barSpan(box: PfBox, vfs: readonly VfNode[]): { start: Point; end: Point } {
  const bar = box.bar!;
  const y = bar.y + bar.h / 2;
  const c = box.pf.counts;
  const total = Math.max(c.total, 1);
  const heldX = bar.x + (bar.w * c.free) / total;
  const sliceW = (bar.w * c.held) / total / Math.max(c.held, 1);
  const heldOrder = new Map(box.pf.vfs.filter((v) => v.state === 'assigned').map((v, i) => [v.address, i]));
  const slots = vfs.map((v) => heldOrder.get(v.address)).filter((i): i is number => i !== undefined);
  if (slots.length === 0) return { start: { x: heldX, y }, end: { x: heldX + sliceW * c.held, y } };
  const first = Math.min(...slots);
  const last = Math.max(...slots);
  return { start: { x: heldX + sliceW * (first + 0.5), y }, end: { x: heldX + sliceW * (last + 0.5), y } };
}

/** Proxmox ids are numbers: 99 before 100. */
function compareVmIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A horizontal link: a cubic Bézier leaving and entering level, its control points halfway across (d3-shape's linkHorizontal). */
function link({ source, target }: { source: Point; target: Point }): string {
  const mid = (source.x + target.x) / 2;
  return `M${source.x},${source.y}C${mid},${source.y},${mid},${target.y},${target.x},${target.y}`;
}

/** Along the row from the first held slot to the last, a curve into the VM's bundle point, then straight into the VM. */
export function edgePath(edge: EdgeBox): string {
  const rail = edge.start.x === edge.source.x && edge.start.y === edge.source.y ? '' : `M${edge.start.x},${edge.start.y}L${edge.source.x},${edge.source.y}`;
  const curve = link({ source: edge.source, target: edge.bundle });
  return `${rail}${rail ? curve.replace(/^M[^C]*/, '') : curve}L${edge.target.x},${edge.target.y}`;
}

/** Where a count label sits: halfway along the curve, where edges from one port have parted. */
export function edgeMidpoint(edge: EdgeBox): Point {
  return { x: (edge.source.x + edge.bundle.x) / 2, y: (edge.source.y + edge.bundle.y) / 2 };
}

export function unionBox(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
