import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, FleetVfList, HostList, MisdirectedProblem, PeerProblem, PfWriteResult, PrepareResult, Topology, UnauthorizedProblem, VfsHeldProblem } from '@vfmap/model';
import { stableVfMacs } from '../operations/stableMacs';
import { SseClient } from '../testing/sseClient';
import { problemOf, startSimAgent, tempDir, TOKEN, type SimAgent } from '../testing/simAgent';
import { FORWARDED_BY } from './peerRequest';

/**
 * The fleet over plain HTTP on loopback: three real agents over simulated hosts with distinct ids.
 * `a` serves the fleet (--peer b, --peer c); b and c are ordinary agents. All three share a
 * fleet credential (--fleet-token-file), so a write to a's API for b's VF is done by b.
 */
const MINI_PF = '0000:01:00.0';
const MINI_FREE_VF = '0000:01:10.2';

let a: SimAgent;
let b: SimAgent;
let c: SimAgent;
let credentialFile: string;
let cPort: number;

const fleetArgs = () => ['--fleet-token-file', credentialFile, '--peer-timeout-ms', '1500'];

async function startPeer(id: string, extra: string[] = []): Promise<SimAgent> {
  return startSimAgent({ profile: 'minimal', args: ['--host-id', id, ...fleetArgs(), ...extra] });
}

async function hosts(agent: SimAgent): Promise<HostList> {
  return HostList.parse(await (await fetch(agent.url('/api/v1/hosts'))).json());
}

beforeAll(async () => {
  const dir = tempDir('vfmap-fleet-');
  credentialFile = join(dir, 'fleet.token');
  writeFileSync(credentialFile, 'fleet-credential-0123456789abcdef\n', { mode: 0o600 });
  b = await startPeer('pve2');
  c = await startPeer('pve3');
  cPort = Number(new URL(c.agent.url).port);
  a = await startSimAgent({ args: ['--host-id', 'pve1', ...fleetArgs(), '--peer', b.agent.url, '--peer', c.agent.url] });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), c?.close()]);
});

