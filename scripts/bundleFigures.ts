/**
 * The page's script as a browser meets it: what the first load fetches (the module scripts and
 * modulepreload links of dist/index.html and every chunk they import statically) and what only a
 * later dynamic import() fetches (dialogs, the list view, the history, the exporters). Sizes are
 * gzip level 9, the way the agent's precompressed .gz files are sent.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFigures {
  firstLoadGzip: number;
  firstLoadRaw: number;
  firstLoadFiles: string[];
  laterGzip: number;
  laterFiles: number;
  cssGzip: number;
}

/** `from"./x.js"` and bare `import"./x.js"` in Rollup/Rolldown output; dynamic `import("./x.js")` is not matched. */
const STATIC_IMPORT = /(?:from|import)\s*["']\.\/([^"']+\.js)["']/g;
const HTML_ASSET = /<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/assets\/([^"]+\.js)"/g;

export function staticImportsOf(code: string): string[] {
  return [...code.matchAll(STATIC_IMPORT)].map((m) => m[1]!);
}

export function bundleFigures(dist: string): BundleFigures {
  const assets = join(dist, 'assets');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const gz = (name: string): number => gzipSync(readFileSync(join(assets, name)), { level: 9 }).length;
  const first = new Set<string>();
  const queue = [...html.matchAll(HTML_ASSET)].map((m) => m[1]!);
  if (queue.length === 0) throw new Error(`${dist}/index.html names no script under /assets/`);
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (first.has(name)) continue;
    first.add(name);
    queue.push(...staticImportsOf(readFileSync(join(assets, name), 'utf8')));
  }
  const all = readdirSync(assets);
  const later = all.filter((n) => n.endsWith('.js') && !first.has(n));
  const firstLoadFiles = [...first].sort();
  return {
    firstLoadGzip: firstLoadFiles.reduce((s, n) => s + gz(n), 0),
    firstLoadRaw: firstLoadFiles.reduce((s, n) => s + readFileSync(join(assets, n)).length, 0),
    firstLoadFiles,
    laterGzip: later.reduce((s, n) => s + gz(n), 0),
    laterFiles: later.length,
    cssGzip: all.filter((n) => n.endsWith('.css')).reduce((s, n) => s + gz(n), 0),
  };
}
