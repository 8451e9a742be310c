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
  UnknownResourceProblem,
  UnknownVfProblem,
  UnknownVmProblem,
  VfHeldProblem,
  VfNotHeldProblem,
} from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { HostRegistry } from '../hostRegistry';
import { hostReadProblems } from './hostReadProblems';
import { route, type RouteHandlers } from './route';
import { VfParams } from './routeParams';

/** What the hypervisor adapter may answer to an attach or a detach (or the scan before it), besides the agent's own refusals. */
const hypervisorProblems = [HypervisorUnknownVmProblem, HypervisorInvalidRequestProblem, HypervisorUnsupportedProblem, HypervisorConflictProblem, ...hostReadProblems];

export const assignmentRoutes = {
  assignVf: route({
    method: 'post',
    path: '/api/v1/hosts/:host/vfs/:vf/assignment',
    summary: "Gives a free VF to a VM through the hypervisor. The answer's effect says whether the VM has it now (live) or at its next start (next-start).",
    params: VfParams,
    body: AssignmentRequest,
    write: true,
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
    summary: 'Takes a VF back from the VM whose configuration names it.',
    params: VfParams,
    write: true,
    answer: { description: 'the VM configuration no longer names the VF', schema: AssignmentResult },
    problems: [InvalidInputProblem, UnknownResourceProblem, UnknownVfProblem, NotAVfProblem, VfNotHeldProblem, ...hypervisorProblems],
  }),
};

export function assignmentHandlers(hosts: HostRegistry): RouteHandlers<typeof assignmentRoutes> {
  return {
    assignVf: ({ params, body }, _req, res) => hosts.get(params.host).assign(params.vf, body, writerOf(res)),
    releaseVf: ({ params }, _req, res) => hosts.get(params.host).release(params.vf, writerOf(res)),
  };
}
