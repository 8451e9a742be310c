import type { HostFiles } from './hostFiles';

/** How deep bridge → bond → VLAN → port stacks are followed; real stacks are two or three deep. */
const MAX_DEPTH = 6;

export interface LowerPath {
  /** The physical interface reached. */
  ifname: string;
  /** The chain from the routed interface down to it: `vmbr0 → bond0 → enp1s0f0`. */
  chain: string[];
}

/**
 * The interfaces under `ifname`: a bridge's ports (`brif/`), a bond's slaves (`bonding/slaves`)
 * and any stacked device's `lower_<name>` links (VLANs, macvlan); the leaves are returned with
 * the chain that leads to them. An interface with none of these is a leaf itself.
 */
export function lowerInterfaces(files: HostFiles, ifname: string): LowerPath[] {
  const out: LowerPath[] = [];
  const walk = (name: string, chain: string[]) => {
    if (chain.includes(name) || chain.length > MAX_DEPTH) return;
    const here = [...chain, name];
    const lower = new Set<string>();
    for (const port of files.names(files.paths.netFile(name, 'brif')) ?? []) lower.add(port);
    for (const slave of (files.text(files.paths.netFile(name, 'bonding/slaves')) ?? '').split(/\s+/)) if (slave) lower.add(slave);
    for (const entry of files.names(files.paths.netFile(name)) ?? []) if (entry.startsWith('lower_')) lower.add(entry.slice('lower_'.length));
    if (lower.size === 0) out.push({ ifname: name, chain: here });
    for (const next of lower) walk(next, here);
  };
  walk(ifname, []);
  return out;
}
