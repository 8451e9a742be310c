import { z } from 'zod';
import { MacAddress, type Pf } from '@vfmap/model';
import type { IpLinkShow } from '@vfmap/sysfs';
import { readNetDevFacts } from '../persistence/netDevFacts';
import { OperationRefused } from './errors';
import { stableVfMacs } from './stableMacs';

export interface StableMacSourceOptions {
  hostId: string;
  /** The root sysfs is read under (`/` on a host). */
  root: string;
  /** `ip -j -d link show dev <pf>`, when the agent reads netlink; null: sysfs alone. */
  ipLinkShow: IpLinkShow | null;
}

/** What `ip -j link` tells of the permanent MAC: `permaddr`, printed only when the MAC now differs from it. */
const IpPermAddr = z.array(z.object({ permaddr: MacAddress.optional() }).passthrough());

/**
 * The stable MAC of each VF index below `count` of a PF (stableMacs.ts), from its permanent MAC:
 * `permaddr` from `ip -j link` when the MAC was changed since the driver set it, else sysfs's
 * `address` while `addr_assign_type` is 0 (NET_ADDR_PERM). The MAC the PF has now is not a
 * fallback: it changes when someone sets another, and the VFs' MACs must not follow. Refused
 * (no-net-interface, no-permanent-mac) when neither says.
 */
export function stableMacSource(options: StableMacSourceOptions): (pf: Pf, count: number) => Promise<string[]> {
  return async (pf, count) => {
    const netdev = pf.netdevs[0]?.name;
    if (netdev === undefined) {
      throw new OperationRefused({ reason: 'no-net-interface', pf: pf.address }, `${pf.address} has no network interface: its VFs' stable MACs are derived from the PF's permanent MAC and set through its netdev.`);
    }
    const permanent = (await fromIp(options.ipLinkShow, netdev)) ?? (await readNetDevFacts(options.root, pf.address))?.permanentMac ?? null;
    if (permanent === null) {
      throw new OperationRefused(
        { reason: 'no-permanent-mac', pf: pf.address },
        `${netdev} (${pf.address}) reports no permanent MAC: neither ip -j link (permaddr) nor sysfs (addr_assign_type 0) tells it, and stable MACs are derived from it so that they survive a change of the PF's MAC.`,
      );
    }
    return stableVfMacs(options.hostId, permanent, count);
  };
}

/** permaddr, or null when ip is not read, fails, or does not print it (then sysfs says whether the MAC now is the permanent one). */
async function fromIp(ip: IpLinkShow | null, netdev: string): Promise<string | null> {
  if (!ip) return null;
  try {
    const parsed = IpPermAddr.safeParse(JSON.parse((await ip(netdev)).stdout));
    return parsed.success ? (parsed.data[0]?.permaddr ?? null) : null;
  } catch {
    return null;
  }
}
