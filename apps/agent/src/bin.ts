import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitWith } from './cliExit';
import { runScan } from './scanCli';
import type { HypervisorsModule } from './scanCommand';

/**
 * dist/vfmap.js, the command users run. `vfmap scan` runs from this one CommonJS file, with
 * nothing else to load: most of a scan's run time is start-up, and Node's ESM loader with the
 * split bundle's chunks cost about 20 ms before the first line of the scan, a CommonJS file 4 ms.
 * Every other command (and `scan --hypervisor`, for its adapters) loads the ESM bundle beside it:
 * main.mjs is cli.ts, hypervisors.mjs the adapters.
 *
 * `import.meta.dirname` is `__dirname` in the CommonJS build (build.mjs).
 */
const dist = import.meta.dirname;
const moduleUrl = (name: string) => pathToFileURL(join(dist, name)).href;
const [command, ...rest] = process.argv.slice(2);

if (command === 'scan') {
  exitWith(runScan(rest, () => import(moduleUrl('hypervisors.mjs')) as Promise<HypervisorsModule>));
} else {
  void import(moduleUrl('main.mjs'));
}
