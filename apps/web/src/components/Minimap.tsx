import { forwardRef, memo, useImperativeHandle, useRef, type PointerEvent } from 'react';
import type { Layout } from '../graph/graphLayout';
import type { ViewTransform } from './useD3Zoom';

export interface MinimapHandle {
  /** moves the viewport rectangle; called on every zoom frame, so it touches the DOM directly. */
  update(t: ViewTransform, view: { width: number; height: number }): void;
}

const WIDTH = 200;
export const MINIMAP_WIDTH = WIDTH;

/** The map keeps the graph's proportions, within bounds. */
export function minimapHeight(layout: Pick<Layout, 'width' | 'height'>): number {
  return Math.min(180, Math.max(60, (WIDTH * layout.height) / Math.max(layout.width, 1)));
}

/**
 * The whole graph in small, with the part on screen outlined. Click or drag in it to go there.
 */
export const Minimap = memo(
  forwardRef<MinimapHandle, { layout: Layout; onNavigate: (x: number, y: number) => void }>(function Minimap({ layout, onNavigate }, ref) {
    const svgRef = useRef<SVGSVGElement>(null);
    const viewRef = useRef<SVGRectElement>(null);
    const height = minimapHeight(layout);

    useImperativeHandle(ref, () => ({
      update(t, view) {
        const r = viewRef.current;
        if (!r) return;
        // Clipped to the graph, so that all four sides of the outline stay in the minimap.
        const x0 = Math.max(0, -t.x / t.k);
        const y0 = Math.max(0, -t.y / t.k);
        const x1 = Math.min(layout.width, (view.width - t.x) / t.k);
        const y1 = Math.min(layout.height, (view.height - t.y) / t.k);
        r.setAttribute('x', String(x0));
        r.setAttribute('y', String(y0));
        r.setAttribute('width', String(Math.max(0, x1 - x0)));
        r.setAttribute('height', String(Math.max(0, y1 - y0)));
      },
    }));

    const navigate = (e: PointerEvent<SVGSVGElement>) => {
      const svg = svgRef.current;
      const ctm = svg?.getScreenCTM();
      if (!svg || !ctm) return;
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
      onNavigate(p.x, p.y);
    };

    return (
      <svg
        ref={svgRef}
        className="minimap"
        width={WIDTH}
        height={height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        preserveAspectRatio="xMidYMid meet"
        aria-label="minimap: click to move the view"
        role="img"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          navigate(e);
        }}
        onPointerMove={(e) => {
          if (e.buttons === 1) navigate(e);
        }}
      >
        {layout.lanes.map((l) => (
          <rect key={String(l.node)} className="mm-lane" x={l.x} y={l.y} width={l.w} height={l.h} />
        ))}
        {layout.pfs.map((p) => (
          <rect
            key={p.address}
            className={p.pf.counts.free > 0 ? 'mm-pf has-free' : 'mm-pf'}
            x={p.strip.x}
            y={p.strip.y}
            width={p.strip.w}
            height={Math.max(p.strip.h, 8)}
          />
        ))}
        {layout.vms.map((v) => (
          <rect key={v.id} className="mm-vm" x={v.x} y={v.y} width={v.w} height={v.h} />
        ))}
        <rect ref={viewRef} className="mm-view" x={0} y={0} width={0} height={0} />
      </svg>
    );
  }),
);
