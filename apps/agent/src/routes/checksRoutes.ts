import { HostChecks, UnknownResourceProblem } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';
import { forwardToPeer, isForwarded } from './forwarding';
import { fleetProblems, hostReadProblems } from './hostReadProblems';
import { route, type RouteHandlers } from './route';
import { HostParams } from './routeParams';

export const checksRoutes = {
  getChecks: route({
    method: 'get',
    path: '/api/v1/hosts/:host/checks',
    summary:
      "What stops SR-IOV or passthrough on the host, and the fix: IOMMU on, off or passthrough-only (/sys/class/iommu, /sys/kernel/iommu_groups, /proc/cmdline); vfio-pci loaded; SR-IOV capable silicon switched off (the SR-IOV capability in the config space without sriov_totalvfs) or a PF with no driver; VFs in shared IOMMU groups; the PF that carries the host's default route (/proc/net/route through bridges and bonds); many VFs on host drivers with autoprobe on; VF counts or settings that nothing keeps across a reboot (as GET …/persistence says); PF link down; sriov_totalvfs below the card's nominal. Each check has a status, the files and values read, why it matters and the fix for Proxmox and for Debian/libvirt. Reads only.",
    params: HostParams,
    answer: { description: "the host's checks: host checks first, then per PF", schema: HostChecks },
    problems: [UnknownResourceProblem, ...hostReadProblems, ...fleetProblems],
  }),
};

export function checksHandlers(hosts: HostRegistry): RouteHandlers<typeof checksRoutes> {
  return {
    getChecks: async ({ params }, req, res) => {
      const host = hosts.get(params.host, isForwarded(req));
      res.setHeader('Cache-Control', 'no-store');
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { principal: null });
      return host.checks();
    },
  };
}
