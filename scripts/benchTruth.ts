import { readdirSync } from 'node:fs';
import { annotateTopology, applyRunningHolders, createHypervisor, findDrift, readRunningQemus } from '@vfmap/hypervisors';
import { readTopology } from '@vfmap/sysfs';

const RUNS = 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeAsync(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

/**
 * Who holds each VF right now, and where configs and processes disagree: the cost added to every
 * change check (the running-holders read is part of the fingerprint) and to every scan (the drift
 * findings). Read over this machine's real /proc, and over the large profile's simulated host.
 */
export async function benchTruth(largeRoot: string): Promise<void> {
  const pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
  const realRead = await timeAsync(RUNS, () => readRunningQemus('/'));
  const facts = await readRunningQemus(largeRoot);
  const largeRead = await timeAsync(RUNS, () => readRunningQemus(largeRoot));
  const snapshot = await createHypervisor('simulated', { root: largeRoot }).snapshot();
  const configured = annotateTopology(readTopology({ root: largeRoot }), snapshot);
  const drift = await timeAsync(RUNS, async () => findDrift({ configured, snapshot, running: facts }));
  const apply = await timeAsync(RUNS, async () => applyRunningHolders(configured, facts));
  console.log('who holds what right now (part of every change check) and drift (part of every scan)');
  console.log(`running QEMUs read, this machine's /proc (${pids} processes)   ${median(realRead).toFixed(2)} ms`);
  console.log(`running QEMUs read, large host's /proc (${facts.processes.length} QEMUs)          ${median(largeRead).toFixed(2)} ms`);
  console.log(`holders from processes put on the large topology             ${median(apply).toFixed(2)} ms`);
  console.log(`drift findings on the large topology (${findDrift({ configured, snapshot, running: facts }).length} found)          ${median(drift).toFixed(2)} ms`);
}
