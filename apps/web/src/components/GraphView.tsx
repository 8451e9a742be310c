import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { OperationProgress } from '../api/useHostEvents';
import { describeNode } from '../graph/describeNode';
import type { GraphModel } from '../graph/graphModel';
import { unionBox, type Box, type Layout } from '../graph/graphLayout';
import { directionOfKey, neighbour } from '../graph/graphNavigation';
import { cssFor, nodeSelector, outlineCss, relatedTo } from '../graph/highlight';
import { cspNonce } from '../cspNonce';
import { parseNodeId, type NodeId } from '../graph/nodeId';
import type { KeptMark } from '../graph/keptMarks';
import { GraphScene } from './GraphScene';
import type { ForcedMark } from '../graph/forcedMarks';
import type { MinimapHandle } from './Minimap';
import { MinimapDock, minimapFrameSize, useMinimapFold } from './MinimapDock';
import { placeMinimap, type MinimapPlace } from '../graph/minimapPlacement';
import { useD3Zoom, type ViewTransform } from './useD3Zoom';
import { drawnNode } from '../keyboard/drawnNode';
import { useGraphFocusRequests } from '../keyboard/useGraphFocusRequests';

export interface ZoomRequest {
  ids: readonly NodeId[];
  /** a new number asks again for the same ids (search for the same thing twice). */
  seq: number;
}

export interface GraphViewProps {
  model: GraphModel;
  layout: Layout;
  selected: NodeId | null;
  onSelect: (id: NodeId | null) => void;
  onToggle: (pfAddress: string) => void;
  matches: ReadonlySet<NodeId>;
  zoomRequest: ZoomRequest | null;
  /** fit the whole graph again when this changes (another host). */
  fitKey: string;
  operations: ReadonlyMap<string, OperationProgress>;
  /** PFs marked "lost at reboot" or "differs from kept". */
  kept?: ReadonlyMap<string, KeptMark>;
  /** VFs a forced count change re-created under a running VM (marked until reconciled). */
  forced?: ReadonlyMap<string, ForcedMark>;
  label: string;
}

function nodeOf(target: EventTarget | null): { id: NodeId; el: Element } | null {
  const el = (target as Element | null)?.closest?.('[data-node]');
  if (!el) return null;
  return { id: el.getAttribute('data-node') as NodeId, el };
}

/**
 * The drawing surface: the scene inside a zoomable viewport, hover and focus highlighting through
 * one generated stylesheet, keyboard navigation, the tooltip, fit and zoom buttons and the minimap.
 */
