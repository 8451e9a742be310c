import {
  InvalidInputProblem,
  NoKernelProblem,
  NoNetInterfaceProblem,
  NotAVfProblem,
  NoVfSettingsProblem,
  PreconditionFailedProblem,
  UnknownResourceProblem,
  UnknownVfProblem,
  VfConfigChange,
  VfConfigResult,
  VfSettingRefusedProblem,
} from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { HostRegistry } from '../hostRegistry';
import { pfEtagOf } from '../operations/precondition';
import { fleetProblems, hostReadProblems } from './hostReadProblems';
import { forwardToPeer, ifMatchOf, isForwarded } from './forwarding';
import { route, type RouteHandlers } from './route';
import { VfParams } from './routeParams';

export const vfConfigRoutes = {
  setVfConfig: route({
    method: 'put',
    path: '/api/v1/hosts/:host/vfs/:vf/config',
    summary:
      "Changes a VF's settings through its PF's driver: any of mac (unicast), vlan (0–4095, 0 is none) with qos and vlanProtocol, spoofChk, trust, linkState, maxTxRateMbps, minTxRateMbps; only what is given changes. One `ip link set dev <pf> vf <n> …` per setting, in that order; the first the driver refuses stops the rest, and the problem names it and the settings applied before it (they stay applied). The settings are kept as the PF's desired state before the live change. Answers with the VF re-read, its config as the driver reports it now, and the PF's new ETag. If-Match as for numvfs.",
    params: VfParams,
    body: VfConfigChange,
    write: 'vfconfig',
    ifMatch: true,
    answer: { description: 'every setting given was applied', schema: VfConfigResult },
    problems: [
      InvalidInputProblem,
      UnknownResourceProblem,
      UnknownVfProblem,
      NotAVfProblem,
      NoNetInterfaceProblem,
      NoVfSettingsProblem,
      VfSettingRefusedProblem,
      NoKernelProblem,
      PreconditionFailedProblem,
      ...hostReadProblems,
      ...fleetProblems,
    ],
  }),
};

export function vfConfigHandlers(hosts: HostRegistry): RouteHandlers<typeof vfConfigRoutes> {
  return {
    setVfConfig: async ({ params, body }, req, res) => {
      const ifMatch = ifMatchOf(req);
      const host = hosts.get(params.host, isForwarded(req));
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { body, principal: writerOf(res).principal });
      const result = await host.setVfConfig(params.vf, body, writerOf(res), ifMatch);
      // The operation's own re-read, which the host keeps: the page's next write on the PF sends it.
      res.setHeader('ETag', pfEtagOf((await host.topology()).topology, result.vf.pf));
      return result;
    },
  };
}
