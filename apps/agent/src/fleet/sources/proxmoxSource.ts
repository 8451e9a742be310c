import { lookup } from 'node:dns/promises';
import { readCertificateFingerprint } from './certificateFingerprint';
import { baseUrl } from './hostPort';
import type { PeerSource, SourceOptions } from './peerSource';
import type { PeerTarget, PeerTls } from './peerTarget';
import { type ClusterNode, parseMembers } from './proxmoxMembers';
import { PMXCFS_MAX_BYTES, type PveClusterPaths, pveClusterPaths } from './pveClusterPaths';
import { readBoundedFile } from './readBoundedFile';
import { DEFAULT_POLL_MS, watchFile } from './watchedFile';

/**
 * The other nodes of this Proxmox cluster, from pmxcfs' `.members`: each is reached at
 * https://<its ip>:<peerPort>, pinned to its own `pve-ssl.pem` and verifiable against the cluster
 * CA under its node name — the way pveproxy reaches the node a call is for. A standalone node
 * has no peers. Follows `.members` (by content: pmxcfs gives it no mtime) and the nodes'
 * certificates; a node without an ip whose name does not resolve is left out with a warning and
 * looked up again at the next poll.
 */
export function createProxmoxSource(options: SourceOptions): PeerSource {
  const paths = pveClusterPaths(options.root);
  const resolveName = options.resolveName ?? lookupAddress;
  let certificates: string[] = [];

  const watched = watchFile<PeerTarget[]>({
    files: () => [{ path: paths.members, by: 'content' }, ...certificates.map((path) => ({ path, by: 'stat' as const }))],
    load: async () => {
      const members = parseMembers(await readBoundedFile(paths.members, PMXCFS_MAX_BYTES), paths.members);
      const peers = members.nodes.filter((node) => node.name !== members.nodename);
      certificates = peers.map((node) => paths.nodeCertificate(node.name));
      const read = await Promise.all(peers.map((node) => nodeTarget(node, paths, options.peerPort, resolveName)));
      return {
        value: read.flatMap((r) => (r.target ? [r.target] : [])),
        problems: read.flatMap((r) => r.problems),
        retry: read.some((r) => r.target === null),
      };
    },
    initial: [],
    pollMs: options.pollMs ?? DEFAULT_POLL_MS,
    onWarning: options.onWarning,
  });
  return { name: 'proxmox', ...watched };
}

async function nodeTarget(
  node: ClusterNode,
  paths: PveClusterPaths,
  peerPort: number,
  resolveName: (name: string) => Promise<string | null>,
): Promise<{ target: PeerTarget | null; problems: string[] }> {
  const address = node.ip ?? (await resolveName(node.name).catch(() => null));
  if (address === null) {
    return {
      target: null,
      problems: [`Proxmox node ${node.name} has no ip in ${paths.members} and its name does not resolve; left out until it does`],
    };
  }
  const problems: string[] = [];
  const tls: PeerTls = { caFile: paths.rootCa, serverName: node.name };
  try {
    const fingerprint = await readCertificateFingerprint(paths.nodeCertificate(node.name));
    if (fingerprint) tls.fingerprint = fingerprint;
  } catch (err) {
    problems.push(`${(err as Error).message}; node ${node.name} is verified against the cluster CA only`);
  }
  return {
    target: {
      url: baseUrl('https', address, peerPort),
      name: node.name,
      source: 'proxmox',
      hypervisor: 'proxmox',
      tls,
      credentialFile: paths.fleetToken,
      online: node.online,
    },
    problems,
  };
}

/** The system resolver (getaddrinfo, so /etc/hosts counts), as Proxmox resolves a node name. */
async function lookupAddress(name: string): Promise<string | null> {
  try {
    return (await lookup(name)).address;
  } catch {
    return null;
  }
}
