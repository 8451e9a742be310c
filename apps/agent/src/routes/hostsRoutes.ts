import type { HostBackend } from '../hostBackend';
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

/** `readOnly`: served on the read-only listener (--read-listen), where every host is read-only, so the page offers no write. */
export function hostsHandlers(hosts: HostRegistry, readOnly = false): RouteHandlers<typeof hostsRoutes> {
  const shown = async (list: HostBackend[]) => {
    const summaries = await Promise.all(list.map((h) => h.summary()));
    return { hosts: readOnly ? summaries.map((s) => ({ ...s, readOnly: true })) : summaries };
  };
  return {
    listHosts: async (_input, req) => {
      if (isForwarded(req)) return shown(hosts.local());
      await hosts.settled(COLD_WAIT_MS);
      return shown(hosts.all());
    },
  };
}
