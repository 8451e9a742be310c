/**
 * The load figures of `npm run bench` (BENCH_LOAD=0 leaves them out):
 *  - GET topology with 50 connections for BENCH_LOAD_SECONDS (10) through autocannon, on the
 *    `large` and the `demo` profile, with and without gzip, side by side with a bare node:http
 *    server that serves the same bytes in the same run (each in a process of its own, as the
 *    agent is): both throughputs, both p99s and the ratios. Goal: ≥ 0.6× bare Node's
 *    throughput and a p99 at most twice bare Node's.
 *  - 200 event-stream clients held for 10 s, then closed: the agent's open descriptors and RSS
 *    before, while held, and after (goal: back within 5 %).
 * The agent is the bundled CLI (`vfmap demo`), as a user runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const CONNECTIONS = 50;
const EVENT_CLIENTS = 200;
const HOLD_MS = 10_000;
const CLI = join(import.meta.dirname, '..', 'apps', 'agent', 'dist', 'vfmap.js');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within 120 s`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The demo agent over a generated profile, logging warnings only. */
async function startAgent(profile: string, extraArgs: string[] = []): Promise<{ child: ChildProcess; origin: string; topologyPath: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'demo', '--profile', profile, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn', ...extraArgs], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/healthz`, child);
  const hosts = (await (await fetch(`${origin}/api/v1/hosts`)).json()) as { hosts: Array<{ id: string }> };
  return { child, origin, topologyPath: `/api/v1/hosts/${encodeURIComponent(hosts.hosts[0]!.id)}/topology` };
}

/** A bare node:http server in a process of its own, answering every request with the bytes the agent sent (gzipped when asked). */
async function startBare(identity: Buffer, gzip: Buffer, etag: string): Promise<{ child: ChildProcess; origin: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'vfmap-bench-bare-'));
  writeFileSync(join(dir, 'body'), identity);
  writeFileSync(join(dir, 'body.gz'), gzip);
  const source = `
    const http = require('node:http');
    const fs = require('node:fs');
    const identity = fs.readFileSync(process.env.BODY_FILE);
    const gzip = fs.readFileSync(process.env.GZIP_FILE);
    http.createServer((req, res) => {
      const zipped = /\\bgzip\\b/.test(req.headers['accept-encoding'] || '');
      const body = zipped ? gzip : identity;
      const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, ETag: process.env.ETAG, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' };
      if (zipped) headers['Content-Encoding'] = 'gzip';
      res.writeHead(200, headers);
      res.end(body);
    }).listen(${port}, '127.0.0.1');`;
  const child = spawn(process.execPath, ['-e', source], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, BODY_FILE: join(dir, 'body'), GZIP_FILE: join(dir, 'body.gz'), ETAG: etag },
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(origin, child);
  return { child, origin };
}

interface LoadFigures {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, gzip: boolean): Promise<LoadFigures> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: gzip ? { 'accept-encoding': 'gzip' } : {} });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

function fetchBytes(url: string, gzip: boolean): Promise<{ body: Buffer; etag: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: gzip ? { 'accept-encoding': 'gzip' } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ body: Buffer.concat(chunks), etag: String(res.headers.etag ?? '') }));
      })
      .on('error', reject);
  });
}

function row(label: string, agent: LoadFigures, bare: LoadFigures): string {
  const ratio = agent.rps / bare.rps;
  const p99Ratio = agent.p99 / Math.max(bare.p99, 1);
  const faults = agent.non2xx + agent.errors > 0 ? `  (${agent.non2xx} non-2xx, ${agent.errors} errors!)` : '';
  return (
    `${label.padEnd(22)} agent ${agent.rps.toFixed(0).padStart(6)} req/s p99 ${String(agent.p99).padStart(4)} ms | bare node:http ${bare.rps.toFixed(0).padStart(6)} req/s p99 ${String(bare.p99).padStart(4)} ms | ` +
    `ratio ${ratio.toFixed(2)} (goal ≥ 0.6), p99 ×${p99Ratio.toFixed(2)} (goal ≤ 2)${faults}`
  );
}