describe('an agent serving its fleet', () => {
  it('lists itself and its peers, each with status, version and counts', async () => {
    const list = await hosts(a);
    expect(list.hosts.map((h) => [h.id, h.local, h.status])).toEqual([
      ['pve1', true, 'ok'],
      ['pve2', false, 'ok'],
      ['pve3', false, 'ok'],
    ]);
    const pve2 = list.hosts[1]!;
    expect(pve2).toMatchObject({ hostname: 'sriov-mini', hypervisor: 'simulated', version: 'dev', source: 'peer', problem: null, readOnly: false });
    expect(pve2.counts).toEqual({ pfs: 1, vfs: 2, freeVfs: 1, heldVfs: 1, vms: 2, warnings: 0 });
    expect(pve2.capacity).toEqual([expect.objectContaining({ vendorId: '8086', deviceId: '10c9', vfs: 2, freeVfs: 1, heldVfs: 1 })]);
    // Prometheus' `up` idiom, per peer.
    const metrics = await (await fetch(a.url('/metrics'))).text();
    expect(metrics).toMatch(/^vfmap_hub_peer_up\{host="pve2"\} 1$/m);
    expect(metrics).toMatch(/^vfmap_hub_peer_up\{host="pve3"\} 1$/m);
  });

  it("serves a peer's topology as the peer does, with its ETag, and 304 for it", async () => {
    const own = await fetch(b.url('/api/v1/hosts/pve2/topology'));
    const proxied = await fetch(a.url('/api/v1/hosts/pve2/topology'));
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('etag')).toBe(own.headers.get('etag'));
    expect(Topology.parse(await proxied.json())).toEqual(Topology.parse(await own.json()));
    const again = await fetch(a.url('/api/v1/hosts/pve2/topology'), { headers: { 'If-None-Match': proxied.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('finds VFs across the fleet by state, model, NUMA node and host', async () => {
    const all = FleetVfList.parse(await (await fetch(a.url('/api/v1/fleet/vfs'))).json());
    expect(new Set(all.vfs.map((v) => v.host))).toEqual(new Set(['pve1', 'pve2', 'pve3']));
    expect(all.hosts.every((h) => h.searched)).toBe(true);

    const free = FleetVfList.parse(await (await fetch(a.url('/api/v1/fleet/vfs?free=true&device=82576'))).json());
    expect(free.vfs.map((v) => [v.host, v.vf, v.state])).toEqual([
      ['pve2', MINI_FREE_VF, 'free'],
      ['pve3', MINI_FREE_VF, 'free'],
    ]);
    const onOne = FleetVfList.parse(await (await fetch(a.url('/api/v1/fleet/vfs?free=false&host=pve3'))).json());
    expect(onOne.vfs.map((v) => [v.host, v.state, v.holder?.vmName])).toEqual([['pve3', 'assigned', 'edge-vm']]);

    const bad = await fetch(a.url('/api/v1/fleet/vfs?numaNode=one'));
    expect(bad.status).toBe(400);
    const unknown = await fetch(a.url('/api/v1/fleet/vfs?colour=red'));
    expect(unknown.status).toBe(400);
  });

  it("passes a write for a peer's VF to its agent, which records who forwarded it", async () => {
    const res = await fetch(a.url(`/api/v1/hosts/pve2/vfs/${MINI_FREE_VF}/assignment`), {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ vmId: '101' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ vf: { address: MINI_FREE_VF }, vm: { id: '101' } });
    const audit = AuditPage.parse(await (await fetch(b.url('/api/v1/hosts/pve2/audit'))).json());
    expect(audit.entries[0]).toMatchObject({ operation: 'assign', target: MINI_FREE_VF, result: 'ok', who: { forwardedBy: 'pve1', principal: expect.stringMatching(/^token:/) } });
    // b's topology, read through a, shows the change at once.
    const topology = Topology.parse(await (await fetch(a.url('/api/v1/hosts/pve2/topology'))).json());
    expect(topology.pfs[0]!.vfs.find((v) => v.address === MINI_FREE_VF)!.holder).toMatchObject({ vmId: '101' });
    // The audit of b read through a is b's.
    const viaA = AuditPage.parse(await (await fetch(a.url('/api/v1/hosts/pve2/audit'))).json());
    expect(viaA.entries[0]!.id).toBe(audit.entries[0]!.id);
  });

  it("answers a peer's refusal exactly as the peer did", async () => {
    // VF 0 of b is held by edge-vm: lowering the count to 0 destroys it.
    const res = await fetch(a.url(`/api/v1/hosts/pve2/pfs/${MINI_PF}/numvfs`), {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ count: 0 }),
    });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfsHeldProblem);
    expect(problem.vms.map((v) => v.vmId)).toEqual(['100', '101']);
  });

  it("passes the multi-step PF writes to the peer: a prepare plan with the peer's stable MACs, a re-apply it audits", async () => {
    const post = (path: string, body?: unknown) =>
      fetch(a.url(path), { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const plan = PrepareResult.parse(await (await post(`/api/v1/hosts/pve3/pfs/${MINI_PF}/prepare`, { count: 2, driver: null, stableMacs: true, dryRun: true })).json());
    const permanent = readFileSync(join(c.attr(MINI_PF, 'net'), 'enp1s0', 'address'), 'utf8').trim();
    expect(plan.plan.macs).toEqual(stableVfMacs('pve3', permanent, 2));
    const res = await post(`/api/v1/hosts/pve3/pfs/${MINI_PF}/reapply`);
    expect(res.status).toBe(200);
    expect(PfWriteResult.parse(await res.json()).changed).toBe(false);
    const audit = AuditPage.parse(await (await fetch(c.url('/api/v1/hosts/pve3/audit'))).json());
    expect(audit.entries[0]).toMatchObject({ operation: 'reapply', target: MINI_PF, result: 'ok', who: { forwardedBy: 'pve1' } });
  });

  it('forwards nothing without the user token, and validates before forwarding', async () => {
    const before = AuditPage.parse(await (await fetch(b.url('/api/v1/hosts/pve2/audit'))).json()).entries.length;
    const noToken = await fetch(a.url(`/api/v1/hosts/pve2/pfs/${MINI_PF}/numvfs`), { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"count":1}' });
    expect(noToken.status).toBe(401);
    await problemOf(noToken, UnauthorizedProblem);
    const bad = await fetch(a.url(`/api/v1/hosts/pve2/pfs/${MINI_PF}/numvfs`), {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: '{"count":-1}',
    });
    expect(bad.status).toBe(400);
    const after = AuditPage.parse(await (await fetch(b.url('/api/v1/hosts/pve2/audit'))).json()).entries.length;
    expect(after).toBe(before);
  });

  it('refuses a forwarded request for a host that is not its own (the loop guard)', async () => {
    const res = await fetch(a.url('/api/v1/hosts/pve2/topology'), { headers: { [FORWARDED_BY]: 'pve9' } });
    expect(res.status).toBe(421);
    await problemOf(res, MisdirectedProblem);
    // Asked by another agent, the host list is its own host only.
    const own = HostList.parse(await (await fetch(a.url('/api/v1/hosts'), { headers: { [FORWARDED_BY]: 'pve9' } })).json());
    expect(own.hosts.map((h) => h.id)).toEqual(['pve1']);
  });

  it('refuses the fleet credential on a write nobody forwarded', async () => {
    const res = await fetch(b.url(`/api/v1/hosts/pve2/pfs/${MINI_PF}/numvfs`), {
      method: 'PUT',
      headers: { Authorization: 'Bearer fleet-credential-0123456789abcdef', 'Content-Type': 'application/json' },
      body: '{"count":3}',
    });
    expect(res.status).toBe(401);
  });

  it("fans in every host's events, each with its host", async () => {
    const stream = await SseClient.open(a.url('/api/v1/events'));
    try {
      // Let a open its stream to b before b changes.
      await new Promise((r) => setTimeout(r, 300));
      const res = await fetch(b.url(`/api/v1/hosts/pve2/vfs/${MINI_FREE_VF}/assignment`), { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      await stream.until((s) => s.events().some((e) => e.type === 'operation.finished' && e.host === 'pve2'));
      expect(stream.events().filter((e) => e.type === 'operation.finished').map((e) => e.host)).toContain('pve2');
    } finally {
      stream.close();
    }
  });

  it('keeps a dead peer visible as unreachable and serves its last topology stale; it recovers when it comes back', async () => {
    const kept = Topology.parse(await (await fetch(a.url('/api/v1/hosts/pve3/topology'))).json());
    await c.agent.close();
    const down = await fetch(a.url('/api/v1/hosts/pve3/topology'));
    expect(down.status).toBe(200);
    expect(down.headers.get('warning')).toContain('110');
    const stale = Topology.parse(await down.json());
    expect(stale.warnings[0]).toMatchObject({ code: 'host-stale' });
    expect(stale.pfs).toEqual(kept.pfs);

    const list = await hosts(a);
    const pve3 = list.hosts.find((h) => h.id === 'pve3')!;
    expect(pve3.status).toBe('unreachable');
    expect(pve3.lastSeen).not.toBeNull();
    expect(pve3.counts).not.toBeNull();
    expect(pve3.problem).toMatch(/ECONNREFUSED|refused/i);
    expect(await (await fetch(a.url('/metrics'))).text()).toMatch(/^vfmap_hub_peer_up\{host="pve3"\} 0$/m);

    // A write to a dead host says nothing reached it.
    const write = await fetch(a.url(`/api/v1/hosts/pve3/pfs/${MINI_PF}/numvfs`), {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: '{"count":3}',
    });
    expect(write.status).toBe(502);
    expect((await problemOf(write, PeerProblem)).sent).toBe(false);

    c = await startPeer('pve3', ['--listen', `127.0.0.1:${cPort}`]);
    await expect
      .poll(async () => {
        // The backoff lets a's next request through within a few seconds.
        await fetch(a.url('/api/v1/hosts/pve3/topology'));
        return (await hosts(a)).hosts.find((h) => h.id === 'pve3')?.status;
      }, { timeout: 15_000, interval: 500 })
      .toBe('ok');
  });
});
