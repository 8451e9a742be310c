import { simIpLinkShow } from '@vfmap/simhost';
import { ipLinkShow, type IpLinkShow } from '@vfmap/sysfs';
import type { KernelSpec } from './kernelSpec';

/**
 * Where the agent reads each VF's settings (`ip -j -d link show dev <pf>`), by the same choice as
 * the kernel it writes to (`--kernel`): `real` runs iproute2's `ip` (netlink of the network
 * namespace the agent runs in); `simulated` asks the simulated kernel of the tree, which prints
 * what `ip` would from its state, so the same parser reads both; `none` (a captured tree: no
 * live kernel behind it) reads nothing, and every VF's config stays null.
 */
export function vfSettingsReader(spec: KernelSpec, options: { timeoutMs?: number } = {}): IpLinkShow | null {
  switch (spec.kind) {
    case 'real':
      return ipLinkShow(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    case 'simulated': {
      const { root } = spec;
      return async (ifname) => {
        try {
          return simIpLinkShow(root, ifname);
        } catch (err) {
          throw new Error(`ip -j -d link show dev ${ifname} failed (exit status 1) on the simulated host: ${(err as Error).message}`);
        }
      };
    }
    case 'none':
      return null;
  }
}
