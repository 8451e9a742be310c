import { isIP } from 'node:net';
import { z } from 'zod';
import { ProxmoxNodeName } from './proxmoxNodeName';
import { PMXCFS_MAX_BYTES, pveClusterPaths } from './pveClusterPaths';
import { readBoundedFile } from './readBoundedFile';
import { SourceReadError } from './sourceErrors';
import { describeIssues } from './zodIssues';

export interface ClusterNode {
  name: string;
  id: number;
  online: boolean;
  /** Null when pmxcfs does not know it: Proxmox then resolves the node name. */
  ip: string | null;
}

export interface ClusterMembers {
  /** This node. */
  nodename: string;
  /** Null on a standalone node. */
  cluster: { name: string; quorate: boolean } | null;
  /** Sorted by name: pmxcfs writes them in hash-table order, which says nothing. */
  nodes: ClusterNode[];
}

// pmxcfs prints 0/1 for these (status.c); unknown keys (version, nodes…) are ignored.
const MembersFile = z.object({
  nodename: ProxmoxNodeName,
  cluster: z.object({ name: z.string(), quorate: z.number().int() }).optional(),
  nodelist: z
    .record(
      ProxmoxNodeName,
      z.object({
        id: z.number().int(),
        online: z.number().int(),
        ip: z
          .string()
          .refine((ip) => ip === '' || isIP(ip) !== 0, 'not an IP address')
          .optional(),
      }),
    )
    .optional(),
});

/**
 * Reads pmxcfs' `/etc/pve/.members`: who this node is and which nodes share its cluster. Throws a
 * SourceReadError naming `file` when the text is not what pmxcfs writes, so that a caller keeps
 * what it knew rather than forgetting the cluster.
 */
export function parseMembers(text: string, file = '/etc/pve/.members'): ClusterMembers {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SourceReadError(`${file} is not JSON: ${(err as Error).message}`, file);
  }
  const parsed = MembersFile.safeParse(json);
  if (!parsed.success) throw new SourceReadError(`${file} is not what pmxcfs writes: ${describeIssues(parsed.error)}`, file);
  const { nodename, cluster, nodelist = {} } = parsed.data;
  const nodes = Object.entries(nodelist)
    .map(([name, node]) => ({ name, id: node.id, online: node.online !== 0, ip: node.ip ? node.ip : null }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { nodename, cluster: cluster ? { name: cluster.name, quorate: cluster.quorate !== 0 } : null, nodes };
}

/** Reads `ROOT/etc/pve/.members` (at most 1 MiB, like every pmxcfs file) and parses it. */
export async function readMembers(root: string): Promise<ClusterMembers> {
  const file = pveClusterPaths(root).members;
  return parseMembers(await readBoundedFile(file, PMXCFS_MAX_BYTES), file);
}
