import { describe, expect, it } from 'vitest';
import { exportSvg } from './svgExport';

describe('exportSvg', () => {
  it('writes a standalone SVG with styles inline, the shared defs and the legend below the drawing', () => {
    document.body.innerHTML = `
      <style>.cell { fill: rgb(11, 138, 100); }</style>
      <svg class="defs"><defs><pattern id="bar-free"><rect class="cell" width="10" height="10"/></pattern></defs></svg>
      <svg class="graph-svg" width="300" height="200"><g><rect class="cell" x="1" y="2" width="14" height="14"/><text>E810-C port 0</text></g></svg>
      <ul class="legend"><li><svg><rect class="cell" width="14" height="14"/></svg>free</li><li><svg></svg>IOMMU off: no VF can be passed through</li></ul>`;
    const { svg, width, height } = exportSvg({
      drawing: document.querySelector<SVGSVGElement>('.graph-svg')!,
      defs: document.querySelector<SVGSVGElement>('svg.defs'),
      legend: document.querySelector<HTMLElement>('.legend'),
      title: 'SR-IOV topology of lab',
    });
    expect([width, height]).toEqual([300, 232]);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    const root = doc.documentElement;
    expect(root.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(root.querySelector('pattern#bar-free')).not.toBeNull();
    const cell = root.querySelector('g.drawing rect')!;
    expect(cell.getAttribute('class')).toBeNull();
    expect(cell.getAttribute('style')).toMatch(/fill:\s*rgb\(11, 138, 100\)/);
    expect(root.querySelector('g.legend')?.textContent).toBe('freeIOMMU off: no VF can be passed through');
    expect(root.querySelector('g.drawing text')?.textContent).toBe('E810-C port 0');
  });
});