export function GraphView(props: GraphViewProps) {
  const { model, layout, selected, onSelect, onToggle, matches, zoomRequest, fitKey, operations, label, kept, forced } = props;
  const scope = `[data-graph="${useId().replace(/[^a-zA-Z0-9_-]/g, '')}"]`;
  const scopeValue = scope.slice('[data-graph="'.length, -2);
  const containerRef = useRef<HTMLDivElement>(null);
  const surfaceRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const minimapRef = useRef<MinimapHandle>(null);
  const [hover, setHover] = useState<NodeId | null>(null);
  const [showMinimap, setShowMinimap] = useState(false);
  const showMinimapRef = useRef(false);
  const [minimapPlace, setMinimapPlace] = useState<MinimapPlace>('bottom-right');
  const minimapPlaceRef = useRef<MinimapPlace>('bottom-right');
  const minimapFold = useMinimapFold(minimapPlace);
  const activeRef = useRef<NodeId | null>(null);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;

  const viewSizeRef = useRef<() => { width: number; height: number }>(() => ({ width: 1200, height: 800 }));
  const onTransform = useCallback((t: ViewTransform) => {
    const view = viewSizeRef.current();
    const l = layoutRef.current;
    const larger = l.width * t.k > view.width + 1 || l.height * t.k > view.height + 1;
    if (larger !== showMinimapRef.current) {
      showMinimapRef.current = larger;
      setShowMinimap(larger);
    }
    // The minimap stands where it hides nothing drawn, or folds away.
    const place = larger ? placeMinimap(l, { ...t, ...view }, minimapFrameSize(l)) : minimapPlaceRef.current;
    if (place !== minimapPlaceRef.current) {
      minimapPlaceRef.current = place;
      setMinimapPlace(place);
    }
    minimapRef.current?.update(t, view);
  }, []);
  // While a pan or zoom is under way the pointer sweeps across hundreds of slots; lighting each
  // would restyle the whole graph every frame. Hover waits until the gesture ends.
  const gestureRef = useRef(false);
  const onGesture = useCallback((active: boolean) => {
    gestureRef.current = active;
    if (active) setHover(null);
  }, []);
  const zoom = useD3Zoom(surfaceRef, viewportRef, onTransform, onGesture);
  viewSizeRef.current = zoom.viewSize;

  const whole: Box = useMemo(() => ({ x: 0, y: 0, w: layout.width, h: layout.height }), [layout.width, layout.height]);
  const fitAll = useCallback(() => zoom.fit(whole, { maxScale: 1, align: 'top' }), [zoom, whole]);

  // A new host starts fitted to the width, top first: a tall graph (many VMs) would otherwise
  // start too small to read. The minimap shows the rest. A refetch or an expanded PF keeps the
  // view where the person left it. The fit waits for the browser's first layout of the view
  // (before its first paint) rather than measure the view itself, which would force a layout of
  // the page and its 2000 SVG nodes in the middle of the commit.
  useLayoutEffect(() => {
    zoom.whenSized(() => {
      const { width } = layoutRef.current;
      zoom.fit({ x: 0, y: 0, w: width, h: 1 }, { maxScale: 1, animate: false, align: 'top' });
    });
  }, [fitKey, zoom]);

  // The scene of a new host is on the page (the benchmark reads this mark).
  useEffect(() => {
    performance.mark('vfmap:drawn', { detail: fitKey });
  }, [fitKey]);

  useEffect(() => {
    if (!zoomRequest || zoomRequest.ids.length === 0) return;
    const boxes = zoomRequest.ids.map((id) => layoutRef.current.boxById.get(id)).filter((b): b is Box => b !== undefined);
    const box = unionBox(boxes);
    // Behind the first fit of a new host: a selection the address bar asked for (?select=)
    // arrives with the first drawing, and would otherwise be fitted away again.
    if (box) zoom.whenSized(() => zoom.fit(box, { maxScale: 1.5, padding: 80 }));
  }, [zoomRequest, zoom]);

  // The minimap appears and disappears with the graph's size on screen; give it the current view.
  useEffect(() => {
    if (showMinimap) minimapRef.current?.update(zoom.current(), zoom.viewSize());
  }, [showMinimap, minimapPlace, zoom, layout]);

  const showMinimapView = useCallback(() => minimapRef.current?.update(zoom.current(), zoom.viewSize()), [zoom]);

  const lit = useMemo(() => (hover ? relatedTo(model, layout, hover) : null), [hover, model, layout]);
  const css = useMemo(() => {
    const rules: string[] = [];
    if (lit) {
      rules.push(`${scope}.dimming [data-node], ${scope}.dimming [data-edge] { opacity: 0.2 }`);
      // Same specificity as the dimming rule, and later, so lit nodes win.
      rules.push(cssFor(`${scope}.dimming`, lit.nodes, lit.edges, 'opacity: 1'));
      rules.push(cssFor(`${scope}.dimming`, [], lit.edges, 'color: var(--edge-lit)'));
    }
    rules.push(outlineCss(scope, matches, 'stroke: var(--match); stroke-width: 3px'));
    if (selected) rules.push(outlineCss(scope, [selected], 'stroke: var(--select); stroke-width: 3px'));
    return rules.filter(Boolean).join('\n');
  }, [lit, matches, selected, scope]);

  const description = useMemo(() => (hover ? describeNode(model, hover) : null), [hover, model]);

  const pointerRef = useRef({ x: 0, y: 0 });
  const placeTooltip = useCallback(() => {
    const tip = tooltipRef.current;
    // A hidden tooltip has nowhere to go. Measuring it anyway would force a layout of the page,
    // on the first render too, when that means laying out 2000 SVG nodes mid-commit.
    if (!tip || !tip.classList.contains('shown')) return;
    const box = containerRef.current?.getBoundingClientRect();
    if (!box) return;
    // Near the right or bottom edge the tooltip goes to the other side of the pointer.
    const x = pointerRef.current.x - box.left;
    const y = pointerRef.current.y - box.top;
    const left = x + 14 + tip.offsetWidth > box.width ? x - 14 - tip.offsetWidth : x + 14;
    const top = y + 14 + tip.offsetHeight > box.height ? y - 14 - tip.offsetHeight : y + 14;
    tip.style.transform = `translate(${Math.max(0, left)}px, ${Math.max(0, top)}px)`;
  }, []);
  const moveTooltip = (e: PointerEvent) => {
    pointerRef.current = { x: e.clientX, y: e.clientY };
    placeTooltip();
  };
  // New content has a new size: place it again once it is in the DOM.
  useLayoutEffect(placeTooltip, [description, placeTooltip]);

  const focusNode = (id: NodeId) => {
    const el = surfaceRef.current?.querySelector(nodeSelector('', id));
    if (el instanceof SVGElement) el.focus({ preventScroll: true });
    const box = layoutRef.current.boxById.get(id);
    if (box) zoom.reveal(box);
  };

  // The skip link, Escape in the details and a write just sent put the focus here: on the item
  // asked for (or what stands for it when hidden), else where the keyboard last was, else the graph.
  useGraphFocusRequests((id) => {
    const last = activeRef.current && layoutRef.current.boxById.has(activeRef.current) ? activeRef.current : null;
    const target = id ? drawnNode(layoutRef.current, model, id) : last;
    if (target) focusNode(target);
    else containerRef.current?.focus({ preventScroll: true });
  });

  const activate = (id: NodeId) => {
    const parsed = parseNodeId(id);
    if (parsed?.kind === 'bar') onToggle(parsed.key);
    else onSelect(id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const direction = directionOfKey(e.key);
    if (direction) {
      e.preventDefault();
      const next = neighbour(layout, activeRef.current ?? selected, direction);
      if (next) focusNode(next);
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      const id = activeRef.current;
      if (id) {
        e.preventDefault();
        activate(id);
      }
      return;
    }
    if (e.key === 'Escape') {
      onSelect(null);
      setHover(null);
      return;
    }
    if (e.key === '+' || e.key === '=') zoom.zoomBy(1.4);
    else if (e.key === '-') zoom.zoomBy(1 / 1.4);
    else if (e.key === '0') fitAll();
  };

  // After a PF collapses under the focus, keep the keyboard in the graph on that PF.
  useEffect(() => {
    const id = activeRef.current;
    if (!id || layout.boxById.has(id)) return;
    const parsed = parseNodeId(id);
    activeRef.current = null;
    if (parsed?.kind === 'bar' || parsed?.kind === 'vf') {
      const pf = parsed.kind === 'bar' ? parsed.key : model.vfByAddress.get(parsed.key)?.pf;
      if (pf && containerRef.current?.contains(document.activeElement)) {
        const el = surfaceRef.current?.querySelector(nodeSelector('', `pf:${pf}`));
        if (el instanceof SVGElement) el.focus({ preventScroll: true });
      }
    }
  }, [layout, model]);

  return (
    <div
      ref={containerRef}
      className={lit ? 'graph dimming' : 'graph'}
      data-graph={scopeValue}
      role="application"
      aria-roledescription="topology graph"
      aria-label={`${label}. Arrow keys move between nodes, Enter opens the details, Escape closes them, plus and minus zoom, 0 fits.`}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const n = nodeOf(e.target);
        activeRef.current = n?.id ?? activeRef.current;
        if (n) setHover(n.id);
      }}
      onBlur={(e) => {
        if (!containerRef.current?.contains(e.relatedTarget as Node | null)) setHover(null);
      }}
    >
      <style nonce={cspNonce()}>{css}</style>
      <div
        ref={surfaceRef}
        className="graph-surface"
        onPointerOver={(e) => {
          if (gestureRef.current) return;
          const n = nodeOf(e.target);
          setHover(n?.id ?? null);
          moveTooltip(e);
        }}
        onPointerMove={moveTooltip}
        onPointerLeave={() => setHover(null)}
        onClick={(e) => {
          const toggle = (e.target as Element).closest('[data-action="toggle"]');
          if (toggle) {
            onToggle(toggle.getAttribute('data-toggle-pf')!);
            return;
          }
          const n = nodeOf(e.target);
          if (!n) {
            onSelect(null);
            return;
          }
          activeRef.current = n.id;
          activate(n.id);
        }}
      >
        <div ref={viewportRef} className="graph-viewport">
          <svg className="graph-svg" width={layout.width} height={layout.height}>
            <GraphScene layout={layout} operations={operations} kept={kept} forced={forced} />
          </svg>
        </div>
      </div>
      <div ref={tooltipRef} className={description ? 'tooltip shown' : 'tooltip'} role="tooltip" aria-hidden={!description}>
        {description ? (
          <>
            <strong>{description.title}</strong>
            {description.lines.map((l, i) => (
              <div key={i}>{l}</div>
            ))}
          </>
        ) : null}
      </div>
      <div className="graph-controls" role="toolbar" aria-label="zoom">
        <button type="button" onClick={() => zoom.zoomBy(1.4)} aria-label="zoom in" title="zoom in (+)">
          +
        </button>
        <button type="button" onClick={() => zoom.zoomBy(1 / 1.4)} aria-label="zoom out" title="zoom out (−)">
          −
        </button>
        <button type="button" onClick={fitAll} title="fit the whole graph on screen (0)">
          Fit to screen
        </button>
        {showMinimap ? (
          <button type="button" aria-expanded={minimapFold.open} onClick={minimapFold.toggle} title={minimapFold.open ? 'fold the minimap away' : 'show the minimap'}>
            Map
          </button>
        ) : null}
      </div>
      {showMinimap && minimapFold.open ? (
        <MinimapDock ref={minimapRef} layout={layout} place={minimapPlace} onNavigate={(x, y) => zoom.centreOn(x, y)} onShown={showMinimapView} />
      ) : null}
    </div>
  );
}
