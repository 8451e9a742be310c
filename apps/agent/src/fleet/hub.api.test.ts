import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, HostList, PeerProblem, PreconditionFailedProblem, Topology } from '@vfmap/model';
import { parseHubConfig } from '../config';
import { startHub, type RunningHub } from '../hub';
import { problemOf, startSimAgent, tempDir, TOKEN, type SimAgent } from '../testing/simAgent';
import { peerHttpsAgent } from './tls/peerAgent';
import { peerRequest } from './peerRequest';

/**
 * `vfmap hub` over a Prometheus file_sd target list (YAML): one agent in this process serving
 * HTTPS with the certificate it made in its state directory, pinned by the list's fingerprint
 * label, and one agent in a process of its own (`vfmap demo`), which the test stops with SIGSTOP.
 */
const MINI_PF = '0000:01:00.0';
const MINI_FREE_VF = '0000:01:10.2';
const HUB_TOKEN = 'hub-token-0123456789abcdefgh';
const cli = join(import.meta.dirname, '../cli.ts');

let dir: string;
let targets: string;
let alpha: SimAgent;
let stopme: ChildProcess;
let stopmeUrl: string;
let hub: RunningHub;

function writeTargets(options: { fingerprint?: string; withStopme?: boolean; raw?: string } = {}): void {
  if (options.raw !== undefined) {
    writeFileSync(targets, options.raw);
    return;
  }
  const alphaHost = new URL(alpha.agent.url).host;
  const lines = [
    `- targets: ["${alphaHost}"]`,
    `  labels: { name: alpha, hypervisor: simulated, fingerprint: "${options.fingerprint ?? alpha.agent.tls!.fingerprint}", token_file: alpha.token }`,
  ];
  if (options.withStopme !== false) lines.push(`- targets: ["${new URL(stopmeUrl).host}"]`, '  labels: { name: stopme, __scheme__: http }');
  writeFileSync(targets, `${lines.join('\n')}\n`);
}

function startDemoProcess(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // node itself, not the tsx wrapper: SIGSTOP must stop the process that serves.
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'demo', '--profile', 'minimal', '--listen', '127.0.0.1:0', '--host-id', 'stopme', '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VFMAP_TOKEN: TOKEN },
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open (http\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`vfmap demo exited ${code}: ${out}`)));
  });
}

async function hostList(): Promise<HostList> {
  return HostList.parse(await (await fetch(new URL('/api/v1/hosts', hub.url), { signal: AbortSignal.timeout(10_000) })).json());
}
const statusOf = async (id: string) => (await hostList()).hosts.find((h) => h.id === id)?.status ?? 'absent';

beforeAll(async () => {
  dir = tempDir('vfmap-hub-');
  targets = join(dir, 'targets.yml');
  writeFileSync(join(dir, 'alpha.token'), `${TOKEN}\n`, { mode: 0o600 });
  alpha = await startSimAgent({ profile: 'minimal', args: ['--host-id', 'alpha', '--tls'] });
  ({ child: stopme, url: stopmeUrl } = await startDemoProcess());
  writeTargets();
  const config = parseHubConfig(['--peers', `file:${targets}`, '--listen', '127.0.0.1:0', '--state-dir', join(dir, 'hub'), '--peer-timeout-ms', '1000', '--log-level', 'silent'], {
    VFMAP_TOKEN: HUB_TOKEN,
  });
  hub = await startHub(config);
}, 90_000);

afterAll(async () => {
  stopme?.kill('SIGCONT');
  stopme?.kill('SIGTERM');
  await Promise.all([hub?.close(), alpha?.close()]);
});