async function benchTopologyLoad(profile: string): Promise<void> {
  const agent = await startAgent(profile);
  try {
    const url = agent.origin + agent.topologyPath;
    const plain = await fetchBytes(url, false);
    const zipped = await fetchBytes(url, true);
    const bare = await startBare(plain.body, zipped.body, plain.etag);
    try {
      console.log(`profile "${profile}": topology ${(plain.body.length / 1024).toFixed(0)} KiB, ${(zipped.body.length / 1024).toFixed(0)} KiB gzipped`);
      for (const gzip of [false, true]) {
        // In turn, so that the machine's load touches both alike.
        const agentFigures = await load(url, gzip);
        const bareFigures = await load(bare.origin + agent.topologyPath, gzip);
        console.log(row(`  ${gzip ? 'gzip' : 'identity'}`, agentFigures, bareFigures));
      }
    } finally {
      await stop(bare.child);
    }
  } finally {
    await stop(agent.child);
  }
}

function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function rssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0);
}

async function benchEventClients(): Promise<void> {
  // All from one address, which may hold 32 streams by default (--max-event-clients-per-address): this
  // measures what the streams cost and give back, so the share is raised to hold all of them.
  const agent = await startAgent('demo', ['--max-event-clients-per-address', String(EVENT_CLIENTS)]);
  const pid = agent.child.pid!;
  try {
    const url = `${agent.origin}${agent.topologyPath.replace(/\/topology$/, '/events')}`;
    // Warm up: one client opened and closed, so that what is measured is what the clients hold.
    await holdClients(url, 1, 200);
    await sleep(500);
    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
    const mib = (kib: number) => (kib / 1024).toFixed(1);
    // Three rounds: the first from a process that never held 200 streams (V8 keeps the heap it grew
    // for them: RSS stays above the start), the next ones from one that did. A leak would show as
    // growth from round to round.
    const afters: number[] = [];
    const heaps: number[] = [];
    for (let round = 1; round <= 3; round++) {
      const before = { fds: openDescriptors(pid), rss: rssKiB(pid) };
      let during = { fds: 0, rss: 0 };
      const accepted = await holdClients(url, EVENT_CLIENTS, HOLD_MS, () => {
        during = { fds: openDescriptors(pid), rss: rssKiB(pid) };
      });
      // V8 gives memory back some seconds after the allocations stop (its memory reducer), not at once.
      await sleep(5_000);
      const after = { fds: openDescriptors(pid), rss: rssKiB(pid) };
      afters.push(after.rss);
      heaps.push(await heapUsed(agent.origin));
      console.log(
        `${EVENT_CLIENTS} event-stream clients, round ${round} (${accepted} accepted) held ${HOLD_MS / 1000} s, then closed: ` +
          `descriptors ${before.fds} → ${during.fds} → ${after.fds} (${pct(after.fds, before.fds)}), ` +
          `RSS ${mib(before.rss)} → ${mib(during.rss)} → ${mib(after.rss)} MiB (${pct(after.rss, before.rss)}); goal: back within 5 %`,
      );
    }
    console.log(
      `after each round: RSS ${afters.map(mib).join(' → ')} MiB (round 3 against round 1: ${pct(afters[2]!, afters[0]!)}), ` +
        `JS heap in use ${heaps.map((b) => (b / 2 ** 20).toFixed(1)).join(' → ')} MiB (${pct(heaps[2]!, heaps[0]!)}); a leak would grow both round after round`,
    );
  } finally {
    await stop(agent.child);
  }
}

/** The agent's JS heap in use, from its own /metrics (prom-client's default process metrics). */
async function heapUsed(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** Opens `count` event streams, holds them `holdMs`, closes them; how many were answered 200. */
async function holdClients(url: string, count: number, holdMs: number, whileHeld?: () => void): Promise<number> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: http.ClientRequest[] = [];
  const answered = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<boolean>((resolve) => {
          const req = http.get(url, { agent }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
          });
          req.on('error', () => resolve(false));
          requests.push(req);
        }),
    ),
  );
  await sleep(holdMs);
  whileHeld?.();
  for (const req of requests) req.destroy();
  agent.destroy();
  return answered.filter(Boolean).length;
}

export async function benchLoad(): Promise<void> {
  console.log(`load: GET topology, ${CONNECTIONS} connections for ${SECONDS} s each (autocannon), agent and a bare node:http server in the same run`);
  // BENCH_LOAD_PROFILES=demo (a comma list) measures fewer; BENCH_LOAD_EVENTS=0 leaves the event streams out.
  const profiles = (process.env.BENCH_LOAD_PROFILES ?? 'large,demo').split(',').filter(Boolean);
  for (const profile of profiles) await benchTopologyLoad(profile);
  if (process.env.BENCH_LOAD_EVENTS !== '0') await benchEventClients();
}

