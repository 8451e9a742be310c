// Bundles the agent into dist/: vfmap.js (the CLI), scanWorker.js (the scan thread), kernelWorker.js
// (the thread that writes sysfs), and public/ (the built page, copied from apps/web/dist when built).
// `--outdir DIR` bundles into DIR instead (the real-kernel test ships the bundle into its guest).
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({ options: { outdir: { type: 'string' } } });
const dist = flags.outdir ? resolve(flags.outdir) : join(here, 'dist');
const { version } = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8'));
rmSync(dist, { recursive: true, force: true });

await build({
  entryPoints: { vfmap: join(here, 'src/cli.ts'), scanWorker: join(here, 'src/scanWorker.ts'), kernelWorker: join(here, 'src/kernel/kernelWorker.ts') },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // The CLI loads each command's modules on demand (cli.ts); shared code lands in chunk files beside it (startAgent finds its workers next to its own chunk).
  splitting: true,
  chunkNames: 'chunk-[hash]',
  minify: true,
  keepNames: true,
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
