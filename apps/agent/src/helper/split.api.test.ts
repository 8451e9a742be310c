import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { AuditPage, NumVfsResult, Topology } from '@vfmap/model';
import { generateHost, profiles } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import { itNeeds, root as asRoot } from '../../../../test/needs';
import { DEMO, tempDir } from '../testing/simAgent';
import { uidOf } from './splitAgent';

// The split agent as shipped (the esbuild bundle), started as root with --user nobody: the HTTP
// side must read sysfs and the VM configs as nobody, and every change must go through the root helper.
const REPO = resolve(import.meta.dirname, '../../../..');
const NOBODY = 65534;
let bundle: string;
beforeAll(() => {
  if (process.getuid?.() !== 0) return;
  bundle = mkdtempSync(join(tmpdir(), 'vfmap-split-bundle-'));
  chmodSync(bundle, 0o755);
  execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', bundle], { cwd: REPO, stdio: 'pipe' });
}, 60_000);
afterAll(() => bundle && rmSync(bundle, { recursive: true, force: true }));

interface Started {
  proc: ChildProcess;
  helperPid: number;
  httpPid: number;
  url: string;
  hostId: string;
  token: string;
  exited: Promise<unknown>;
}

async function start(args: string[]): Promise<Started> {
  const proc = spawn(process.execPath, [join(bundle, 'vfmap.js'), ...args, '--listen', '127.0.0.1:0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => proc.on('exit', r));
  const deadline = Date.now() + 30_000;
  while (!/listening on/.test(out) || !/page asks for it/.test(out)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`the split agent did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pids = /the root helper is pid (\d+), the HTTP side pid (\d+)/.exec(out)!;
  const listening = /for host (\S+) listening on (\S+)/.exec(out)!;
  return { proc, helperPid: Number(pids[1]), httpPid: Number(pids[2]), hostId: listening[1]!, url: listening[2]!, token: /the page asks for it\): (\S+)/.exec(out)![1]!, exited };
}

function api(s: Started, method: string, path: string, body?: unknown) {
  return fetch(new URL(`/api/v1/hosts/${s.hostId}${path}`, s.url), {
    method,
    headers: { Authorization: `Bearer ${s.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('the split agent (root helper + HTTP side as nobody)', () => {
  itNeeds(
    [asRoot],
    'reads as nobody, changes a VF count and gives a VF to a VM through the root helper, and stops with its helper',
    async () => {
      const tree = tempDir('vfmap-split-tree-');
      const stateDir = mkdtempSync(join(tmpdir(), 'vfmap-split-state-'));
      generateHost(tree, profiles.demo!);
      chmodSync(tree, 0o755);
      const s = await start(['agent', '--root', tree, '--kernel', 'simulated', '--hypervisor', 'simulated', '--user', 'nobody', '--state-dir', stateDir]);
      try {
        expect(await uidOf(s.helperPid)).toBe(0);
        expect(await uidOf(s.httpPid)).toBe(NOBODY);

        // sysfs and the VM configs read as nobody: the whole topology, holders included. The QEMU
        // processes' fd tables (0700, root's) only the helper can read: no `unreadable` warning.
        const topology = Topology.parse(await (await api(s, 'GET', '/topology')).json());
        const e810 = topology.pfs.find((p) => p.address === DEMO.e810p0)!;
        expect(e810).toMatchObject({ numVfs: 16, totalVfs: 128 });
        expect(e810.vfs[0]!.holder).toMatchObject({ vmId: '101', vmName: 'web-01', source: 'both' });
        expect(topology.warnings).toEqual([]);

        const numvfs = sysfsPaths(tree).pciDeviceFile(DEMO.x710p1, 'sriov_numvfs');
        const res = await api(s, 'PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 3 });
        expect(res.status).toBe(200);
        expect(NumVfsResult.parse(await res.json())).toMatchObject({ previousCount: 0, count: 3, changed: true });
        expect(readFileSync(numvfs, 'utf8').trim()).toBe('3');
        // root's file, 0644: nobody could not have written it; the helper did.
        expect(statSync(numvfs)).toMatchObject({ uid: 0 });
        expect(statSync(numvfs).mode & 0o777).toBe(0o644);

        const tooMany = await api(s, 'PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 65 });
        expect(tooMany.status).toBe(422);

        const assign = await api(s, 'POST', '/vfs/0000:18:11.1/assignment', { vmId: '103' });
        expect(assign.status).toBe(200);
        // The simulated hypervisor's refusal crosses the socket as the same problem as in one process.
        const again = await api(s, 'POST', '/vfs/0000:18:11.1/assignment', { vmId: '103' });
        expect(again.status).toBe(409);

        // The state directory was handed to nobody, who wrote the token and the audit log in it.
        for (const name of ['', 'token', 'audit.jsonl', 'desired.json']) expect(statSync(join(stateDir, name)).uid, name).toBe(NOBODY);
        const audit = AuditPage.parse(await (await api(s, 'GET', '/audit')).json());
        expect(audit.entries.map((e) => e.result)).toEqual(['refused', 'ok', 'refused', 'ok']);

        // Without its helper the HTTP side cannot change anything: it stops.
        process.kill(s.helperPid, 'SIGKILL');
        const deadline = Date.now() + 10_000;
        while ((await uidOf(s.httpPid)) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(await uidOf(s.httpPid)).toBeNull();
      } finally {
        s.proc.kill('SIGKILL');
        rmSync(tree, { recursive: true, force: true });
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  itNeeds(
    [asRoot],
    'runs the demo split (vfmap demo --split): its HTTP side as nobody, a count change through the helper',
    async () => {
      const s = await start(['demo', '--split', '--user', 'nobody']);
      try {
        expect(await uidOf(s.httpPid)).toBe(NOBODY);
        const res = await api(s, 'PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 6 });
        expect(res.status).toBe(200);
        expect(NumVfsResult.parse(await res.json())).toMatchObject({ previousCount: 4, count: 6 });
      } finally {
        s.proc.kill('SIGTERM');
        await s.exited;
      }
      // SIGTERM to the helper stops the HTTP side too.
      expect(await uidOf(s.httpPid)).toBeNull();
    },
    60_000,
  );

  itNeeds(
    [asRoot],
    "shows Proxmox's VM states, which only root may list (qm list), through the helper",
    async () => {
      const tree = tempDir('vfmap-split-pve-');
      const stateDir = mkdtempSync(join(tmpdir(), 'vfmap-split-state-'));
      generateHost(tree, profiles.demo!);
      chmodSync(tree, 0o755);
      // The tree laid out as a Proxmox node's: configs in etc/pve (0644 here; www-data's on a node), VM 101 running.
      const confs = join(tree, 'etc/pve/nodes/pve1/qemu-server');
      mkdirSync(confs, { recursive: true });
      symlinkSync('nodes/pve1/qemu-server', join(tree, 'etc/pve/qemu-server'));
      writeFileSync(join(tree, 'etc/hostname'), 'pve1\n');
      writeFileSync(join(confs, '101.conf'), 'name: web01\nmemory: 1024\n');
      writeFileSync(join(confs, '102.conf'), 'name: db01\nmemory: 1024\n');
      mkdirSync(join(tree, 'var/run/qemu-server'), { recursive: true });
      writeFileSync(join(tree, 'var/run/qemu-server/101.pid'), `${process.pid}\n`);
      // A stand-in for Proxmox's qm (the real one runs only on a Proxmox node): like the real one it
      // refuses any user but root; as root it runs the stand-in the hypervisors package tests with.
      const bin = mkdtempSync(join(tmpdir(), 'vfmap-standin-qm-'));
      chmodSync(bin, 0o755);
      const qm = join(bin, 'qm');
      const standin = join(REPO, 'packages/hypervisors/test/qm-standin.mjs');
      writeFileSync(
        qm,
        `#!/bin/sh\n# stand-in for Proxmox's qm\nif [ "$(id -u)" != 0 ]; then echo 'only root can run this command' >&2; exit 255; fi\nVFMAP_QM_STANDIN_ROOT=${JSON.stringify(tree)} exec ${JSON.stringify(process.execPath)} ${JSON.stringify(standin)} "$@"\n`,
      );
      chmodSync(qm, 0o755);
      // The stand-in refuses nobody, as Proxmox's qm does.
      expect(() => execFileSync(qm, ['list'], { uid: NOBODY, gid: NOBODY, stdio: 'pipe' })).toThrow(/only root can run this command/);

      const s = await start(['agent', '--root', tree, '--kernel', 'simulated', '--hypervisor', 'proxmox', '--qm', qm, '--user', 'nobody', '--state-dir', stateDir]);
      try {
        expect(await uidOf(s.httpPid)).toBe(NOBODY);
        const topology = Topology.parse(await (await api(s, 'GET', '/topology')).json());
        expect(topology.vms).toEqual([
          { id: '101', name: 'web01', state: 'running' },
          { id: '102', name: 'db01', state: 'stopped' },
        ]);
        expect(topology.warnings.filter((w) => w.code === 'hypervisor-unavailable')).toEqual([]);
      } finally {
        s.proc.kill('SIGTERM');
        await s.exited;
        rmSync(tree, { recursive: true, force: true });
        rmSync(stateDir, { recursive: true, force: true });
        rmSync(bin, { recursive: true, force: true });
      }
    },
    60_000,
  );

  itNeeds(
    [asRoot],
    'finishes, as root before the HTTP side starts, a sriov_numvfs write a stopped agent left half-done (simulated kernel)',
    async () => {
      const tree = tempDir('vfmap-split-settle-');
      const stateDir = mkdtempSync(join(tmpdir(), 'vfmap-split-state-'));
      generateHost(tree, profiles.demo!);
      chmodSync(tree, 0o755);
      // An agent killed after the simulated kernel noted 0 → 3 and before it made a VF (simhost numvfsIntent.ts).
      const intent = join(tree, 'var/lib/vfmap-sim/numvfs-intent.json');
      writeFileSync(intent, `${JSON.stringify({ pf: DEMO.x710p1, from: 0, to: 3 })}\n`);
      const s = await start(['agent', '--root', tree, '--kernel', 'simulated', '--hypervisor', 'simulated', '--user', 'nobody', '--state-dir', stateDir]);
      try {
        const topology = Topology.parse(await (await api(s, 'GET', '/topology')).json());
        const x710 = topology.pfs.find((p) => p.address === DEMO.x710p1)!;
        expect(x710.numVfs).toBe(3);
        expect(x710.vfs).toHaveLength(3);
        expect(existsSync(intent)).toBe(false);
      } finally {
        s.proc.kill('SIGTERM');
        await s.exited;
        rmSync(tree, { recursive: true, force: true });
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
