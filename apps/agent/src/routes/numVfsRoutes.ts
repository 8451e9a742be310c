import {
  CountOutOfRangeProblem,
  InvalidInputProblem,
  NoKernelProblem,
  NotAPfProblem,
  NumVfsRequest,
  NumVfsResult,
  NumVfsWriteRefusedProblem,
  KernelWriteHungProblem,
  PartialProblem,
  PreconditionFailedProblem,
  StepsStoppedProblem,
  UnknownPfProblem,
  UnknownResourceProblem,
  VfsHeldProblem,
  ManagementPathProblem,
} from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { HostRegistry } from '../hostRegistry';
import { fleetProblems, hostReadProblems } from './hostReadProblems';
import { forwardToPeer, ifMatchOf, isForwarded } from './forwarding';
import { pfEtag } from '../operations/precondition';
import { route, type RouteHandlers } from './route';
import { PfParams } from './routeParams';

export const numVfsRoutes = {
  setNumVfs: route({
    method: 'put',
    path: '/api/v1/hosts/:host/pfs/:pf/numvfs',
    summary:
      "Sets a PF's VF count. With VFs enabled and another non-zero count it writes 0 first, then the count (the kernel refuses N→M with EBUSY), which destroys and re-creates every VF; refused with 409 and the VMs involved when VMs hold any VF it destroys, and with 409 management-path when the PF carries the host's default route (itself or as a port of a bridge or bond: re-creating VFs resets some NICs' links), unless force. Requests on one PF queue and never interleave. Answers with the PF re-read from sysfs, and the PF's new ETag. If-Match (optional; `*` means any state) names the topology's ETag or the PF's: checked when the request's turn on the PF comes, against the host as it is then, and 412 when neither matches — of several writes sent with one ETag only the first applies. On a PF with stable MACs on (PUT …/stable-macs), the new VFs are given theirs after the count write; a VF the driver refuses then answers steps-stopped (the count stays written, the problem names the VFs done).",
    params: PfParams,
    body: NumVfsRequest,
    write: 'numvfs',
    ifMatch: true,
    answer: { description: 'done, or nothing to do (changed is false)', schema: NumVfsResult },
    problems: [
      InvalidInputProblem,
      UnknownResourceProblem,
      UnknownPfProblem,
      NotAPfProblem,
      CountOutOfRangeProblem,
      VfsHeldProblem,
      ManagementPathProblem,
      NumVfsWriteRefusedProblem,
      KernelWriteHungProblem,
      NoKernelProblem,
      PartialProblem,
      StepsStoppedProblem,
      PreconditionFailedProblem,
      ...hostReadProblems,
      ...fleetProblems,
    ],
  }),
};

export function numVfsHandlers(hosts: HostRegistry): RouteHandlers<typeof numVfsRoutes> {
  return {
    setNumVfs: async ({ params, body }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { body, principal: writerOf(res).principal });
      const result = await host.setNumVfs(params.pf, body, writerOf(res), ifMatch);
      res.setHeader('ETag', pfEtag(result.pf));
      return result;
    },
  };
}
