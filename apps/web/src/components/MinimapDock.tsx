import { forwardRef, useCallback, useEffect, useState } from 'react';
import type { Layout } from '../graph/graphLayout';
import type { MinimapPlace } from '../graph/minimapPlacement';
import { Minimap, MINIMAP_WIDTH, minimapHeight, type MinimapHandle } from './Minimap';

/** The minimap's frame on screen: the map, its padding and border. */
export function minimapFrameSize(layout: Pick<Layout, 'width' | 'height'>): { w: number; h: number } {
  return { w: MINIMAP_WIDTH + 10, h: minimapHeight(layout) + 10 };
}

/**
 * Whether the minimap is open: folded when every corner would hide a card or VM, open otherwise;
 * a person's own choice (the Map button) holds until the placement changes.
 */
export function useMinimapFold(place: MinimapPlace): { open: boolean; toggle: () => void } {
  const [choice, setChoice] = useState<{ open: boolean; place: MinimapPlace } | null>(null);
  const own = choice && choice.place === place ? choice.open : null;
  const open = own ?? place !== 'folded';
  const toggle = useCallback(() => setChoice({ open: !open, place }), [open, place]);
  return { open, toggle };
}

export interface MinimapDockProps {
  layout: Layout;
  /** the corner that covers nothing drawn; folded (opened by hand) stands bottom right. */
  place: MinimapPlace;
  onNavigate: (x: number, y: number) => void;
  /** the map is (again) on screen, or moved: give it the current view. */
  onShown: () => void;
}

/** The minimap in the corner where it hides no card or VM (graph/minimapPlacement.ts). */
export const MinimapDock = forwardRef<MinimapHandle, MinimapDockProps>(function MinimapDock({ layout, place, onNavigate, onShown }, ref) {
  const corner = place === 'folded' ? 'bottom-right' : place;
  useEffect(() => {
    onShown();
  }, [corner, onShown]);
  return (
    <div className={`minimap-dock at-${corner}`} data-place={place}>
      <div className="minimap-frame">
        <Minimap ref={ref} layout={layout} onNavigate={onNavigate} />
      </div>
    </div>
  );
});
