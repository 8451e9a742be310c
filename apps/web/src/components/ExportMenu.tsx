import { useEffect, useRef, useState } from 'react';
import type { GraphModel } from '../graph/graphModel';

export interface ExportMenuProps {
  model: GraphModel;
  /** the drawing can be exported (the topology graph is on screen) */
  drawingShown: boolean;
}

/** A file name part from a host name: letters, digits, dot, dash. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9.-]+/g, '_');

/**
 * The toolbar's Export menu: the graph as the page draws it (SVG with the page's styles inlined,
 * or PNG rasterised from that SVG), with the legend; and every VF of the host as CSV.
 */
export function ExportMenu({ model, drawingShown }: ExportMenuProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const menuRef = useRef<HTMLDetailsElement>(null);
  // A click elsewhere or Escape closes the menu, as a menu does.
  useEffect(() => {
    const close = (e: Event) => {
      const menu = menuRef.current;
      if (!menu?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !menu.contains(e.target as Node)) menu.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  const base = `vfmap-${safe(model.host.hostname)}`;

  // The exporters come when asked for, not with the first drawing.
  const exporters = () => Promise.all([import('../export/svgExport'), import('../export/vfTable')]).then(([svg, table]) => ({ ...svg, ...table }));
  const drawing = async () => {
    const { exportSvg } = await exporters();
    const svg = document.querySelector<SVGSVGElement>('.graph-svg');
    if (!svg) throw new Error('the graph is not on screen');
    return exportSvg({
      drawing: svg,
      defs: document.querySelector<SVGSVGElement>('svg.defs'),
      legend: document.querySelector<HTMLElement>('.toolbar .legend'),
      title: `SR-IOV topology of ${model.host.hostname}`,
    });
  };

  const run = (what: () => Promise<void> | void) => async (e: React.MouseEvent) => {
    e.currentTarget.closest('details')?.removeAttribute('open');
    setProblem(null);
    try {
      await what();
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  };

  const why = drawingShown ? undefined : 'Open the Topology view to export the drawing';
  return (
    <details className="export-menu" ref={menuRef}>
      <summary>Export</summary>
      <div className="export-items" role="group" aria-label="export">
        <button type="button" disabled={!drawingShown} title={why} onClick={run(async () => {
            const { download } = await exporters();
            download(`${base}-topology.svg`, new Blob([(await drawing()).svg], { type: 'image/svg+xml' }));
          })}
        >
          Drawing as SVG
        </button>
        <button
          type="button"
          disabled={!drawingShown}
          title={why}
          onClick={run(async () => {
            const { download, svgToPng } = await exporters();
            const d = await drawing();
            download(`${base}-topology.png`, await svgToPng(d.svg, d.width, d.height));
          })}
        >
          Drawing as PNG
        </button>
        <button type="button" onClick={run(async () => {
            const { download, vfTableCsv } = await exporters();
            download(`${base}-vfs.csv`, new Blob([vfTableCsv(model)], { type: 'text/csv;charset=utf-8' }));
          })}
        >
          VF table as CSV
        </button>
        {problem ? (
          <p className="error-text" role="alert">
            Export failed: {problem}
          </p>
        ) : null}
      </div>
    </details>
  );
}
