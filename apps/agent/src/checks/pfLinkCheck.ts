import type { Check } from '@vfmap/model';
import type { CheckRun } from './checkInput';

const DOWN = new Set(['down', 'lowerlayerdown', 'notpresent']);

/**
 * PF link down: a NIC PF's VFs share its port, so with the PF's link down no VF passes traffic,
 * whatever the VM sees. Only PFs with VFs or a netdev are looked at; NVMe PFs have no netdev.
 */
export const pfLinkCheck: CheckRun = ({ files, topology }) => {
  const out: Check[] = [];
  for (const pf of topology.pfs) {
    const down = pf.netdevs.filter((n) => n.operState !== null && DOWN.has(n.operState));
    if (pf.netdevs.length === 0 || pf.numVfs === 0 || down.length === 0) continue;
    const name = down[0]!.name;
    out.push({
      id: 'pf-link',
      scope: 'pf',
      target: pf.address,
      status: 'warn',
      title: `The link of ${pf.address} (${name}) is ${down[0]!.operState}: its ${pf.numVfs} VFs pass no traffic`,
      evidence: [files.evidence(files.paths.netFile(name, 'operstate'), down[0]!.operState), files.evidence(files.paths.netFile(name, 'carrier'), files.text(files.paths.netFile(name, 'carrier')))],
      why: 'VFs send and receive through their PF\'s port. With the PF administratively down or without carrier, every VF is cut off (most drivers report the VF link down to the guest too, unless its link-state is forced to enable).',
      fix: {
        proxmox: `Bring the PF up even when it carries no address (ip link set ${name} up; in /etc/network/interfaces: "auto ${name}" and "iface ${name} inet manual"), then check the cable and the switch port (ethtool ${name}).`,
        debian: `ip link set ${name} up, and keep it up at boot ("auto ${name}" / "iface ${name} inet manual" in /etc/network/interfaces, or a networkd .network file with [Link] ActivationPolicy=always-up); check the cable and switch port (ethtool ${name}).`,
      },
    });
  }
  return out;
};
