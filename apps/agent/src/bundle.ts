import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The worker threads' scripts. */
export interface WorkerScripts {
  scan: string;
  kernel: string;
}

/** Where the bundled CLI keeps its neighbours: dist/scanWorker.mjs, dist/kernelWorker.mjs and dist/public (the page). */
function bundleDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, 'scanWorker.mjs')) ? here : null;
}

export function bundledWorkerScripts(): WorkerScripts | null {
  const dir = bundleDir();
  return dir ? { scan: join(dir, 'scanWorker.mjs'), kernel: join(dir, 'kernelWorker.mjs') } : null;
}

export function defaultWebDir(): string | undefined {
  const dir = bundleDir();
  return dir ? join(dir, 'public') : undefined;
}

