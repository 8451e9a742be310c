/**
 * Runs INSIDE the realkernel guest (see operations/realkernel.guest.test.ts), as root on a real
 * Linux kernel with igb SR-IOV NICs: starts the agent as shipped (the esbuild bundle, so kernel
 * writes go through its worker thread), drives the write path over HTTP as the page would, makes a
 * change behind the agent's back, stops it, runs `vfmap apply-desired`, and prints everything it
 * saw as one JSON object on stdout.
 *
 *   npx tsx apps/agent/src/testing/guestOperations.ts <bundle dir> <pf address>
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sysfsPaths } from '@vfmap/sysfs';
import { SseClient } from './sseClient';

const [bundle, pf] = process.argv.slice(2);
if (!bundle || !pf) throw new Error('usage: guestOperations.ts <bundle dir> <pf address>');
const cli = join(bundle, 'vfmap.js');
const stateDir = '/tmp/vfmap-guest-state';
const listen = '127.0.0.1:7399';
const paths = sysfsPaths('/');
const sysfs = {
  numVfs: (address: string) => Number(readFileSync(paths.pciDeviceFile(address, 'sriov_numvfs'), 'utf8')),
  virtfns: (address: string) => readdirSync(paths.pciDevice(address)).filter((n) => /^virtfn\d+$/.test(n)).length,
};

const agent = spawn(process.execPath, [cli, 'agent', '--single-process', '--listen', listen, '--state-dir', stateDir, '--hypervisor', 'none', '--log-level', 'warn'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let stdout = '';
agent.stdout.on('data', (chunk: Buffer) => {
  stdout += chunk.toString();
});
const exited = new Promise<number | null>((resolve) => agent.on('exit', (code) => resolve(code)));

const deadline = Date.now() + 180_000;
while (!/listening on/.test(stdout)) {
  if (Date.now() > deadline || agent.exitCode !== null) throw new Error(`the agent did not start:\n${stdout}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const hostId = /vfmap agent for host (\S+) listening on/.exec(stdout)![1]!;
const token = /the page asks for it\): (\S+)/.exec(stdout)?.[1] ?? null;
const api = (path: string) => `http://${listen}/api/v1/hosts/${hostId}${path}`;

async function call(method: string, path: string, body?: unknown, withToken = true) {
  const started = performance.now();
  const res = await fetch(api(path), {
    method,
    headers: { ...(withToken && token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, ms: Math.round(performance.now() - started), body: (await res.json()) as Record<string, unknown>, wwwAuthenticate: res.headers.get('www-authenticate') };
}

const topologyBefore = (await call('GET', '/topology')).body;
const events = await SseClient.open(api('/events'));

const enable3 = await call('PUT', `/pfs/${pf}/numvfs`, { count: 3 });
const afterEnable3 = { numVfs: sysfs.numVfs(pf), virtfns: sysfs.virtfns(pf) };

// 3 → 2 goes through 0, and the kernel's "0" takes about a second: the agent must keep answering meanwhile.
const change2 = call('PUT', `/pfs/${pf}/numvfs`, { count: 2 });
await new Promise((resolve) => setTimeout(resolve, 300));
const healthStarted = performance.now();
const health = await fetch(`http://${listen}/healthz`);
const healthzDuringChangeMs = Math.round(performance.now() - healthStarted);
const healthStatus = health.status;
const to2 = await change2;
const afterTo2 = { numVfs: sysfs.numVfs(pf), virtfns: sysfs.virtfns(pf) };

const tooMany = await call('PUT', `/pfs/${pf}/numvfs`, { count: 8 });
const noToken = await call('PUT', `/pfs/${pf}/numvfs`, { count: 1 }, false);

// Another igb PF without its driver: the kernel answers ENOENT.
const otherPf = (topologyBefore.pfs as Array<{ address: string; driver: string | null }>).find((p) => p.address !== pf && p.driver === 'igb')!.address;
writeFileSync(join(paths.pciDriver('igb'), 'unbind'), otherPf);
const noDriver = await call('PUT', `/pfs/${otherPf}/numvfs`, { count: 2 });
writeFileSync(join(paths.pciDriver('igb'), 'bind'), otherPf);

// Behind the agent's back, as an operator's `echo 0 > sriov_numvfs` would.
const externalStarted = Date.now();
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '0');
await events.until((s) => s.messages.some((m) => m.event === 'topology.changed' && JSON.parse(m.data).reason === 'external'), 60_000);
const externalSeenAfterMs = Date.now() - externalStarted;
events.close();

const audit = (await call('GET', '/audit?limit=20')).body;
const desired = JSON.parse(readFileSync(join(stateDir, 'desired.json'), 'utf8')) as unknown;
const tokenFileMode = statSync(join(stateDir, 'token')).mode & 0o777;
agent.kill('SIGTERM');
const agentExit = await exited;

// What a boot runs: the kernel starts with 0 VFs, apply-desired sets the kept count again.
const beforeApply = sysfs.numVfs(pf);
const applyOutput = execFileSync(process.execPath, [cli, 'apply-desired', '--state-dir', stateDir, '--hypervisor', 'none'], { encoding: 'utf8' });
const afterApply = { numVfs: sysfs.numVfs(pf), virtfns: sysfs.virtfns(pf) };
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '0');

process.stdout.write(
  JSON.stringify({
    hostId,
    tokenPrinted: token !== null,
    tokenFileMode,
    topologyBefore,
    enable3,
    afterEnable3,
    to2,
    afterTo2,
    healthStatus,
    healthzDuringChangeMs,
    tooMany,
    noToken,
    otherPf,
    noDriver,
    externalSeenAfterMs,
    events: events.events(),
    audit,
    desired,
    agentExit,
    beforeApply,
    applyOutput,
    afterApply,
  }),
);
