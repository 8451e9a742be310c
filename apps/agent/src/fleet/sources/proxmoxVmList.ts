import { z } from 'zod';
import { ProxmoxNodeName } from './proxmoxNodeName';
import { PMXCFS_MAX_BYTES, pveClusterPaths } from './pveClusterPaths';
import { readBoundedFile } from './readBoundedFile';
import { SourceReadError } from './sourceErrors';
import { describeIssues } from './zodIssues';

export interface VmListEntry {
  /** The node whose `nodes/<node>/qemu-server` (or `lxc`) holds the guest's config. */
  node: string;
  /** 'qemu' or 'lxc' today; another kind a later Proxmox adds is passed on, not refused. */
  type: string;
}

const VmListFile = z.object({
  ids: z.record(
    z.string().regex(/^[1-9]\d*$/, 'not a VM id'),
    z.object({ node: ProxmoxNodeName, type: z.string().min(1) }),
  ),
});

/**
 * Reads pmxcfs' `/etc/pve/.vmlist`: which node owns each guest, cluster-wide, so a write for a
 * VM can be sent to the one agent that may make it. Keys are VM ids as strings, as vfmap spells
 * them everywhere. Throws a SourceReadError naming `file` when the text is not what pmxcfs writes.
 */
export function parseVmList(text: string, file = '/etc/pve/.vmlist'): Map<string, VmListEntry> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SourceReadError(`${file} is not JSON: ${(err as Error).message}`, file);
  }
  const parsed = VmListFile.safeParse(json);
  if (!parsed.success) throw new SourceReadError(`${file} is not what pmxcfs writes: ${describeIssues(parsed.error)}`, file);
  const ids = Object.entries(parsed.data.ids).sort(([a], [b]) => Number(a) - Number(b));
  return new Map(ids.map(([vmid, entry]) => [vmid, { node: entry.node, type: entry.type }]));
}

/** Reads `ROOT/etc/pve/.vmlist` (at most 1 MiB, like every pmxcfs file) and parses it. */
export async function readVmList(root: string): Promise<Map<string, VmListEntry>> {
  const file = pveClusterPaths(root).vmList;
  return parseVmList(await readBoundedFile(file, PMXCFS_MAX_BYTES), file);
}
