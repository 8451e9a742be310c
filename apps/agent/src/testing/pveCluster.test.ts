import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslSans, opensslSubject, opensslVerifies } from './openssl';
import { installPveNode, makePveCluster, writeMembers, type PveCluster } from './pveCluster';

let tmp: string;
let cluster: PveCluster;
const nodes = [
  { name: 'pve1', ip: '192.0.2.11' },
  { name: 'pve2', ip: '192.0.2.12' },
  { name: 'pve3', ip: '2001:db8::13' },
];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'vfmap-pvecluster-'));
  cluster = makePveCluster(join(tmp, 'cluster'), nodes, { clusterName: 'lab' });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a generated Proxmox cluster', () => {
  it("signs each node's pve-ssl.pem with the cluster CA, with Proxmox's names for it", () => {
    expect(opensslSubject(cluster.ca.certFile)).toBe('CN = Proxmox Virtual Environment, OU = lab, O = PVE Cluster Manager CA');
    for (const node of nodes) {
      const certFile = join(cluster.dir, 'nodes', node.name, 'pve-ssl.pem');
      expect(opensslVerifies(cluster.ca.certFile, certFile)).toBe(true);
      const ip = node.ip.includes(':') ? '2001:DB8:0:0:0:0:0:13' : node.ip;
      expect(opensslSans(certFile)).toEqual(['DNS:localhost', `DNS:${node.name}`, 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', `IP Address:${ip}`]);
    }
    const stranger = makePveCluster(join(tmp, 'stranger'), [nodes[0]!]);
    expect(opensslVerifies(cluster.ca.certFile, join(stranger.dir, 'nodes/pve1/pve-ssl.pem'))).toBe(false);
  });

  it("installs /etc/pve as one node sees it: every node's certificate, its own key only, local linked to its directory", () => {
    const root = join(tmp, 'root-pve2');
    installPveNode(cluster, root, 'pve2', { vmlist: { '100': { node: 'pve1', type: 'qemu' }, '201': { node: 'pve2', type: 'lxc' } } });
    const pve = join(root, 'etc/pve');
    expect(readFileSync(join(pve, 'pve-root-ca.pem'), 'utf8')).toBe(cluster.ca.cert);
    expect(statSync(join(pve, 'priv')).mode & 0o777).toBe(0o700);
    expect(existsSync(join(pve, 'priv/pve-root-ca.key'))).toBe(true);
    for (const { name } of nodes) expect(existsSync(join(pve, 'nodes', name, 'pve-ssl.pem'))).toBe(true);
    expect(['pve1', 'pve2', 'pve3'].map((name) => existsSync(join(pve, 'nodes', name, 'pve-ssl.key')))).toEqual([false, true, false]);
    expect(readlinkSync(join(pve, 'local'))).toBe('nodes/pve2');
    expect(readFileSync(join(pve, 'local/pve-ssl.pem'), 'utf8')).toBe(readFileSync(join(cluster.dir, 'nodes/pve2/pve-ssl.pem'), 'utf8'));

    expect(JSON.parse(readFileSync(join(pve, '.members'), 'utf8'))).toEqual({
      nodename: 'pve2',
      version: 1,
      cluster: { name: 'lab', version: 1, nodes: 3, quorate: 1 },
      nodelist: {
        pve1: { id: 1, online: 1, ip: '192.0.2.11' },
        pve2: { id: 2, online: 1, ip: '192.0.2.12' },
        pve3: { id: 3, online: 1, ip: '2001:db8::13' },
      },
    });
    expect(JSON.parse(readFileSync(join(pve, '.vmlist'), 'utf8'))).toEqual({
      version: 1,
      ids: { '100': { node: 'pve1', type: 'qemu', version: 1 }, '201': { node: 'pve2', type: 'lxc', version: 1 } },
    });
  });

  it('rewrites membership: nodes going offline, quorum lost, the version counting up', () => {
    const root = join(tmp, 'root-pve1');
    installPveNode(cluster, root, 'pve1');
    writeMembers(root, cluster, 'pve1', [nodes[0]!, { ...nodes[1]!, online: false }, { ...nodes[2]!, online: false }]);
    const members = JSON.parse(readFileSync(join(root, 'etc/pve/.members'), 'utf8'));
    expect(members.version).toBe(2);
    expect(members.cluster).toMatchObject({ nodes: 3, quorate: 0 });
    expect(members.nodelist.pve2).toEqual({ id: 2, online: 0, ip: '192.0.2.12' });
  });

  it('refuses to install a node the cluster does not have', () => {
    expect(() => installPveNode(cluster, join(tmp, 'root-x'), 'pve9')).toThrow('pve9 is not a node of the cluster');
  });
});
