import { join } from 'node:path';
import { build } from 'esbuild';
import type { WorkerScripts } from '../startAgent';

/** The worker threads as the agent ships them: scanWorker.ts and kernelWorker.ts bundled by esbuild into `dir`. */
export async function buildWorkerScripts(dir: string): Promise<WorkerScripts> {
  const scripts = { scan: join(dir, 'scanWorker.mjs'), kernel: join(dir, 'kernelWorker.mjs') };
  const bundle = (entry: string, outfile: string) => build({ entryPoints: [join(import.meta.dirname, '..', entry)], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
  await Promise.all([bundle('scanWorker.ts', scripts.scan), bundle('kernel/kernelWorker.ts', scripts.kernel)]);
  return scripts;
}
