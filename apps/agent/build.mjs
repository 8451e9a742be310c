// Bundles the agent into dist/:
//  - vfmap.js, the command users run: one CommonJS file (src/bin.ts) that runs `vfmap scan` alone
//    and loads the ESM bundle for everything else (dist/package.json says .js is CommonJS);
//  - the ESM bundle, split into chunks: main.mjs (the CLI, src/cli.ts), scanWorker.mjs (the scan
//    thread), kernelWorker.mjs (the thread that writes sysfs), hypervisors.mjs (the adapters, for
//    `vfmap scan --hypervisor`);
//  - public/, the built page, copied from apps/web/dist when built.
// `--outdir DIR` bundles into DIR instead (the real-kernel test ships the bundle into its guest).
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({ options: { outdir: { type: 'string' } } });
const dist = flags.outdir ? resolve(flags.outdir) : join(here, 'dist');
const { version } = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8'));
rmSync(dist, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  // Debian bookworm's own nodejs (18.20, Proxmox VE 8) runs the bundle: packaging/bookwormNode.test.ts.
  target: 'node18',
  sourcemap: true,
  minify: true,
  keepNames: true,
  define: { __VFMAP_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: {
    main: join(here, 'src/cli.ts'),
    scanWorker: join(here, 'src/scanWorker.ts'),
    kernelWorker: join(here, 'src/kernel/kernelWorker.ts'),
    hypervisors: join(here, '../../packages/hypervisors/src/index.ts'),
  },
  outdir: dist,
  format: 'esm',
  // The CLI loads each command's modules on demand (cli.ts); shared code lands in chunk files beside it (startAgent finds its workers next to its own chunk).
  splitting: true,
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  banner: {
    // pino and express are CommonJS; an ESM bundle needs require().
    js: "import { createRequire as __vfmapCreateRequire } from 'node:module'; const require = __vfmapCreateRequire(import.meta.url);",
  },
});

await build({
  ...common,
  entryPoints: { vfmap: join(here, 'src/bin.ts') },
  outdir: dist,
  format: 'cjs',
  define: { ...common.define, 'import.meta.dirname': '__dirname' },
  banner: { js: '#!/usr/bin/env node' },
});
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

const web = join(here, '..', 'web', 'dist');
if (existsSync(join(web, 'index.html'))) cpSync(web, join(dist, 'public'), { recursive: true });
else console.warn('apps/web/dist is not built: the agent will serve the API only');
