import type { NetworkInterfaceInfo } from 'node:os';

/**
 * The names the agent's own certificate carries: the hostname and localhost, the loopback addresses, and
 * every address the host has on a network (os.networkInterfaces(), internal ones left out) — a peer that
 * checks the name against a CA finds the one it dialled, whichever it was.
 */
export function certificateNames(
  hostname: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): { dns: string[]; ips: string[] } {
  const ips = ['127.0.0.1', '::1'];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) if (!info.internal) ips.push(info.address);
  }
  return { dns: [...new Set([hostname, 'localhost'])], ips: [...new Set(ips)] };
}
