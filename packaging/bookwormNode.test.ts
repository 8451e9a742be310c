import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { NumVfsResult, Topology } from '@vfmap/model';
import { BOOKWORM_NODE_ROOT, bookwormNode, itNeeds, mountNamespace, root } from '../test/needs';
import { buildPackage } from '../scripts/package';

/**
 * The .deb says `Depends: nodejs (>= 18.19)`, so that `apt install ./vfmap_*.deb` on a fresh Debian
 * bookworm (Proxmox VE 8) takes bookworm's own nodejs, 18.20. This runs the agent the .deb installs
 * on that very Node: bookworm's nodejs and libnode packages, unpacked by ensure-test-deps.sh, run in
 * a private mount namespace whose /usr/share has bookworm's /usr/share/nodejs laid over it (Debian's
 * node loads its bundled JavaScript deps from there). The demo comes up, serves its topology, takes
 * a count change with its token and streams events.
 */
const REPO = resolve(import.meta.dirname, '..');
let work: string;
let installed: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Runs `args` with bookworm's node in a mount namespace of its own; the child leads a process group. */
function bookwormNodeRun(args: string[]): ChildProcess {
  const node = `${BOOKWORM_NODE_ROOT}/usr/bin/node`;
  const script = `mount -t overlay overlay -o lowerdir="${BOOKWORM_NODE_ROOT}/usr/share:/usr/share" /usr/share && exec "$@"`;
  return spawn('unshare', ['-m', 'sh', '-c', script, 'sh', node, ...args], {
    env: { ...process.env, LD_LIBRARY_PATH: `${BOOKWORM_NODE_ROOT}/usr/lib/x86_64-linux-gnu` },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

describe('the packaged agent on Debian bookworm\'s own nodejs (18.20)', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'vfmap-bookworm-node-'));
    chmodSync(work, 0o755);
    execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', join(work, 'bundle')], { cwd: REPO, stdio: 'pipe' });
    const deb = buildPackage({ dist: join(work, 'bundle'), out: join(work, 'out') });
    installed = join(work, 'root');
    execFileSync('dpkg-deb', ['-x', deb, installed]);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const mode of [[], ['--split']]) {
  itNeeds(
    [root, bookwormNode, mountNamespace],
    `runs the demo${mode.length ? ' split (the root helper, the HTTP side as nobody)' : ''}: its topology, a count change with the token, the event stream, the metrics`,
    async () => {
      const version = bookwormNodeRun(['--version']);
      let printed = '';
      version.stdout!.on('data', (c: Buffer) => (printed += c.toString()));
      await new Promise((r) => version.on('exit', r));
      expect(printed.trim()).toMatch(/^v18\.(19|[2-9]\d)\./);

      const port = await freePort();
      const agent = bookwormNodeRun([join(installed, 'usr/lib/vfmap/vfmap.js'), 'demo', ...mode, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn']);
      let out = '';
      let err = '';
      agent.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      agent.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      try {
        const base = `http://127.0.0.1:${port}`;
        let token: string | undefined;
        for (let i = 0; i < 300 && !token; i++) {
          token = /Write token \([^)]*\): (\S+)/.exec(out)?.[1];
          if (agent.exitCode !== null) throw new Error(`the agent exited with ${agent.exitCode}: ${err}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(token, `stdout: ${out}\nstderr: ${err}`).toBeDefined();
        const hosts = (await (await fetch(`${base}/api/v1/hosts`)).json()) as { hosts: Array<{ id: string }> };
        const api = `${base}/api/v1/hosts/${hosts.hosts[0]!.id}`;

        const topology = Topology.parse(await (await fetch(`${api}/topology`, { headers: { 'accept-encoding': 'gzip' } })).json());
        const pf = topology.pfs.find((p) => p.address === '0000:3b:00.1')!;
        expect(pf.numVfs).toBe(0);

        const res = await fetch(`${api}/pfs/0000:3b:00.1/numvfs`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ count: 2 }) });
        expect(res.status, await res.clone().text()).toBe(200);
        expect(NumVfsResult.parse(await res.json()).pf.numVfs).toBe(2);

        const events = await fetch(`${api}/events`);
        expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const reader = events.body!.getReader();
        expect(new TextDecoder().decode((await reader.read()).value)).toContain(': connected');
        await reader.cancel();

        expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^vfmap_pf_vfs_free\{pf="[^"]+",pciAddr="0000:3b:00.1"/m);
      } finally {
        if (agent.exitCode === null) process.kill(-agent.pid!, 'SIGTERM');
        await new Promise((r) => (agent.exitCode === null ? agent.on('exit', r) : r(null)));
      }
    },
    120_000,
  );
  }
});
