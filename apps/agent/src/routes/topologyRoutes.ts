import { Topology, UnknownResourceProblem } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';
import { hostReadProblems } from './hostReadProblems';
import { ANSWERED, route, type RouteHandlers } from './route';
import { HostParams } from './routeParams';

export const topologyRoutes = {
  getTopology: route({
    method: 'get',
    path: '/api/v1/hosts/:host/topology',
    summary: "A host's PCI/SR-IOV topology, with the VMs that hold its devices. Sends a strong ETag; answers 304 to If-None-Match when unchanged.",
    params: HostParams,
    answer: { description: 'the topology', schema: Topology },
    otherAnswers: { 304: 'unchanged since the ETag given' },
    problems: [UnknownResourceProblem, ...hostReadProblems],
  }),
};

export function topologyHandlers(hosts: HostRegistry): RouteHandlers<typeof topologyRoutes> {
  return {
    getTopology: async ({ params }, req, res) => {
      const { topology, etag } = await hosts.get(params.host).topology();
      res.setHeader('ETag', etag);
      // Revalidate every time: the page polls, and a 304 costs one fingerprint check.
      res.setHeader('Cache-Control', 'no-cache');
      if (ifNoneMatch(req.headers['if-none-match'], etag)) {
        res.status(304).end();
        return ANSWERED;
      }
      return topology;
    },
  };
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
