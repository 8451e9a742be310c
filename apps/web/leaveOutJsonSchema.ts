import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * zod's JSON Schema conversion, left out of the page's build.
 *
 * Every zod 4 schema carries `.toJSONSchema()` and a `~standard.jsonSchema` pair, so zod's
 * converter (two modules, about 6 KB gzip) rides along in any bundle that parses with zod, and
 * tree-shaking cannot drop it. The page only parses; the agent is what turns the schemas into
 * JSON Schema (its OpenAPI document). Here those two modules are replaced in the page's build by
 * modules with the same export names whose functions throw a clear error if anything calls them.
 * The names are read from zod's own files, so a zod upgrade that adds one keeps the stub whole.
 */
export const LEFT_OUT = /[\\/]zod[\\/]v4[\\/]core[\\/](json-schema-processors|to-json-schema)\.js$/;

const MESSAGE = "zod's JSON Schema conversion is not part of the page's build (apps/web/leaveOutJsonSchema.ts)";

/** The names a module exports (`export function|const|let|class|async function NAME`, `export { a, b as c }`). */
export function exportedNames(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/^export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  for (const m of code.matchAll(/^export\s*\{([^}]*)\}(?!\s*from)/gm))
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.add(name);
    }
  if (/^export\s+default\b/m.test(code)) names.add('default');
  return [...names].sort();
}

/** A module with the same names, each a function that throws; a `create…Method` factory returns one. */
export function stubModule(names: readonly string[]): string {
  const lines = [`const unavailable = () => { throw new Error(${JSON.stringify(MESSAGE)}); };`];
  for (const name of names) {
    const body = /^create\w*Method$/.test(name) ? '() => unavailable' : 'unavailable';
    lines.push(name === 'default' ? `export default ${body};` : `export const ${name} = ${body};`);
  }
  return lines.join('\n') + '\n';
}

export function leaveOutJsonSchema(): Plugin {
  return {
    name: 'vfmap-leave-out-json-schema',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      const file = id.split('?')[0]!;
      if (!LEFT_OUT.test(file)) return null;
      return stubModule(exportedNames(readFileSync(file, 'utf8')));
    },
  };
}
