import { GEOMETRY, type Layout, type PfBox, type VmBox } from './graphLayout';
import { nodeId, parseNodeId, type NodeId } from './nodeId';

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * Where an arrow key goes from a node, following the drawing's own structure rather than raw
 * geometry: left and right walk card → PF → its slots (cell by cell) → the VM holding the slot;
 * up and down walk slot rows, then the PFs and cards above and below, and the VM column.
 * Geometry alone would jump from the end of a short strip into the longer strip above it.
 */
export function neighbour(layout: Layout, from: NodeId | null, direction: Direction): NodeId | null {
  const first = layout.nodes[0]?.id ?? null;
  const parsed = from === null ? null : parseNodeId(from);
  if (!parsed) return first;
  const { kind, key } = parsed;
  const pfIndex = (address: string) => layout.pfs.findIndex((p) => p.address === address);

  switch (kind) {
    case 'card': {
      const firstPf = layout.pfs.findIndex((p) => p.pf.cardId === key);
      if (firstPf < 0) return null;
      if (direction === 'down' || direction === 'right') return nodeId.pf(layout.pfs[firstPf]!.address);
      if (direction === 'up') return firstPf > 0 ? nodeId.pf(layout.pfs[firstPf - 1]!.address) : null;
      return null;
    }
    case 'pf': {
      const i = pfIndex(key);
      const pf = layout.pfs[i];
      if (!pf) return first;
      if (direction === 'left') return nodeId.card(pf.pf.cardId);
      if (direction === 'right') return stripEntry(pf, 0) ?? nearestVm(layout, pf.label.y + pf.label.h / 2);
      return verticalFromPf(layout, i, direction);
    }
    case 'bar': {
      const i = pfIndex(key);
      const pf = layout.pfs[i];
      if (!pf) return first;
      if (direction === 'left') return nodeId.pf(pf.address);
      if (direction === 'right') return vmOf(layout, heldFrom(layout, pf)) ?? nearestVm(layout, pf.strip.y);
      return stripNeighbour(layout, i, 0, direction);
    }
    case 'vf': {
      const i = layout.pfs.findIndex((p) => p.cells.some((c) => c.address === key));
      const pf = layout.pfs[i];
      if (!pf) return first;
      const k = pf.cells.findIndex((c) => c.address === key);
      const col = k % GEOMETRY.columns;
      const rowEnd = col === GEOMETRY.columns - 1 || k === pf.cells.length - 1;
      if (direction === 'left') return col === 0 ? nodeId.pf(pf.address) : nodeId.vf(pf.cells[k - 1]!.address);
      if (direction === 'right') {
        if (!rowEnd) return nodeId.vf(pf.cells[k + 1]!.address);
        const cell = pf.cells[k]!;
        return (cell.vf.holderVmId ? vmOf(layout, cell.vf.holderVmId) : null) ?? nearestVm(layout, cell.y);
      }
      const step = direction === 'up' ? -GEOMETRY.columns : GEOMETRY.columns;
      const target = pf.cells[k + step];
      if (target) return nodeId.vf(target.address);
      return stripNeighbour(layout, i, col, direction);
    }
    case 'vm': {
      const j = layout.vms.findIndex((v) => v.id === key);
      const vm = layout.vms[j];
      if (!vm) return first;
      if (direction === 'up') return j > 0 ? nodeId.vm(layout.vms[j - 1]!.id) : null;
      if (direction === 'down') return j < layout.vms.length - 1 ? nodeId.vm(layout.vms[j + 1]!.id) : null;
      if (direction === 'left') return heldNode(layout, vm);
      return null;
    }
  }
}

/** The first slot of a strip in a column (clamped to the row), or its bar. */
function stripEntry(pf: PfBox, col: number, lastRow = false): NodeId | null {
  if (pf.bar) return nodeId.bar(pf.address);
  if (pf.cells.length === 0) return null;
  const rows = Math.ceil(pf.cells.length / GEOMETRY.columns);
  const row = lastRow ? rows - 1 : 0;
  const k = Math.min(row * GEOMETRY.columns + col, pf.cells.length - 1);
  return nodeId.vf(pf.cells[k]!.address);
}

/** Leaving a strip at its top or bottom: into the next PF's strip, or its label when it has none. */
function stripNeighbour(layout: Layout, i: number, col: number, direction: 'up' | 'down'): NodeId | null {
  const next = layout.pfs[direction === 'up' ? i - 1 : i + 1];
  if (!next) return null;
  return stripEntry(next, col, direction === 'up') ?? nodeId.pf(next.address);
}

function verticalFromPf(layout: Layout, i: number, direction: 'up' | 'down'): NodeId | null {
  const pf = layout.pfs[i]!;
  if (direction === 'up') {
    const prev = layout.pfs[i - 1];
    return prev && prev.pf.cardId === pf.pf.cardId ? nodeId.pf(prev.address) : nodeId.card(pf.pf.cardId);
  }
  const next = layout.pfs[i + 1];
  if (!next) return null;
  return next.pf.cardId === pf.pf.cardId ? nodeId.pf(next.address) : nodeId.card(next.pf.cardId);
}

function vmOf(layout: Layout, vmId: string | null): NodeId | null {
  return vmId !== null && layout.vms.some((v) => v.id === vmId) ? nodeId.vm(vmId) : null;
}

function heldFrom(layout: Layout, pf: PfBox): string | null {
  return layout.edges.find((e) => e.pf === pf.address)?.vmId ?? null;
}

function nearestVm(layout: Layout, y: number): NodeId | null {
  let best: VmBox | null = null;
  for (const vm of layout.vms) {
    if (!best || Math.abs(vm.y + vm.h / 2 - y) < Math.abs(best.y + best.h / 2 - y)) best = vm;
  }
  return best ? nodeId.vm(best.id) : null;
}

/** From a VM back to the first thing it holds that is drawn: a slot, else the bar, else the PF. */
function heldNode(layout: Layout, vm: VmBox): NodeId | null {
  for (const address of vm.vm.vfs) {
    if (layout.boxById.has(nodeId.vf(address))) return nodeId.vf(address);
  }
  const edge = layout.edges.find((e) => e.vmId === vm.id);
  if (!edge) return null;
  return layout.boxById.has(nodeId.bar(edge.pf)) ? nodeId.bar(edge.pf) : nodeId.pf(edge.pf);
}

export function directionOfKey(key: string): Direction | null {
  switch (key) {
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    default:
      return null;
  }
}
