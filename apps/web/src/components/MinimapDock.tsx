import { forwardRef, useEffect, useState } from 'react';
import type { Layout } from '../graph/graphLayout';
import type { MinimapPlace } from '../graph/minimapPlacement';
import { Minimap, MINIMAP_WIDTH, minimapHeight, type MinimapHandle } from './Minimap';

/** The minimap's frame on screen: the map, its padding and border. */
export function minimapFrameSize(layout: Pick<Layout, 'width' | 'height'>): { w: number; h: number } {
  return { w: MINIMAP_WIDTH + 10, h: minimapHeight(layout) + 10 };
}

export interface MinimapDockProps {
  layout: Layout;
  /** the corner that covers nothing drawn, or folded when each would. */
  place: MinimapPlace;
  onNavigate: (x: number, y: number) => void;
  /** the map is (again) on screen: give it the current view. */
  onShown: () => void;
}

/**
 * The minimap in the corner where it hides no card or VM. Where each corner would, it folds to a
 * small button; a person can open it anyway, or fold it by hand.
 */
export const MinimapDock = forwardRef<MinimapHandle, MinimapDockProps>(function MinimapDock({ layout, place, onNavigate, onShown }, ref) {
  // null: follow the placement; true/false: the person's own choice, until the placement changes.
  const [choice, setChoice] = useState<{ open: boolean; place: MinimapPlace } | null>(null);
  const own = choice && choice.place === place ? choice.open : null;
  const open = own ?? place !== 'folded';
  const corner = place === 'folded' ? 'bottom-right' : place;
  useEffect(() => {
    if (open) onShown();
  }, [open, corner, onShown]);
  return (
    <div className={`minimap-dock at-${corner}`} data-place={place}>
      <button
        type="button"
        className="minimap-toggle secondary"
        aria-expanded={open}
        onClick={() => setChoice({ open: !open, place })}
        title={open ? 'fold the minimap away' : 'show the minimap'}
      >
        {open ? 'Hide map' : 'Map'}
      </button>
      {open ? (
        <div className="minimap-frame">
          <Minimap ref={ref} layout={layout} onNavigate={onNavigate} />
        </div>
      ) : null}
    </div>
  );
});
