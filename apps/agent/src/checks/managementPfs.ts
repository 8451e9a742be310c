import type { Topology } from '@vfmap/model';
import { defaultRoutes, type DefaultRoute } from './defaultRoutes';
import type { HostFiles } from './hostFiles';
import { lowerInterfaces, type LowerPath } from './lowerInterfaces';
import { nodeAddress, type NodeAddress } from './nodeAddress';

/** Why a PF is on the management path: it carries the default route, or the address the node is known by. */
export type ManagementReason = 'default-route' | 'node-address';

export interface ManagementPf extends LowerPath {
  /** Each reason the PF is on the management path, the default route first. */
  carries: ManagementReason[];
}

export interface ManagementPaths {
  /** The default routes read; null when /proc/net/route could not be read. */
  routes: DefaultRoute[] | null;
  /** The address this Proxmox node is known by and the interface holding it; null off Proxmox or when not told. */
  node: NodeAddress | null;
  /** PF address → the chain from the routed (or addressed) interface down to its netdev. */
  pfs: Map<string, ManagementPf>;
}

/**
 * The PFs that carry the host's management path: under the interfaces holding a default route in
 * /proc/net/route, and on Proxmox under the interface holding the node's address (`.members`),
 * followed down through bridges (brif/), bonds and VLANs to the PFs' netdevs. The node's address
 * matters where the default route leaves elsewhere: the cluster (corosync) and the GUI speak to
 * the node there. Used by the check and by the count changes, which refuse such a PF unless forced.
 */
export function managementPfs(files: HostFiles, topology: Topology): ManagementPaths {
  const text = files.text(files.paths.netRoute);
  const routes = text === null ? null : defaultRoutes(text);
  const node = nodeAddress(files);
  const pfByNetdev = new Map(topology.pfs.flatMap((pf) => pf.netdevs.map((n) => [n.name, pf.address] as const)));
  const pfs = new Map<string, ManagementPf>();
  const follow = (iface: string, reason: ManagementReason) => {
    for (const leaf of lowerInterfaces(files, iface)) {
      const pf = pfByNetdev.get(leaf.ifname);
      if (pf === undefined) continue;
      const had = pfs.get(pf);
      if (!had) pfs.set(pf, { ...leaf, carries: [reason] });
      else if (!had.carries.includes(reason)) had.carries.push(reason);
    }
  };
  for (const iface of new Set((routes ?? []).map((r) => r.iface))) follow(iface, 'default-route');
  if (node?.iface) follow(node.iface, 'node-address');
  return { routes, node, pfs };
}

/** "the host's default route", "the node's address 10.0.0.5", or both, for titles and refusals. */
export function carriedWords(leaf: ManagementPf, node: NodeAddress | null): string {
  const words = leaf.carries.map((c) => (c === 'default-route' ? "the host's default route" : `the address node ${node?.node ?? '?'} is known by (${node?.ip ?? '?'})`));
  return words.join(' and ');
}
