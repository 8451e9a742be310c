import type { CellBox } from './graphLayout';

/**
 * The glyphs that tell slot states apart without colour, as one SVG path per kind and strip:
 * a dot on each free slot, diagonal hatching on each unavailable one. One path with many
 * sub-paths rasterises far faster than a pattern fill per slot.
 */
export function slotMarks(cells: readonly Pick<CellBox, 'x' | 'y' | 'state'>[], size: number): { free: string; unavailable: string; freeCount: number } {
  const r = size * 0.17;
  const free: string[] = [];
  const unavailable: string[] = [];
  for (const c of cells) {
    if (c.state === 'free') {
      const cx = c.x + size / 2;
      const cy = c.y + size / 2;
      free.push(`M${cx - r},${cy}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`);
    } else if (c.state === 'unavailable') {
      const { x, y } = c;
      const h = size / 2;
      unavailable.push(`M${x},${y + h}L${x + h},${y}M${x},${y + size}L${x + size},${y}M${x + h},${y + size}L${x + size},${y + h}`);
    }
  }
  return { free: free.join(''), unavailable: unavailable.join(''), freeCount: free.length };
}
