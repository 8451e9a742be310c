import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, HostList } from '@vfmap/model';
import { makeSelfSignedCert } from '../testing/openssl';
import { installPveNode, makePveCluster, writeMembers, type PveCluster } from '../testing/pveCluster';
import { startSimAgent, tempDir, TOKEN, type SimAgent } from '../testing/simAgent';
import { peerHttpsAgent } from './tls/peerAgent';
import { certFingerprint } from './tls/fingerprint';
import { peerRequest } from './peerRequest';

/**
 * A Proxmox VE cluster of three nodes, as the agents find it: a generated /etc/pve under each
 * agent's root (a CA made with openssl, each node's pve-ssl.pem signed by it, `.members`, `.vmlist`,
 * `priv/`), the nodes on 127.0.0.1, .2 and .3 with one port, each agent started with --peers proxmox.
 * pmxcfs replicates /etc/pve/priv between nodes; here the nodes' priv/vfmap is one directory.
 */
const NODES = [
  { name: 'pve1', ip: '127.0.0.1' },
  { name: 'pve2', ip: '127.0.0.2' },
  { name: 'pve3', ip: '127.0.0.3' },
];
const MINI_FREE_VF = '0000:01:10.2';

let cluster: PveCluster;
let shared: string;
let port: number;
const agents = new Map<string, SimAgent>();

async function startNode(name: string): Promise<SimAgent> {
  const ip = NODES.find((n) => n.name === name)!.ip;
  return startSimAgent({
    profile: 'minimal',
    prepare: (root) => {
      installPveNode(cluster, root, name, { vmlist: { '100': { node: name, type: 'qemu' } } });
      const priv = join(root, 'etc/pve/priv/vfmap');
      rmSync(priv, { recursive: true, force: true });
      symlinkSync(shared, priv);
    },
    args: ['--host-id', name, '--listen', `${ip}:${port}`, '--peers', 'proxmox', '--peer-timeout-ms', '2000'],
  });
}

const httpsOf = (agent: SimAgent) => (path: string) => {
  const url = new URL(path, agent.agent.url);
  return peerRequest(url.origin, url.pathname + url.search, peerHttpsAgent({ ca: cluster.ca.cert, serverName: url.hostname }), { timeoutMs: 5000 });
};

async function hostList(agent: SimAgent): Promise<HostList> {
  const answer = await httpsOf(agent)('/api/v1/hosts');
  return HostList.parse(JSON.parse(answer.body.toString()));
}

beforeAll(async () => {
  const dir = tempDir('vfmap-pve-');
  cluster = makePveCluster(join(dir, 'cluster'), NODES, { clusterName: 'lab' });
  shared = join(dir, 'priv-vfmap');
  mkdirSync(shared, { mode: 0o700 });
  port = 20_000 + Math.floor(Math.random() * 30_000);
  for (const node of NODES) agents.set(node.name, await startNode(node.name));
}, 90_000);

afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.close()));
});

describe('a Proxmox cluster of agents', () => {
  it("serves HTTPS with each node's own pve-ssl.pem, signed by the cluster CA", () => {
    const pve2 = agents.get('pve2')!;
    expect(pve2.agent.url).toBe(`https://127.0.0.2:${port}/`);
    expect(pve2.agent.tls?.source).toBe('proxmox');
    expect(pve2.agent.tls?.fingerprint).toBe(certFingerprint(readFileSync(join(cluster.dir, 'nodes/pve2/pve-ssl.pem'), 'utf8')));
  });

  it('finds every node from .members, pinned by its certificate, and lists them all', async () => {
    await expect
      .poll(async () => (await hostList(agents.get('pve1')!)).hosts.map((h) => `${h.id}:${h.status}:${h.source}`), { timeout: 20_000 })
      .toEqual(['pve1:ok:local', 'pve2:ok:proxmox', 'pve3:ok:proxmox']);
  });

  it('makes one fleet credential for the cluster in /etc/pve/priv/vfmap, and a write through any node reaches the owner', async () => {
    expect(existsSync(join(shared, 'fleet.token'))).toBe(true);
    const pve1 = agents.get('pve1')!;
    const url = new URL(`/api/v1/hosts/pve3/vfs/${MINI_FREE_VF}/assignment`, pve1.agent.url);
    const answer = await peerRequest(url.origin, url.pathname, peerHttpsAgent({ ca: cluster.ca.cert, serverName: '127.0.0.1' }), {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ vmId: '101' }),
      timeoutMs: 10_000,
    });
    expect(answer.status).toBe(200);
    const audit = AuditPage.parse(JSON.parse((await httpsOf(agents.get('pve3')!)('/api/v1/hosts/pve3/audit')).body.toString()));
    expect(audit.entries[0]).toMatchObject({ operation: 'assign', result: 'ok', who: { forwardedBy: 'pve1' } });
  });

  // That nothing is sent to such a peer (verification before the first byte) is tls/peerAgent.test.ts's.
  it("refuses a peer whose certificate is not its node's pve-ssl.pem", async () => {
    const pve1 = agents.get('pve1')!;
    // pve1 now believes pve3's certificate is another one (a node reinstalled, or someone in the middle).
    const other = makeSelfSignedCert(tempDir('vfmap-other-'), 'pve3');
    writeFileSync(join(pve1.root, 'etc/pve/nodes/pve3/pve-ssl.pem'), readFileSync(other.certFile));
    await expect
      .poll(async () => (await hostList(pve1)).hosts.find((h) => h.id === 'pve3')?.status, { timeout: 20_000 })
      .toBe('unauthorized');
    const pve3Row = (await hostList(pve1)).hosts.find((h) => h.id === 'pve3')!;
    expect(pve3Row.problem).toMatch(/fingerprint/i);
    writeFileSync(join(pve1.root, 'etc/pve/nodes/pve3/pve-ssl.pem'), readFileSync(join(cluster.dir, 'nodes/pve3/pve-ssl.pem')));
    await expect.poll(async () => (await hostList(pve1)).hosts.find((h) => h.id === 'pve3')?.status, { timeout: 20_000 }).toBe('ok');
  });

  it('follows the membership: a node gone from .members leaves the fleet, and comes back', async () => {
    const pve1 = agents.get('pve1')!;
    writeMembers(pve1.root, cluster, 'pve1', NODES.slice(0, 2));
    await expect.poll(async () => (await hostList(pve1)).hosts.map((h) => h.id), { timeout: 20_000 }).toEqual(['pve1', 'pve2']);
    // A peer gone from its source is no target any more: its series goes, rather than reading 0 (down).
    const peerUp = async () => (await httpsOf(pve1)('/metrics')).body.toString().match(/^vfmap_hub_peer_up\{.*$/gm);
    expect(await peerUp()).toEqual(['vfmap_hub_peer_up{host="pve2"} 1']);
    writeMembers(pve1.root, cluster, 'pve1', NODES);
    await expect.poll(async () => (await hostList(pve1)).hosts.map((h) => h.id), { timeout: 20_000 }).toEqual(['pve1', 'pve2', 'pve3']);
    await expect.poll(peerUp, { timeout: 20_000 }).toEqual(['vfmap_hub_peer_up{host="pve2"} 1', 'vfmap_hub_peer_up{host="pve3"} 1']);
  });
});
