import { z } from 'zod';
import { HostList } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';
import { hostReadProblems } from './hostReadProblems';
import { route, type RouteHandlers } from './route';

export const hostsRoutes = {
  listHosts: route({
    method: 'get',
    path: '/api/v1/hosts',
    summary: 'The hosts this server knows (an agent: itself), each with the URL of its topology and whether it refuses writes.',
    params: z.object({}),
    answer: { description: 'the host list', schema: HostList },
    // The first request of an agent reads the host, and with it the hypervisor.
    problems: hostReadProblems,
  }),
};

export function hostsHandlers(hosts: HostRegistry): RouteHandlers<typeof hostsRoutes> {
  return {
    listHosts: async () => ({ hosts: await Promise.all(hosts.all().map((h) => h.summary())) }),
  };
}
