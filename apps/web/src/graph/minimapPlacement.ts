import type { Box, Layout } from './graphLayout';

/** The corners of the graph's view the minimap may stand in, in order of preference. */
export type MinimapCorner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

/** Where the minimap goes: a corner where it covers nothing drawn, or folded to its toggle. */
export type MinimapPlace = MinimapCorner | 'folded';

export const MINIMAP_CORNERS: readonly MinimapCorner[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];

export interface ViewState {
  /** the zoom transform: screen = graph × k + (x, y). */
  x: number;
  y: number;
  k: number;
  width: number;
  height: number;
}

/** The zoom buttons stand at the top right: a minimap there goes below them. */
export const CONTROLS_HEIGHT = 48;

/** The minimap's box on screen (in the view's pixels) in a corner, `inset` from the edges. */
export function cornerBox(corner: MinimapCorner, size: { w: number; h: number }, view: { width: number; height: number }, inset = 10): Box {
  const x = corner.endsWith('right') ? view.width - inset - size.w : inset;
  const y = corner.startsWith('bottom') ? view.height - inset - size.h : corner === 'top-right' ? CONTROLS_HEIGHT : inset;
  return { x, y, w: size.w, h: size.h };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * The first corner where the minimap covers no card and no VM as they stand on screen now; folded
 * when every corner would cover one (a person can still open it). Cards stand for their PFs and
 * slots, which lie inside them; lanes are background and may be covered.
 */
export function placeMinimap(layout: Pick<Layout, 'cards' | 'vms'>, view: ViewState, size: { w: number; h: number }): MinimapPlace {
  const onScreen = (b: Box): Box => ({ x: b.x * view.k + view.x, y: b.y * view.k + view.y, w: b.w * view.k, h: b.h * view.k });
  const screen: Box = { x: 0, y: 0, w: view.width, h: view.height };
  const drawn = [...layout.cards, ...layout.vms].map(onScreen).filter((b) => overlaps(b, screen));
  for (const corner of MINIMAP_CORNERS) {
    const box = cornerBox(corner, size, view);
    if (!drawn.some((d) => overlaps(d, box))) return corner;
  }
  return 'folded';
}
