import type { Pf, Topology } from '@vfmap/model';
import { checkPaths } from '../checks/checkPaths';
import { hostFiles } from '../checks/hostFiles';
import { carriedWords, managementPfs } from '../checks/managementPfs';
import { OperationRefused } from './errors';

/**
 * Refuses a count change on the PF that carries the host's default route or, on Proxmox, the
 * address the node is known by (itself, or as a port of a bridge or bond), unless forced:
 * re-creating VFs makes some PF drivers reset the port (i40e, ice, bnxt re-initialise it), which
 * cuts the management connection the request came over. Reads /proc/net/route, /etc/pve/.members
 * (with fib_trie, if_inet6 or /etc/hosts for the node's address) and a few sys/class/net entries under `root`.
 */
export function checkManagementPath(root: string, topology: Topology, pf: Pf, count: number): void {
  const { pfs, node } = managementPfs(hostFiles(checkPaths(root)), topology);
  const leaf = pfs.get(pf.address);
  if (!leaf) return;
  const through = leaf.chain.length > 1 ? ` through ${leaf.chain.slice(0, -1).join(' → ')}` : '';
  throw new OperationRefused(
    { reason: 'management-path', interfaces: leaf.chain },
    `${pf.address} (${leaf.ifname}) carries ${carriedWords(leaf, node)}${through}: changing its VF count from ${pf.numVfs} to ${count} can reset its link and cut the host off. Send force to change it anyway (from a console, or out of band).`,
  );
}

/**
 * How `vfmap apply-desired` puts back what vfmap keeps. `atBoot`: the management-path refusal
 * protects a live link from a change an operator is about to make; the kept count is a change the
 * operator made and chose to keep, and at boot (VFs start at 0, the link comes up with them) it
 * is put back on the management PF too. VFs a VM holds are still never destroyed without --force.
 */
export interface RestoreOptions {
  atBoot?: boolean;
}
