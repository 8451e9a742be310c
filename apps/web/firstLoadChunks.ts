import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * One chunk per entry for everything that entry imports statically, and nothing else in it.
 *
 * Left alone, Rolldown splits every module shared by the app entry, the early-answers entry and
 * the lazy parts (lazyPart.ts) into a chunk of its own: about twenty small files in the first
 * load, each gzipped on its own, where one file compresses 4 KB better. Here each entry's static
 * import graph becomes one chunk named after it (`early` before `index`, so what both import runs
 * early); the lazy parts keep their automatic chunks and import what they share from these.
 */
export function firstLoadChunks(entries: { name: string; entry: string }[]): Plugin {
  const staticImports = new Map<string, readonly string[]>();
  // A barrel (`export * from` lines only: @vfmap/model's index) reaches every module of its
  // package, most of which the entry never uses and tree-shaking leaves out; walking through it
  // would pull what only the lazy parts use into the first load. Its modules are chunked as
  // Rolldown sees fit.
  const barrels = new Set<string>();
  let root = process.cwd();
  let groups: Map<string, string> | undefined;

  const groupOf = (id: string): string | undefined => {
    if (!groups) {
      groups = new Map();
      for (const { name, entry } of entries) {
        const queue = [resolve(root, entry)];
        while (queue.length > 0) {
          const id = queue.pop()!;
          if (groups.has(id) || barrels.has(id)) continue;
          groups.set(id, name);
          queue.push(...(staticImports.get(id) ?? []));
        }
      }
    }
    return groups.get(id);
  };

  return {
    name: 'vfmap-first-load-chunks',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    // A rebuild (vite build --watch) walks the graph it parses anew.
    buildStart() {
      staticImports.clear();
      barrels.clear();
      groups = undefined;
    },
    moduleParsed(info) {
      staticImports.set(info.id, info.importedIds);
      if (info.code !== null && isBarrel(info.code)) barrels.add(info.id);
    },
    config() {
      return {
        build: {
          rolldownOptions: {
            output: {
              codeSplitting: {
                includeDependenciesRecursively: false,
                groups: entries.map(({ name }, n) => ({ name, priority: entries.length - n, test: (id: string) => groupOf(id) === name })),
              },
            },
          },
        },
      };
    },
  };
}

/** Only re-exports, comments and blank lines. */
export function isBarrel(code: string): boolean {
  const statements = code
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return statements.length > 0 && statements.every((s) => /^export\s+(?:\*|\*\s+as\s+\w+|\{[^}]*\})\s+from\s+['"][^'"]+['"]$/.test(s));
}
