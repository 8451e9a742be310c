import type { Check } from '@vfmap/model';
import type { CheckRun } from './checkInput';
import { carriedWords, managementPfs } from './managementPfs';

const WHY =
  "This PF carries the host's default route or, on Proxmox, the address the node is known by (directly or as a port of a bridge or bond): the way the host is managed and, on a cluster, the way corosync reaches it. Changing its VF count makes some drivers reset the PF's link (i40e, ice, bnxt re-initialise the port), which cuts the management connection — on a cluster node, long enough to lose quorum and be fenced.";
const FIX = {
  proxmox:
    'Change VF counts on this PF only from the console or out-of-band (IPMI/iKVM), or in a maintenance window with HA off for the node; better, move vmbr0 to a port without VFs. vfmap refuses count changes here unless forced.',
  debian:
    'Change VF counts on this PF from a console, not over SSH through it, or move the management address to another port. vfmap refuses count changes here unless forced.',
};

/**
 * The PF carries the host's management path: the interfaces holding an IPv4 default route in
 * /proc/net/route and, on Proxmox, the one holding the address the node is known by
 * (`/etc/pve/.members`), followed down through bridges (brif/), bonds and VLANs to the PFs' netdevs.
 */
export const managementPathCheck: CheckRun = ({ files, topology }) => {
  const { paths } = files;
  const { routes, node, pfs } = managementPfs(files, topology);
  if (routes === null && pfs.size === 0) {
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
  const routed = [...new Set((routes ?? []).map((r) => r.iface))];
  const routeEvidence = files.evidence(paths.netRoute, routes === null ? null : routes.length > 0 ? routes.map((r) => `${r.iface} 00000000 ${r.gatewayHex}`).join('; ') : '(no default route)');
  const nodeEvidence = node
    ? [
        files.evidence(node.from === paths.shown(paths.etcHosts) ? paths.etcHosts : paths.pveMembers, `node ${node.node}: ${node.ip}`),
        ...(node.iface && node.evidence ? [files.evidence(node.ip.includes(':') ? paths.ifInet6 : paths.netRoute, node.evidence)] : []),
      ]
    : [];
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
      title: `${address} (${leaf.ifname}) carries ${carriedWords(leaf, node)}${leaf.chain.length > 1 ? ` through ${leaf.chain.slice(0, -1).join(' → ')}` : ''}`,
      evidence: [...(leaf.carries.includes('default-route') ? [routeEvidence] : []), ...(leaf.carries.includes('node-address') ? nodeEvidence : []), ...chainEvidence],
      why: WHY,
      fix: FIX,
    });
  }
  if (out.length === 0) {
    const addressed = node ? `; the node's address ${node.ip} is ${node.iface ? `on ${node.iface}, over no SR-IOV PF` : 'on no interface of this host'}` : '';
    out.push({
      id: 'management-path',
      scope: 'host',
      target: null,
      status: 'ok',
      title: (routed.length > 0 ? `The default route (${routed.join(', ')}) is on no SR-IOV PF` : 'No IPv4 default route: no PF carries the management path') + addressed,
      evidence: [routeEvidence, ...nodeEvidence],
      why: 'Changing VF counts does not touch the port the host is managed through.',
      fix: { proxmox: '', debian: '' },
    });
  }
  return out;
};
