/**
 * The fleet figures of `npm run bench`: a hub (`vfmap hub`, the bundled CLI, its own process) over
 * 200 real agents on simulated hosts (scripts/benchFleetPeers.ts, another process) and one peer
 * that accepts connections and never answers (as a host stopped with SIGSTOP does). Prints, never
 * asserts: the cold host list (the hub's first GET /api/v1/hosts with counts), the warm one, a
 * search over every VF of the fleet, what the dead peer costs the first time and after, and the
 * hub's memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetVfList, HostList } from '@vfmap/model';

const PEERS = Number(process.env.BENCH_FLEET_PEERS ?? 200);
const PROFILE = process.env.BENCH_FLEET_PROFILE ?? 'demo';
const root = join(import.meta.dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Starts a process and resolves with the first stdout line that matches. */
function startUntil(command: string, args: string[], match: RegExp, env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => match.test(l));
      if (line) resolve({ child, line });
    });
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out}\n${err}`)));
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function rssMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export async function benchFleet(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vfmap-bench-fleet-'));
  const children: ChildProcess[] = [];
  // A peer that takes the connection and never answers.
  const silent = net.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
  try {
    const t0 = performance.now();
    const peers = await startUntil(process.execPath, ['--import', 'tsx', 'scripts/benchFleetPeers.ts', String(PEERS), PROFILE], /^\{"urls"/);
    children.push(peers.child);
    const urls = (JSON.parse(peers.line) as { urls: string[] }).urls.map((u) => u.replace(/\/$/, ''));
    console.log(`fleet: ${urls.length} agents over simulated "${PROFILE}" hosts started in ${((performance.now() - t0) / 1000).toFixed(1)} s, plus one peer that never answers`);

    const targets = join(dir, 'targets.json');
    writeFileSync(targets, JSON.stringify([{ targets: urls.map((u) => u.replace(/^http:\/\//, '')), labels: { __scheme__: 'http' } }, { targets: [silentUrl.replace(/^http:\/\//, '')], labels: { __scheme__: 'http', name: 'silent' } }]));
    const hub = await startUntil(
      process.execPath,
      ['apps/agent/dist/vfmap.js', 'hub', '--peers', `file:${targets}`, '--listen', '127.0.0.1:0', '--state-dir', join(dir, 'state'), '--log-level', 'error', '--peer-timeout-ms', '5000'],
      /listening on (\S+)/,
      { ...process.env, VFMAP_TOKEN: 'bench-token-0123456789abcdef' },
    );
    children.push(hub.child);
    const base = /listening on (\S+)/.exec(hub.line)![1]!;
    const get = async (path: string) => {
      const res = await fetch(new URL(path, base));
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json() as Promise<unknown>;
    };

    const cold = await timed(async () => HostList.parse(await get('/api/v1/hosts')));
    const withCounts = cold.value.hosts.filter((h) => h.counts !== null).length;
    console.log(`cold host list (first GET /api/v1/hosts)  ${cold.ms.toFixed(0)} ms   ${withCounts} of ${cold.value.hosts.length} hosts with counts (goal: < 2000 ms)`);
    // Let the first round of topologies arrive.
    await new Promise((r) => setTimeout(r, 6000));
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) warm.push((await timed(() => get('/api/v1/hosts'))).ms);
    console.log(`warm host list                             ${median(warm).toFixed(1)} ms   (median of 20; goal: < 200 ms)`);
    const search: number[] = [];
    let found: FleetVfList | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await timed(async () => FleetVfList.parse(await get('/api/v1/fleet/vfs?limit=10000')));
      search.push(r.ms);
      found = r.value;
    }
    const searched = found!.hosts.filter((h) => h.searched).length;
    console.log(`search over every VF of the fleet          ${median(search).toFixed(1)} ms   (${found!.total} VFs on ${searched} hosts; median of 10; goal: < 300 ms)`);
    const free: number[] = [];
    for (let i = 0; i < 10; i++) free.push((await timed(() => get('/api/v1/fleet/vfs?free=true&device=E810&numaNode=0'))).ms);
    console.log(`  a filtered search (free E810 on NUMA 0)  ${median(free).toFixed(1)} ms`);

    const silentId = 'silent';
    const first = await timed(() => fetch(new URL(`/api/v1/hosts/${silentId}/topology`, base)));
    const second = await timed(() => fetch(new URL(`/api/v1/hosts/${silentId}/topology`, base)));
    console.log(`the silent peer's topology: first ${first.ms.toFixed(0)} ms (${first.value.status}, its timeout), then ${second.ms.toFixed(1)} ms (${second.value.status}: in backoff, not asked again)`);
    const { rss, peak } = rssMiB(hub.child.pid!);
    console.log(`hub memory: ${rss.toFixed(0)} MiB resident, ${peak.toFixed(0)} MiB at its peak`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    silent.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) await benchFleet();
