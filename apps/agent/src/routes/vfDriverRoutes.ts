import {
  AutoprobeRequest,
  DriverNotLoadedProblem,
  InvalidInputProblem,
  KernelWriteHungProblem,
  NoIommuGroupProblem,
  NoKernelProblem,
  NotAPfProblem,
  NotAVfProblem,
  PfWriteResult,
  PreconditionFailedProblem,
  SysfsProblem,
  UnknownPfProblem,
  UnknownResourceProblem,
  UnknownVfProblem,
  VfDriverFailedProblem,
  VfDriverPartialProblem,
  VfDriverRequest,
  VfDriverResult,
  VfInUseProblem,
} from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { HostRegistry } from '../hostRegistry';
import { pfEtag, pfEtagOf } from '../operations/precondition';
import { fleetProblems, hostReadProblems } from './hostReadProblems';
import { forwardToPeer, ifMatchOf, isForwarded } from './forwarding';
import { route, type RouteHandlers } from './route';
import { PfParams, VfParams } from './routeParams';

export const vfDriverRoutes = {
  setVfDriver: route({
    method: 'put',
    path: '/api/v1/hosts/:host/vfs/:vf/driver',
    summary:
      "Binds a VF to vfio-pci (ready for a VM) or, with driver null, gives it back to its host driver: libvirt's way, through the VF's driver_override, an unbind from the driver it has and drivers_probe; null clears the override, unbinds vfio-pci and probes, so the host driver (igbvf, iavf…) takes it — unless the PF's sriov_drivers_autoprobe is 0. Refused (409) while a running or paused VM uses the VF, and when vfio-pci is not loaded (vfmap loads no module: `modprobe vfio-pci`). A step the kernel refuses is undone; the problem says how the VF is left. Nothing to do answers changed false. The driver is kept in the PF's desired state before the change. If-Match as for numvfs: the topology's ETag or the VF's PF's.",
    params: VfParams,
    body: VfDriverRequest,
    write: 'vfdriver',
    ifMatch: true,
    answer: { description: 'done, or nothing to do (changed is false)', schema: VfDriverResult },
    problems: [
      InvalidInputProblem,
      UnknownResourceProblem,
      UnknownVfProblem,
      NotAVfProblem,
      VfInUseProblem,
      NoIommuGroupProblem,
      DriverNotLoadedProblem,
      VfDriverFailedProblem,
      VfDriverPartialProblem,
      KernelWriteHungProblem,
      NoKernelProblem,
      PreconditionFailedProblem,
      ...hostReadProblems,
      ...fleetProblems,
    ],
  }),
  setAutoprobe: route({
    method: 'put',
    path: '/api/v1/hosts/:host/pfs/:pf/autoprobe',
    summary:
      "Writes a PF's sriov_drivers_autoprobe: false keeps the VFs created from then on off host drivers (no host interface per VF for VFs meant for VMs; driver_override still binds them to vfio-pci), true lets host drivers probe them. The VFs the PF has keep their drivers. Kept in the PF's desired state before the change. If-Match as for numvfs.",
    params: PfParams,
    body: AutoprobeRequest,
    write: 'autoprobe',
    ifMatch: true,
    answer: { description: 'done, or nothing to do (changed is false)', schema: PfWriteResult },
    problems: [
      InvalidInputProblem,
      UnknownResourceProblem,
      UnknownPfProblem,
      NotAPfProblem,
      SysfsProblem,
      KernelWriteHungProblem,
      NoKernelProblem,
      PreconditionFailedProblem,
      ...hostReadProblems,
      ...fleetProblems,
    ],
  }),
};

export function vfDriverHandlers(hosts: HostRegistry): RouteHandlers<typeof vfDriverRoutes> {
  return {
    setVfDriver: async ({ params, body }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { body, principal: writerOf(res).principal });
      const result = await host.setVfDriver(params.vf, body, writerOf(res), ifMatch);
      // The ETag of the VF's PF as the change left it (the operation's own re-read, which the host keeps).
      res.setHeader('ETag', pfEtagOf((await host.topology()).topology, result.vf.pf));
      return result;
    },
    setAutoprobe: async ({ params, body }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { body, principal: writerOf(res).principal });
      const result = await host.setAutoprobe(params.pf, body, writerOf(res), ifMatch);
      res.setHeader('ETag', pfEtag(result.pf));
      return result;
    },
  };
}
