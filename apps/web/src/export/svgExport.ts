const SVG_NS = 'http://www.w3.org/2000/svg';

/** The presentation properties the page's CSS sets on the drawing, copied onto each element. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'letter-spacing',
  'visibility',
  'display',
] as const;

/** Copies the computed styles of `from` and its descendants onto `to`, a clone of it. */
function inlineStyles(from: Element, to: Element): void {
  const cs = getComputedStyle(from);
  const style = STYLE_PROPS.map((p) => [p, cs.getPropertyValue(p)] as const)
    .filter(([, v]) => v !== '')
    .map(([p, v]) => `${p}:${v}`)
    .join(';');
  if (style) to.setAttribute('style', style);
  to.removeAttribute('class');
  const a = from.children;
  const b = to.children;
  for (let i = 0; i < a.length && i < b.length; i++) inlineStyles(a[i]!, b[i]!);
}

/**
 * The export is built in a document of its own (no browsing context, so no CSP): style
 * attributes set there are not the page's inline styles, which its CSP forbids.
 */
function cloneStyled<T extends Element>(doc: XMLDocument, el: T): T {
  const copy = doc.importNode(el, true);
  inlineStyles(el, copy);
  return copy;
}

export interface SvgSources {
  /** the drawing: the graph's svg (or any view drawn as svg) */
  drawing: SVGSVGElement;
  /** the page's shared <defs> (patterns the drawing fills with) */
  defs: SVGSVGElement | null;
  /** the legend list as the toolbar shows it: each item an svg glyph and its words */
  legend: HTMLElement | null;
  title: string;
}

const LEGEND_HEIGHT = 32;

/**
 * One standalone SVG document of the drawing as the page shows it (its expansion, filter,
 * selection and marks, at full size), with the page's CSS resolved into inline styles so that it
 * looks the same anywhere, and the legend drawn below it.
 */
export function exportSvg({ drawing, defs, legend, title }: SvgSources): { svg: string; width: number; height: number } {
  const width = Number(drawing.getAttribute('width')) || drawing.getBoundingClientRect().width;
  const drawingHeight = Number(drawing.getAttribute('height')) || drawing.getBoundingClientRect().height;
  const height = drawingHeight + (legend ? LEGEND_HEIGHT : 0);
  const doc = document.implementation.createDocument(SVG_NS, 'svg', null);
  const out = doc.documentElement;
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const titleEl = doc.createElementNS(SVG_NS, 'title');
  titleEl.textContent = title;
  out.appendChild(titleEl);

  const bodyStyle = getComputedStyle(document.body);
  const bg = doc.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', bodyStyle.backgroundColor || '#ffffff');
  out.appendChild(bg);

  if (defs) for (const d of Array.from(defs.children)) out.appendChild(cloneStyled(doc, d));
  const g = doc.createElementNS(SVG_NS, 'g');
  g.setAttribute('class', 'drawing');
  for (const child of Array.from(drawing.children)) g.appendChild(cloneStyled(doc, child));
  out.appendChild(g);

  if (legend) out.appendChild(legendGroup(doc, legend, drawingHeight));
  return { svg: new XMLSerializer().serializeToString(out), width, height };
}

/** The legend's items in a row below the drawing: the same glyphs with their words. */
function legendGroup(doc: XMLDocument, legend: HTMLElement, top: number): Element {
  const g = doc.createElementNS(SVG_NS, 'g');
  g.setAttribute('class', 'legend');
  g.setAttribute('aria-label', 'legend');
  const color = getComputedStyle(legend).color;
  let x = 12;
  for (const li of Array.from(legend.querySelectorAll('li'))) {
    const glyph = li.querySelector('svg');
    const words = (li.textContent ?? '').trim();
    if (glyph) {
      const gl = doc.createElementNS(SVG_NS, 'g');
      gl.setAttribute('transform', `translate(${x},${top + 9})`);
      for (const c of Array.from(glyph.children)) gl.appendChild(cloneStyled(doc, c));
      g.appendChild(gl);
    }
    const text = doc.createElementNS(SVG_NS, 'text');
    text.setAttribute('x', String(x + 19));
    text.setAttribute('y', String(top + 20));
    text.setAttribute('style', `fill:${color};font-family:${getComputedStyle(legend).fontFamily};font-size:12px`);
    text.textContent = words;
    g.appendChild(text);
    x += 19 + words.length * 7 + 18;
  }
  return g;
}

/** The SVG rasterised on a canvas, at up to twice its size (less when that would exceed what a canvas holds). */
export async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const scale = Math.max(0.1, Math.min(2, 16_000 / width, 16_000 / height, Math.sqrt(100_000_000 / (width * height))));
  // A data: URL, as the agent's CSP allows images from (img-src 'self' data:), not blob:.
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  {
    const img = new Image();
    img.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the browser could not draw the SVG'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'));
  }
}

/** Saves a blob as a file, the way a link with `download` does. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
