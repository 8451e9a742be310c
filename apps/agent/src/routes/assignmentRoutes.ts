import {
  AssignmentRequest,
  AssignmentResult,
  HypervisorConflictProblem,
  HypervisorInvalidRequestProblem,
  HypervisorUnknownVmProblem,
  HypervisorUnsupportedProblem,
  InvalidInputProblem,
  IommuGroupSharedProblem,
  NoIommuGroupProblem,
  NotAVfProblem,
  PreconditionFailedProblem,
  UnknownResourceProblem,
  UnknownVfProblem,
  UnknownVmProblem,
  VfHeldProblem,
  VfNotHeldProblem,
  VfHeldByProcessProblem,
} from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { Response } from 'express';
import type { LocalHost } from '../hostBackend';
import type { HostRegistry } from '../hostRegistry';
import { pfEtagOf } from '../operations/precondition';
import { fleetProblems, hostReadProblems } from './hostReadProblems';
import { forwardToPeer, ifMatchOf, isForwarded } from './forwarding';
import { route, type RouteHandlers } from './route';
import { VfParams } from './routeParams';

/** What the hypervisor adapter may answer to an attach or a detach (or the scan before it), besides the agent's own refusals. */
const hypervisorProblems = [PreconditionFailedProblem, HypervisorUnknownVmProblem, HypervisorInvalidRequestProblem, HypervisorUnsupportedProblem, HypervisorConflictProblem, ...hostReadProblems, ...fleetProblems];

export const assignmentRoutes = {
  assignVf: route({
    method: 'post',
    path: '/api/v1/hosts/:host/vfs/:vf/assignment',
    summary:
      "Gives a free VF to a VM through the hypervisor. The answer's effect says whether the VM has it now (live) or at its next start (next-start). If-Match as for numvfs: the topology's ETag or the VF's PF's, checked in the PF's turn (412 when neither matches).",
    params: VfParams,
    body: AssignmentRequest,
    write: 'assign',
    ifMatch: true,
    answer: { description: 'the VM configuration names the VF', schema: AssignmentResult },
    problems: [
      InvalidInputProblem,
      UnknownResourceProblem,
      UnknownVfProblem,
      NotAVfProblem,
      UnknownVmProblem,
      VfHeldProblem,
      NoIommuGroupProblem,
      IommuGroupSharedProblem,
      ...hypervisorProblems,
    ],
  }),
  releaseVf: route({
    method: 'delete',
    path: '/api/v1/hosts/:host/vfs/:vf/assignment',
    summary:
      "Takes a VF back from the VM whose configuration names it. A VF a running process holds that no configuration of it names (a hand-started QEMU; or a process holding a VF another VM's configuration names) is refused with 409 vf-held-by-process, naming the process: there is no configuration to edit, stop that process or VM. If-Match as for numvfs: the topology's ETag or the VF's PF's, checked in the PF's turn (412 when neither matches).",
    params: VfParams,
    write: 'release',
    ifMatch: true,
    answer: { description: 'the VM configuration no longer names the VF', schema: AssignmentResult },
    problems: [InvalidInputProblem, UnknownResourceProblem, UnknownVfProblem, NotAVfProblem, VfNotHeldProblem, VfHeldByProcessProblem, ...hypervisorProblems],
  }),
};

export function assignmentHandlers(hosts: HostRegistry): RouteHandlers<typeof assignmentRoutes> {
  return {
    assignVf: async ({ params, body }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { body, principal: writerOf(res).principal });
      return withPfEtag(host, res, await host.assign(params.vf, body, writerOf(res), ifMatch));
    },
    releaseVf: async ({ params }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { principal: writerOf(res).principal });
      return withPfEtag(host, res, await host.release(params.vf, writerOf(res), ifMatch));
    },
  };
}

/**
 * The answer carries the ETag of the VF's PF as the change left it (the operation's own re-read,
 * which the host keeps), as a count change's does: the page's next write on that PF sends it.
 */
async function withPfEtag(host: LocalHost, res: Response, result: AssignmentResult): Promise<AssignmentResult> {
  res.setHeader('ETag', pfEtagOf((await host.topology()).topology, result.vf.pf));
  return result;
}
