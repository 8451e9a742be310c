import type { Response } from 'express';
import { Topology, UnknownResourceProblem, type Warning } from '@vfmap/model';
import type { PeerTopology } from '../fleet/peerHost';
import { isForwarded } from './forwarding';
import type { HostRegistry } from '../hostRegistry';
import { fleetProblems, hostReadProblems } from './hostReadProblems';
import { ANSWERED, route, type RouteHandlers } from './route';
import { HostParams } from './routeParams';
import { answerTopology } from './topologyBody';

export const topologyRoutes = {
  getTopology: route({
    method: 'get',
    path: '/api/v1/hosts/:host/topology',
    summary:
      "A host's PCI/SR-IOV topology, with the VMs that hold its devices. Sends a strong ETag; answers 304 to If-None-Match when unchanged. For a peer's host: its agent's answer, revalidated with its ETag; when the peer does not answer, the last one kept, with a host-stale warning, `Warning: 110` and `Age`.",
    params: HostParams,
    answer: { description: 'the topology', schema: Topology },
    otherAnswers: { 304: 'unchanged since the ETag given' },
    problems: [UnknownResourceProblem, ...hostReadProblems, ...fleetProblems],
  }),
};

export function topologyHandlers(hosts: HostRegistry): RouteHandlers<typeof topologyRoutes> {
  return {
    getTopology: async ({ params }, req, res): Promise<typeof ANSWERED> => {
      const host = hosts.get(params.host, isForwarded(req));
      const { topology, etag } = host.kind === 'local' ? await host.topology() : servedPeerTopology(await host.topology(), res);
      await answerTopology(req, res, { topology, etag });
      return ANSWERED;
    },
  };
}

/**
 * A peer's topology as this server passes it on: as the peer sent it, or, when the peer does not
 * answer, the last one kept with a warning saying how old it is (and its own ETag: the body differs).
 */
function servedPeerTopology({ topology, etag, staleSeconds }: PeerTopology, res: Response): { topology: Topology; etag: string } {
  if (staleSeconds === null) return { topology, etag };
  res.setHeader('Warning', '110 - "Response is Stale"');
  res.setHeader('Age', String(staleSeconds));
  const warning: Warning = {
    code: 'host-stale',
    message: `The agent of ${topology.host.hostname} does not answer: this is the topology it sent ${staleSeconds} s ago.`,
  };
  return { topology: { ...topology, warnings: [warning, ...topology.warnings] }, etag: `${etag.replace(/"$/, '')}-stale"` };
}
