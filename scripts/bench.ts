/**
 * `npm run bench`: the figures the speed and memory goals are judged by, printed, never asserted.
 * Runs over the simulated `large` profile (8 PFs × 256 VFs + about 100 other devices):
 *  - the full sysfs scan, in-process (median of ≥ 10 runs, pci.ids warm as in the agent),
 *  - `vfmap scan --json` as a whole process (the bundled CLI), median of 10,
 *  - `lspci -D -k -nn -A linux-sysfs -O sysfs.path=<tree>/sys/bus/pci` on the same tree, median of 10,
 *  - the agent's cheap change check (fingerprint) and a 304 round-trip,
 * and, when the page benchmark is present, the page figures (scripts/benchPage.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateHost, profiles, tempRoot } from '@vfmap/simhost';
import { readFingerprint, readTopology } from '@vfmap/sysfs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function timeRuns(runs: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

function fmt(ms: number): string {
  return `${ms.toFixed(1).padStart(8)} ms`;
}

// /dev/shm where there is one: generating 140 000 small files is a matter of the filesystem, not of vfmap.
const tree = tempRoot('vfmap-bench-');
const dir = tree.dir;
try {
  const profile = profiles.large;
  if (!profile) throw new Error('simhost has no "large" profile');
  const genStart = process.hrtime.bigint();
  generateHost(dir, profile);
  const genMs = Number(process.hrtime.bigint() - genStart) / 1e6;

  const first = readTopology({ root: dir });
  const vfCount = first.pfs.reduce((n, pf) => n + pf.vfs.length, 0);
  const deviceCount = first.devices.length + first.pfs.length + vfCount;
  console.log(`vfmap bench — profile "large": ${first.pfs.length} PFs, ${vfCount} VFs, ${deviceCount} PCI devices (generated in ${genMs.toFixed(0)} ms)`);
  console.log(`node ${process.version}, ${RUNS} runs each, medians\n`);

  const heapBefore = process.memoryUsage().heapUsed;
  const scan = timeRuns(RUNS, () => readTopology({ root: dir }));
  const heapAfter = process.memoryUsage().heapUsed;
  const fingerprint = timeRuns(RUNS, () => readFingerprint(dir));
  const json = JSON.stringify(first);

  const cli = join(import.meta.dirname, '..', 'apps', 'agent', 'dist', 'vfmap.js');
  const cliRuns = existsSync(cli)
    ? timeRuns(Math.min(RUNS, 10), () => execFileSync(process.execPath, [cli, 'scan', '--root', dir, '--json'], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 }))
    : null;

  const lspciArgs = ['-D', '-k', '-nn', '-A', 'linux-sysfs', '-O', `sysfs.path=${join(dir, 'sys', 'bus', 'pci')}`];
  const probe = spawnSync('lspci', lspciArgs, { encoding: 'utf8', maxBuffer: 1 << 30 });
  // -k adds indented lines (subsystem, driver) under each device: count the device lines only.
  const lspciLines = probe.status === 0 ? probe.stdout.split('\n').filter((l) => /^[0-9a-f]/.test(l)).length : 0;
  const lspci = probe.status === 0 ? timeRuns(Math.min(RUNS, 10), () => execFileSync('lspci', lspciArgs, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 })) : null;

  console.log(`full scan, in-process (readTopology)     ${fmt(median(scan))}   (min ${median([Math.min(...scan)]).toFixed(1)} ms)`);
  console.log(`cheap change check (readFingerprint)     ${fmt(median(fingerprint))}`);
  if (cliRuns) console.log(`vfmap scan --json, whole process          ${fmt(median(cliRuns))}`);
  else console.log('vfmap scan --json, whole process          (apps/agent/dist not built: run npm run build)');
  if (lspci) {
    console.log(`lspci -D -k -nn (linux-sysfs), process   ${fmt(median(lspci))}   (${lspciLines} devices listed)`);
    console.log(`\nratio in-process scan / lspci:  ${(median(scan) / median(lspci)).toFixed(2)}  (goal: < 1)`);
    if (cliRuns) console.log(`ratio vfmap scan process / lspci: ${(median(cliRuns) / median(lspci)).toFixed(2)}`);
  } else {
    console.log(`lspci failed (${probe.stderr?.trim() || 'not installed: apt-get install pciutils'})`);
  }
  console.log(`topology JSON: ${(json.length / 1024).toFixed(0)} KiB; heap growth over ${RUNS} scans: ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB`);

  const pageBench = join(import.meta.dirname, 'benchPage.ts');
  if (existsSync(pageBench)) {
    const { benchPage } = (await import(pageBench)) as { benchPage: () => Promise<void> };
    console.log('');
    await benchPage();
  }
} finally {
  tree.remove();
}
