import {
  CountOutOfRangeProblem,
  InvalidInputProblem,
  KernelWriteHungProblem,
  NoKernelProblem,
  NoNetInterfaceProblem,
  NoPermanentMacProblem,
  NotAPfProblem,
  PfWriteResult,
  PreconditionFailedProblem,
  PrepareRequest,
  PrepareResult,
  StableMacsRequest,
  StepsStoppedProblem,
  UnknownPfProblem,
  UnknownResourceProblem,
  VfsHeldProblem,
  ManagementPathProblem,
} from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { HostRegistry } from '../hostRegistry';
import { pfEtag } from '../operations/precondition';
import { forwardToPeer, ifMatchOf, isForwarded } from './forwarding';
import { fleetProblems, hostReadProblems } from './hostReadProblems';
import { route, type RouteHandlers } from './route';
import { PfParams } from './routeParams';

const IF_MATCH = "If-Match as for numvfs: the topology's ETag or the PF's, checked in the PF's turn (412 when neither matches).";
/** What any multi-step PF write can answer besides its own refusals. */
const stepProblems = [InvalidInputProblem, UnknownResourceProblem, UnknownPfProblem, NotAPfProblem, StepsStoppedProblem, KernelWriteHungProblem, NoKernelProblem, PreconditionFailedProblem, ...hostReadProblems, ...fleetProblems] as const;

/** The PF-wide writes that take several steps (issue 14): stable MACs, re-apply, prepare. */
export const pfWriteRoutes = {
  setStableMacs: route({
    method: 'put',
    path: '/api/v1/hosts/:host/pfs/:pf/stable-macs',
    summary: `Turns a PF's stable MACs on or off: every VF gets a locally administered unicast MAC derived from the host id, the PF's permanent MAC and the VF index — the same after every reboot and count change. Recorded in vfmap's desired state first; on, each existing VF that has another MAC is given its own now (one step each, operation.progress events), and VFs created later get theirs after the count write. Off changes the desired state only: the VFs keep the MACs they have. A VF the driver refuses stops the rest (409 steps-stopped, naming the VFs done). ${IF_MATCH}`,
    params: PfParams,
    body: StableMacsRequest,
    write: 'stablemacs',
    ifMatch: true,
    answer: { description: 'done, or nothing to do (changed is false)', schema: PfWriteResult },
    problems: [...stepProblems, NoNetInterfaceProblem, NoPermanentMacProblem],
  }),
  reapplyPf: route({
    method: 'post',
    path: '/api/v1/hosts/:host/pfs/:pf/reapply',
    summary: `Puts a PF's live state back to its desired state in one operation in the PF's turn, writing only what differs: drivers_autoprobe, the count, each kept VF setting (and each VF's stable MAC), each kept driver — one operation.progress event per step. A step that fails stops the rest (steps-stopped names the steps done; they stay done). VFs that VMs hold are never destroyed to get back to the desired count (409 vfs-held). Nothing kept for the PF: nothing to do (changed is false). ${IF_MATCH}`,
    params: PfParams,
    write: 'reapply',
    ifMatch: true,
    answer: { description: 'done, or nothing to do (changed is false)', schema: PfWriteResult },
    problems: [...stepProblems, VfsHeldProblem, NoNetInterfaceProblem, NoPermanentMacProblem],
  }),
  preparePf: route({
    method: 'post',
    path: '/api/v1/hosts/:host/pfs/:pf/prepare',
    summary: `Prepares a PF's VFs for VMs in one operation: records the desired state, then writes drivers_autoprobe, the count, each VF's stable MAC and VLAN, each VF's driver, and, where this agent can write it, what keeps it at boot — the steps of the answer's plan, in that order, one operation.progress event each. dryRun answers the plan only and writes nothing. Refused like a count change when VMs hold VFs it destroys (unless force). A step that fails stops the rest: steps-stopped names the steps done; when nothing on the host had changed, the desired state is put back. ${IF_MATCH}`,
    params: PfParams,
    body: PrepareRequest,
    write: 'prepare',
    ifMatch: true,
    answer: { description: 'done (or the plan alone for dryRun)', schema: PrepareResult },
    problems: [...stepProblems, CountOutOfRangeProblem, VfsHeldProblem, ManagementPathProblem, NoNetInterfaceProblem, NoPermanentMacProblem],
  }),
};

export function pfWriteHandlers(hosts: HostRegistry): RouteHandlers<typeof pfWriteRoutes> {
  return {
    setStableMacs: async ({ params, body }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { body, principal: writerOf(res).principal });
      const result = await host.setStableMacs(params.pf, body, writerOf(res), ifMatch);
      res.setHeader('ETag', pfEtag(result.pf));
      return result;
    },
    reapplyPf: async ({ params }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { principal: writerOf(res).principal });
      const result = await host.reapply(params.pf, writerOf(res), ifMatch);
      res.setHeader('ETag', pfEtag(result.pf));
      return result;
    },
    preparePf: async ({ params, body }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { body, principal: writerOf(res).principal });
      const result = await host.prepare(params.pf, body, writerOf(res), ifMatch);
      res.setHeader('ETag', pfEtag(result.pf));
      return result;
    },
  };
}
