import { select } from 'd3-selection';
import { zoom, zoomIdentity, zoomTransform, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, type RefObject } from 'react';
import type { Box } from '../graph/graphLayout';

export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

export interface ZoomControls {
  /** fits `box` into the view, never enlarging past `maxScale`. */
  /** `align: 'top'` keeps a graph shorter than the view at its top instead of in the middle. */
  fit(box: Box, options?: { maxScale?: number; padding?: number; animate?: boolean; align?: 'centre' | 'top' }): void;
  /** pans just enough to bring `box` into view, keeping the scale. */
  reveal(box: Box): void;
  zoomBy(factor: number): void;
  /** pans so that the graph point (x, y) is in the middle. */
  centreOn(x: number, y: number): void;
  current(): ViewTransform;
  /** the size of the view on screen, kept by a ResizeObserver rather than measured per call. */
  viewSize(): { width: number; height: number };
  /**
   * Runs `action` once the size of the view is known: at once when it is, else when the browser
   * first lays the view out, before it paints it. Measuring instead would force a layout of the
   * whole page in the middle of React's commit.
   */
  whenSized(action: () => void): void;
}

export const SCALE_EXTENT: [number, number] = [0.05, 4];
const ANIMATION_MS = 280;
/** How long the view must rest before the drawing is painted sharp again (see setMoving). */
const SETTLE_MS = 300;

function reducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * The one place d3-zoom lives. Wheel, drag and pinch change the transform of one <g>, set
 * straight on the DOM on every frame: React never re-renders during a pan, which is what keeps
 * 2048 slots at 60 frames a second. `onTransform` hears every change (the minimap follows it).
 */
