import type { Topology } from '@vfmap/model';
import { defaultRoutes, type DefaultRoute } from './defaultRoutes';
import type { HostFiles } from './hostFiles';
import { lowerInterfaces, type LowerPath } from './lowerInterfaces';

export interface ManagementPaths {
  /** The default routes read; null when /proc/net/route could not be read. */
  routes: DefaultRoute[] | null;
  /** PF address → the chain from the routed interface down to its netdev. */
  pfs: Map<string, LowerPath>;
}

/**
 * The PFs that carry the host's default route: the interfaces holding one in /proc/net/route,
 * followed down through bridges (brif/), bonds and VLANs to the PFs' netdevs. Used by the check
 * and by the count change, which refuses such a PF unless forced.
 */
export function managementPfs(files: HostFiles, topology: Topology): ManagementPaths {
  const text = files.text(files.paths.netRoute);
  if (text === null) return { routes: null, pfs: new Map() };
  const routes = defaultRoutes(text);
  const pfByNetdev = new Map(topology.pfs.flatMap((pf) => pf.netdevs.map((n) => [n.name, pf.address] as const)));
  const pfs = new Map<string, LowerPath>();
  for (const iface of new Set(routes.map((r) => r.iface))) {
    for (const leaf of lowerInterfaces(files, iface)) {
      const pf = pfByNetdev.get(leaf.ifname);
      if (pf !== undefined && !pfs.has(pf)) pfs.set(pf, leaf);
    }
  }
  return { routes, pfs };
}
