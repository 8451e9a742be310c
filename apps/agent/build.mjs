// Bundles the agent into dist/: vfmap.js (the CLI), scanWorker.js (the scan thread), and
// public/ (the built page, copied from apps/web/dist when it has been built).
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const { version } = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8'));
rmSync(dist, { recursive: true, force: true });

await build({
  entryPoints: { vfmap: join(here, 'src/cli.ts'), scanWorker: join(here, 'src/scanWorker.ts') },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  outExtension: { '.js': '.js' },
  banner: {
    // pino and express are CommonJS; an ESM bundle needs require().
    js: "#!/usr/bin/env node\nimport { createRequire as __vfmapCreateRequire } from 'node:module'; const require = __vfmapCreateRequire(import.meta.url);",
  },
  define: { __VFMAP_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});

const web = join(here, '..', 'web', 'dist');
if (existsSync(join(web, 'index.html'))) cpSync(web, join(dist, 'public'), { recursive: true });
else console.warn('apps/web/dist is not built: the agent will serve the API only');