export function useD3Zoom(
  surfaceRef: RefObject<HTMLElement | null>,
  viewportRef: RefObject<HTMLElement | null>,
  onTransform: (t: ViewTransform) => void,
  /** a wheel, drag or pinch gesture starts (true) or ends (false). */
  onGesture: (active: boolean) => void = () => undefined,
): ZoomControls {
  const behaviourRef = useRef<ZoomBehavior<HTMLElement, unknown> | null>(null);
  const animationRef = useRef<number | null>(null);
  // The drawing is one composited layer, which the compositor slides and scales without painting
  // it again: that keeps pans and zooms smooth. A layer keeps the resolution it was rastered at,
  // so once the view has rested for SETTLE_MS it is rastered again at the scale it now shows:
  // flattened for a frame (painted sharp), then a layer again. The next gesture then starts on a
  // layer that is ready, instead of paying for its raster in its first frame.
  const settleRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reraster = useRef<number | null>(null);
  /** The scale the layer was rastered at; null while the drawing is not a layer. */
  const layerScale = useRef<number | null>(null);
  const setMoving = useCallback(
    (moving: boolean) => {
      const viewport = viewportRef.current;
      const surface = surfaceRef.current;
      if (settleRef.current !== null) clearTimeout(settleRef.current);
      if (reraster.current !== null) cancelAnimationFrame(reraster.current);
      settleRef.current = null;
      reraster.current = null;
      if (!viewport || !surface) return;
      const promote = () => {
        viewport.style.willChange = 'transform';
        layerScale.current = zoomTransform(surface).k;
      };
      if (layerScale.current === null) promote();
      if (moving || typeof requestAnimationFrame !== 'function') return;
      settleRef.current = setTimeout(() => {
        settleRef.current = null;
        // A pan leaves the scale as it was: the layer is still sharp.
        if (layerScale.current === zoomTransform(surface).k) return;
        viewport.style.willChange = '';
        layerScale.current = null;
        // Two frames: the first paints the drawing flat at its new scale, the second makes it a
        // layer again, rastered at that scale.
        reraster.current = requestAnimationFrame(() => {
          reraster.current = requestAnimationFrame(() => {
            reraster.current = null;
            promote();
          });
        });
      }, SETTLE_MS);
    },
    [surfaceRef, viewportRef],
  );

  const listenerRef = useRef(onTransform);
  listenerRef.current = onTransform;
  const gestureRef = useRef(onGesture);
  gestureRef.current = onGesture;
  // Measuring with getBoundingClientRect on every zoom frame would force a layout of thousands
  // of SVG elements each time; the size changes only when the window does.
  const sizeRef = useRef<{ width: number; height: number } | null>(null);
  const viewSize = useCallback(() => {
    if (!sizeRef.current && surfaceRef.current) sizeRef.current = sizeOf(surfaceRef.current);
    return sizeRef.current ?? { width: 1200, height: 800 };
  }, [surfaceRef]);

  const waitingRef = useRef<(() => void)[]>([]);
  const observedRef = useRef(false);
  const whenSized = useCallback(
    (action: () => void) => {
      if (sizeRef.current || !observedRef.current) {
        // Known, or nothing will report it (no ResizeObserver): measure.
        viewSize();
        action();
      } else waitingRef.current.push(action);
    },
    [viewSize],
  );

  // A layout effect, so that the observer is there for the first layout: its first report comes
  // after that layout and before the first paint.
  useLayoutEffect(() => {
    const surface = surfaceRef.current;
    if (!surface || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (!box || box.width <= 0 || box.height <= 0) return;
      sizeRef.current = { width: box.width, height: box.height };
      const waiting = waitingRef.current;
      waitingRef.current = [];
      for (const action of waiting) action();
    });
    observer.observe(surface);
    observedRef.current = true;
    return () => {
      observer.disconnect();
      observedRef.current = false;
    };
  }, [surfaceRef]);

  // A layout effect, so that the behaviour is there for the first fit, before the first paint.
  useLayoutEffect(() => {
    const surface = surfaceRef.current;
    if (!surface) return;
    const behaviour = zoom<HTMLElement, unknown>()
      .scaleExtent(SCALE_EXTENT)
      // The view is the element's box on screen, the same one fit() measures.
      .extent(() => {
        const { width, height } = viewSize();
        return [
          [0, 0],
          [width, height],
        ];
      })
      // Double-click on a node selects it; only the background zooms in.
      .filter((event: Event) => {
        // d3 reads `event.view` to guard a drag; a synthetic event without one (a script's
        // dispatchEvent, a test driver) would throw inside d3 instead of simply not panning.
        if (!(event as UIEvent).view) return false;
        if (event.type === 'dblclick') return !(event.target as Element).closest('[data-node]');
        return (!(event as MouseEvent).ctrlKey || event.type === 'wheel') && !(event as MouseEvent).button;
      })
      .on('zoom', (event: { transform: ZoomTransform }) => {
        const t = event.transform;
        // The transform sits on an HTML box around the <svg>: moving it never lays the SVG out
        // again, which a transform on an SVG element does, for every one of its descendants.
        const viewport = viewportRef.current;
        if (viewport) viewport.style.transform = `translate(${t.x}px, ${t.y}px) scale(${t.k})`;
        listenerRef.current({ x: t.x, y: t.y, k: t.k });
      })
      .on('start', (event: { sourceEvent: Event | null }) => {
        setMoving(true);
        // Only gestures carry a sourceEvent, not the programmatic fits and reveals.
        if (event.sourceEvent) gestureRef.current(true);
      })
      .on('end', (event: { sourceEvent: Event | null }) => {
        setMoving(false);
        if (event.sourceEvent) gestureRef.current(false);
      });
    select(surface).call(behaviour);
    behaviourRef.current = behaviour;
    return () => {
      select(surface).on('.zoom', null);
      behaviourRef.current = null;
    };
  }, [surfaceRef, viewportRef, viewSize, setMoving]);

  useEffect(
    () => () => {
      if (animationRef.current !== null) cancelAnimationFrame(animationRef.current);
      if (settleRef.current !== null) clearTimeout(settleRef.current);
      if (reraster.current !== null) cancelAnimationFrame(reraster.current);
    },
    [],
  );

  const apply = useCallback(
    (target: ViewTransform, animate: boolean) => {
      const surface = surfaceRef.current;
      const behaviour = behaviourRef.current;
      if (!surface || !behaviour) return;
      if (animationRef.current !== null) cancelAnimationFrame(animationRef.current);
      const set = (t: ViewTransform) => behaviour.transform(select(surface), zoomIdentity.translate(t.x, t.y).scale(t.k));
      if (!animate || reducedMotion() || typeof requestAnimationFrame !== 'function') {
        set(target);
        return;
      }
      const from = currentOf(surface);
      const start = performance.now();
      setMoving(true);
      const step = (now: number) => {
        const p = Math.min(1, (now - start) / ANIMATION_MS);
        const e = p < 0.5 ? 2 * p * p : 1 - (-2 * p + 2) ** 2 / 2;
        // Scale moves geometrically so that zooming far in or out feels even.
        const k = from.k * (target.k / from.k) ** e;
        set({ x: from.x + (target.x - from.x) * e, y: from.y + (target.y - from.y) * e, k });
        animationRef.current = p < 1 ? requestAnimationFrame(step) : null;
        if (p >= 1) setMoving(false);
      };
      animationRef.current = requestAnimationFrame(step);
    },
    [surfaceRef, setMoving],
  );

  return useMemo<ZoomControls>(
    () => ({
      fit(box, options = {}) {
        const surface = surfaceRef.current;
        if (!surface) return;
        const { width, height } = viewSize();
        const padding = options.padding ?? 24;
        const k = clamp(
          Math.min((width - 2 * padding) / Math.max(box.w, 1), (height - 2 * padding) / Math.max(box.h, 1), options.maxScale ?? 1),
        );
        const centredY = height / 2 - (box.y + box.h / 2) * k;
        const y = options.align === 'top' ? Math.min(centredY, padding / 2 - box.y * k) : centredY;
        apply({ k, x: width / 2 - (box.x + box.w / 2) * k, y }, options.animate ?? true);
      },
      reveal(box) {
        const surface = surfaceRef.current;
        if (!surface) return;
        const t = currentOf(surface);
        const { width, height } = viewSize();
        const margin = 40;
        const left = box.x * t.k + t.x;
        const top = box.y * t.k + t.y;
        const right = (box.x + box.w) * t.k + t.x;
        const bottom = (box.y + box.h) * t.k + t.y;
        let dx = 0;
        let dy = 0;
        if (left < margin) dx = margin - left;
        else if (right > width - margin) dx = width - margin - right;
        if (top < margin) dy = margin - top;
        else if (bottom > height - margin) dy = height - margin - bottom;
        if (dx !== 0 || dy !== 0) apply({ k: t.k, x: t.x + dx, y: t.y + dy }, true);
      },
      zoomBy(factor) {
        const surface = surfaceRef.current;
        if (!surface) return;
        const t = currentOf(surface);
        const { width, height } = viewSize();
        const k = clamp(t.k * factor);
        // Zoom about the middle of the view, as the buttons promise.
        const cx = (width / 2 - t.x) / t.k;
        const cy = (height / 2 - t.y) / t.k;
        apply({ k, x: width / 2 - cx * k, y: height / 2 - cy * k }, true);
      },
      centreOn(x, y) {
        const surface = surfaceRef.current;
        if (!surface) return;
        const t = currentOf(surface);
        const { width, height } = viewSize();
        apply({ k: t.k, x: width / 2 - x * t.k, y: height / 2 - y * t.k }, false);
      },
      current() {
        return surfaceRef.current ? currentOf(surfaceRef.current) : { x: 0, y: 0, k: 1 };
      },
      viewSize,
      whenSized,
    }),
    [apply, surfaceRef, viewSize, whenSized],
  );
}

function clamp(k: number): number {
  return Math.min(SCALE_EXTENT[1], Math.max(SCALE_EXTENT[0], k));
}

/** d3-zoom keeps the transform on the element; reading it there avoids a second source of truth. */
function currentOf(surface: HTMLElement): ViewTransform {
  const t = zoomTransform(surface);
  return { x: t.x, y: t.y, k: t.k };
}


export function sizeOf(surface: HTMLElement): { width: number; height: number } {
  const rect = surface.getBoundingClientRect();
  // jsdom lays nothing out; a sensible size keeps the arithmetic meaningful there.
  return { width: rect.width || 1200, height: rect.height || 800 };
}