describe('vfmap hub over a file_sd target list', () => {
  it('serves the fleet with no host of its own, the HTTPS peer pinned by its fingerprint label', async () => {
    expect(alpha.agent.url).toMatch(/^https:/);
    const list = await hostList();
    expect(list.hosts.map((h) => [h.id, h.local, h.status, h.source.startsWith('file:')])).toEqual([
      ['alpha', false, 'ok', true],
      ['stopme', false, 'ok', true],
    ]);
  });

  it("forwards a write with the target's token_file credential; the owner's audit names the hub", async () => {
    const res = await fetch(new URL(`/api/v1/hosts/alpha/vfs/${MINI_FREE_VF}/assignment`, hub.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${HUB_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ vmId: '101' }),
    });
    expect(res.status).toBe(200);
    const url = new URL('/api/v1/hosts/alpha/audit', alpha.agent.url);
    const answer = await peerRequest(url.origin, url.pathname, peerHttpsAgent({ fingerprint: alpha.agent.tls!.fingerprint }), { timeoutMs: 5000 });
    const audit = AuditPage.parse(JSON.parse(answer.body.toString()));
    expect(audit.entries[0]).toMatchObject({ operation: 'assign', result: 'ok', who: { forwardedBy: hub.id } });
  });

  it("passes a write's If-Match on to the peer, whose own check answers: 412 on a stale ETag, the write on the one its topology has now", async () => {
    const put = (ifMatch: string) =>
      fetch(new URL(`/api/v1/hosts/alpha/pfs/${MINI_PF}/numvfs`, hub.url), {
        method: 'PUT',
        headers: { Authorization: `Bearer ${HUB_TOKEN}`, 'Content-Type': 'application/json', 'If-Match': ifMatch },
        body: JSON.stringify({ count: 3, force: true }),
      });
    const topology = await fetch(new URL('/api/v1/hosts/alpha/topology', hub.url));
    await topology.arrayBuffer();
    const etag = topology.headers.get('etag')!;

    const stale = await put('"from-an-older-page"');
    expect(stale.status).toBe(412);
    expect(await problemOf(stale, PreconditionFailedProblem)).toMatchObject({ etag, pf: MINI_PF });
    const done = await put(etag);
    expect(done.status).toBe(200);
    // The PF's new ETag comes back through the hub too, and the old topology ETag no longer matches.
    expect(done.headers.get('etag')).toMatch(/^"pf-/);
    expect((await put(etag)).status).toBe(412);
  });

  it('still answers within its timeout when a peer is stopped (SIGSTOP), serves its topology stale, and recovers on SIGCONT', async () => {
    const kept = Topology.parse(await (await fetch(new URL('/api/v1/hosts/stopme/topology', hub.url))).json());
    stopme.kill('SIGSTOP');
    try {
      const res = await fetch(new URL('/api/v1/hosts/stopme/topology', hub.url), { signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(200);
      const stale = Topology.parse(await res.json());
      expect(stale.warnings[0]?.code).toBe('host-stale');
      expect(stale.pfs).toEqual(kept.pfs);
      expect(await statusOf('stopme')).toBe('stale');
      // The other peer is not held up.
      expect(await statusOf('alpha')).toBe('ok');
      // No credential for this target (no token_file label): the write is refused here, and says nothing was sent.
      const write = await fetch(new URL(`/api/v1/hosts/stopme/pfs/${MINI_PF}/numvfs`, hub.url), {
        method: 'PUT',
        headers: { Authorization: `Bearer ${HUB_TOKEN}`, 'Content-Type': 'application/json' },
        body: '{"count":2}',
        signal: AbortSignal.timeout(60_000),
      });
      expect(write.status).toBe(502);
      const problem = await problemOf(write, PeerProblem);
      expect(problem).toMatchObject({ host: 'stopme', sent: false });
      expect(problem.detail).toMatch(/no credential/);
    } finally {
      stopme.kill('SIGCONT');
    }
    await expect
      .poll(async () => {
        await fetch(new URL('/api/v1/hosts/stopme/topology', hub.url));
        return statusOf('stopme');
      }, { timeout: 40_000, interval: 1000 })
      .toBe('ok');
  }, 120_000);

  it('follows the target list: a wrong fingerprint is unauthorized, a removed target goes, a broken edit keeps the last good list', async () => {
    writeTargets({ fingerprint: 'AA:'.repeat(31) + 'AA' });
    await expect.poll(() => statusOf('alpha'), { timeout: 20_000 }).toBe('unauthorized');
    writeTargets({ withStopme: false });
    await expect.poll(async () => (await hostList()).hosts.map((h) => `${h.id}:${h.status}`), { timeout: 20_000 }).toEqual(['alpha:ok']);
    writeTargets({ raw: '- targets: [unclosed\n' });
    await new Promise((r) => setTimeout(r, 3000));
    expect((await hostList()).hosts.map((h) => h.id)).toEqual(['alpha']);
  }, 60_000);
});
