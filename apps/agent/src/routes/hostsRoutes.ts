import { z } from 'zod';
import { HostList } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';
import { isForwarded } from './forwarding';
import { hostReadProblems } from './hostReadProblems';
import { route, type RouteHandlers } from './route';

/** How long the first host list of a server with peers waits for them to answer once. */
export const COLD_WAIT_MS = 1_500;

export const hostsRoutes = {
  listHosts: route({
    method: 'get',
    path: '/api/v1/hosts',
    summary:
      "The hosts this server knows: its own (an agent: itself) and its fleet's peers, each with its status (ok, stale, unreachable, unauthorized), when it last answered, its agent's version, whether it refuses writes, and its counts of PFs, VFs, free and held VFs, VMs and warnings. Answers from what is known: a slow or dead peer never delays it (the first list waits at most 1.5 s for peers to answer once). Asked by another agent (x-vfmap-forwarded-by), it lists only this agent's own hosts.",
    params: z.object({}),
    answer: { description: 'the host list', schema: HostList },
    // The first request of an agent reads the host, and with it the hypervisor.
    problems: hostReadProblems,
  }),
};

export function hostsHandlers(hosts: HostRegistry): RouteHandlers<typeof hostsRoutes> {
  return {
    listHosts: async (_input, req) => {
      if (isForwarded(req)) return { hosts: await Promise.all(hosts.local().map((h) => h.summary())) };
      await hosts.settled(COLD_WAIT_MS);
      return { hosts: await Promise.all(hosts.all().map((h) => h.summary())) };
    },
  };
}
