import { HostPersistence, InvalidInputProblem, NotAPfProblem, PfWriteResult, UnknownPfProblem, UnknownResourceProblem } from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { HostRegistry } from '../hostRegistry';
import { forwardToPeer, isForwarded } from './forwarding';
import { fleetProblems, hostReadProblems } from './hostReadProblems';
import { route, type RouteHandlers } from './route';
import { HostParams, PfParams } from './routeParams';

export const persistenceRoutes = {
  getPersistence: route({
    method: 'get',
    path: '/api/v1/hosts/:host/persistence',
    summary:
      "Per SR-IOV PF: the desired state vfmap keeps (<stateDir>/desired.json) against the PF as read now (count, each kept VF setting, driver, autoprobe) with what differs; what keeps it at boot (a drop-in for the .link file that pins the PF, vfmap's own .link file sorting before 99-default.link, or the vfmap-apply-desired unit), its path and whether that file holds what is desired now; whether the initramfs needs updating; what is lost at reboot; other owners of the PF's VFs on the host (sysfs.conf, udev rules, units, NetworkManager, networkd, max_vfs, ifupdown) and a warning where two compete. Reads only.",
    params: HostParams,
    answer: { description: "the host's PFs' persistence", schema: HostPersistence },
    problems: [UnknownResourceProblem, ...hostReadProblems, ...fleetProblems],
  }),
  persistPf: route({
    method: 'post',
    path: '/api/v1/hosts/:host/pfs/:pf/persist',
    summary:
      "Writes what keeps the PF's desired state at boot, as GET …/persistence plans it: the .link file or drop-in (atomically, mode 0644, through the root helper, which plans it again itself); nothing where the apply-desired unit keeps it. Removes vfmap's own files that no longer apply — all of them for the PF when nothing (or a count of 0) is desired: the undo. The steps say when update-initramfs -u is needed. Queued on the PF with its other writes, audited.",
    params: PfParams,
    write: 'persist',
    answer: { description: 'what was written or removed, in words', schema: PfWriteResult },
    problems: [InvalidInputProblem, UnknownResourceProblem, UnknownPfProblem, NotAPfProblem, ...hostReadProblems, ...fleetProblems],
  }),
};

export function persistenceHandlers(hosts: HostRegistry): RouteHandlers<typeof persistenceRoutes> {
  return {
    getPersistence: async ({ params }, req, res) => {
      const host = hosts.get(params.host, isForwarded(req));
      res.setHeader('Cache-Control', 'no-store');
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { principal: null });
      return host.persistence();
    },
    persistPf: async ({ params }, req, res) => {
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { principal: writerOf(res).principal });
      return host.persist(params.pf, writerOf(res));
    },
  };
}
