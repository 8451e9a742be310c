import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeCert } from './openssl';

/**
 * Test support (and the bench's): a Proxmox cluster's /etc/pve as pmxcfs shows it on each node — the
 * cluster CA, each node's pve-ssl.pem signed by it with the names Proxmox gives it, `local`, `.members`
 * and `.vmlist` — made with real openssl so that TLS between agents is tested as it runs on a cluster.
 */

export interface PveNode {
  name: string;
  ip: string;
}

export interface PveCluster {
  /** The shared content: pve-root-ca.pem, priv/pve-root-ca.key, nodes/<name>/pve-ssl.{pem,key}. */
  dir: string;
  ca: { cert: string; key: string; certFile: string };
  nodes: PveNode[];
  /** The corosync cluster name `.members` reports. */
  name: string;
}

export type VmList = Record<string, { node: string; type: 'qemu' | 'lxc' }>;

/**
 * Makes the cluster CA (pve-root-ca.pem + priv/pve-root-ca.key) and, per node, a key and certificate
 * signed by it with Proxmox's SANs for pve-ssl.pem: 127.0.0.1, ::1, localhost, the node's IP and name.
 */
export function makePveCluster(dir: string, nodes: PveNode[], options: { clusterName?: string } = {}): PveCluster {
  const name = options.clusterName ?? 'testcluster';
  const ca = makeCert(
    { subject: [['CN', 'Proxmox Virtual Environment'], ['OU', name], ['O', 'PVE Cluster Manager CA']], dns: [], ips: [], ca: true },
    { certFile: join(dir, 'pve-root-ca.pem'), keyFile: join(dir, 'priv/pve-root-ca.key') },
  );
  chmodSync(join(dir, 'priv'), 0o700);
  for (const node of nodes) {
    makeCert(
      {
        subject: [['OU', 'PVE Cluster Node'], ['O', 'Proxmox Virtual Environment'], ['CN', node.name]],
        dns: ['localhost', node.name],
        ips: ['127.0.0.1', '::1', node.ip],
      },
      { certFile: join(dir, 'nodes', node.name, 'pve-ssl.pem'), keyFile: join(dir, 'nodes', node.name, 'pve-ssl.key') },
      ca,
    );
  }
  return { dir, ca: { cert: ca.cert, key: ca.key, certFile: ca.certFile }, nodes, name };
}

/**
 * Writes ROOT/etc/pve as `node` sees it: the CA, every node's pve-ssl.pem, its own pve-ssl.key only,
 * priv/ (0700), `local` → nodes/<node>, `.members` with every node online and `.vmlist`.
 */
export function installPveNode(cluster: PveCluster, root: string, node: string, options: { vmlist?: VmList } = {}): void {
  if (!cluster.nodes.some((n) => n.name === node)) throw new Error(`${node} is not a node of the cluster (${cluster.nodes.map((n) => n.name).join(', ')})`);
  const pve = pveDir(root);
  mkdirSync(pve, { recursive: true });
  cpSync(join(cluster.dir, 'pve-root-ca.pem'), join(pve, 'pve-root-ca.pem'));
  cpSync(join(cluster.dir, 'priv'), join(pve, 'priv'), { recursive: true });
  chmodSync(join(pve, 'priv'), 0o700);
  for (const { name } of cluster.nodes) {
    mkdirSync(join(pve, 'nodes', name), { recursive: true });
    cpSync(join(cluster.dir, 'nodes', name, 'pve-ssl.pem'), join(pve, 'nodes', name, 'pve-ssl.pem'));
  }
  cpSync(join(cluster.dir, 'nodes', node, 'pve-ssl.key'), join(pve, 'nodes', node, 'pve-ssl.key'));
  chmodSync(join(pve, 'nodes', node, 'pve-ssl.key'), 0o640);
  rmSync(join(pve, 'local'), { force: true });
  symlinkSync(join('nodes', node), join(pve, 'local'));
  writeMembers(root, cluster, node, cluster.nodes);
  writeVmList(root, options.vmlist ?? {});
}

/**
 * Rewrites ROOT/etc/pve/.members as pmxcfs does when membership changes: `nodes` with their online
 * state (default online), ids stable from the cluster's order, quorate when more than half are online,
 * and `version` one up from the file it replaces. Replaced by rename, as a reader may be watching.
 */
export function writeMembers(root: string, cluster: PveCluster, node: string, nodes: Array<PveNode & { online?: boolean }>): void {
  const file = join(pveDir(root), '.members');
  const online = nodes.filter((n) => n.online !== false).length;
  const nodelist: Record<string, { id: number; online: 0 | 1; ip: string }> = {};
  nodes.forEach((n, i) => {
    const known = cluster.nodes.findIndex((c) => c.name === n.name);
    nodelist[n.name] = { id: known >= 0 ? known + 1 : cluster.nodes.length + i + 1, online: n.online === false ? 0 : 1, ip: n.ip };
  });
  const members = {
    nodename: node,
    version: previousVersion(file) + 1,
    cluster: { name: cluster.name, version: 1, nodes: nodes.length, quorate: online * 2 > nodes.length ? 1 : 0 },
    nodelist,
  };
  writeReplacing(file, `${JSON.stringify(members)}\n`);
}

/** Writes ROOT/etc/pve/.vmlist in pmxcfs's format: which node holds which guest. */
export function writeVmList(root: string, vmlist: VmList): void {
  const ids: Record<string, { node: string; type: 'qemu' | 'lxc'; version: number }> = {};
  for (const [vmid, vm] of Object.entries(vmlist)) ids[vmid] = { node: vm.node, type: vm.type, version: 1 };
  writeReplacing(join(pveDir(root), '.vmlist'), `${JSON.stringify({ version: 1, ids })}\n`);
}

function pveDir(root: string): string {
  return join(root, 'etc/pve');
}

function previousVersion(file: string): number {
  if (!existsSync(file)) return 0;
  const version: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
  return typeof version === 'number' ? version : 0;
}

function writeReplacing(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text, { mode: 0o640 });
  renameSync(temp, file);
}
