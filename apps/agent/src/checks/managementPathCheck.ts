import type { Check } from '@vfmap/model';
import type { CheckRun } from './checkInput';
import { managementPfs } from './managementPfs';

const WHY =
  "This PF carries the host's default route (directly or as a port of a bridge or bond): the way the host is managed. Changing its VF count makes some drivers reset the PF's link (i40e, ice, bnxt re-initialise the port), which cuts the management connection — on a cluster node, long enough to lose quorum and be fenced.";
const FIX = {
  proxmox:
    'Change VF counts on this PF only from the console or out-of-band (IPMI/iKVM), or in a maintenance window with HA off for the node; better, move vmbr0 to a port without VFs. vfmap refuses count changes here unless forced.',
  debian:
    'Change VF counts on this PF from a console, not over SSH through it, or move the management address to another port. vfmap refuses count changes here unless forced.',
};

/**
 * The PF carries the host's management path: the interfaces holding an IPv4 default route in
 * /proc/net/route, followed down through bridges (brif/), bonds and VLANs to the PFs' netdevs.
 */
export const managementPathCheck: CheckRun = ({ files, topology }) => {
  const { paths } = files;
  const { routes, pfs } = managementPfs(files, topology);
  if (routes === null) {
    return [
      {
        id: 'management-path',
        scope: 'host',
        target: null,
        status: 'unknown',
        title: 'The default route could not be read',
        evidence: [files.evidence(paths.netRoute, null)],
        why: 'Which port carries the management path is read from /proc/net/route; without it a count change could cut the host off unnoticed.',
        fix: { proxmox: '', debian: '' },
      },
    ];
  }
  const routed = [...new Set(routes.map((r) => r.iface))];
  const routeEvidence = files.evidence(paths.netRoute, routes.length > 0 ? routes.map((r) => `${r.iface} 00000000 ${r.gatewayHex}`).join('; ') : '(no default route)');
  const out: Check[] = [];
  for (const [address, leaf] of pfs) {
    const chainEvidence = leaf.chain.slice(0, -1).map((upper, i) => {
      const lower = leaf.chain[i + 1]!;
      const brif = files.exists(paths.netFile(upper, `brif/${lower}`));
      return files.evidence(brif ? paths.netFile(upper, `brif/${lower}`) : paths.netFile(upper), brif ? 'port of the bridge' : `lower: ${lower}`);
    });
    out.push({
      id: 'management-path',
      scope: 'pf',
      target: address,
      status: 'warn',
      title: `${address} (${leaf.ifname}) carries the host's default route${leaf.chain.length > 1 ? ` through ${leaf.chain.slice(0, -1).join(' → ')}` : ''}`,
      evidence: [routeEvidence, ...chainEvidence],
      why: WHY,
      fix: FIX,
    });
  }
  if (out.length === 0) {
    out.push({
      id: 'management-path',
      scope: 'host',
      target: null,
      status: 'ok',
      title: routed.length > 0 ? `The default route (${routed.join(', ')}) is on no SR-IOV PF` : 'No IPv4 default route: no PF carries the management path',
      evidence: [routeEvidence],
      why: 'Changing VF counts does not touch the port the host is managed through.',
      fix: { proxmox: '', debian: '' },
    });
  }
  return out;
};
