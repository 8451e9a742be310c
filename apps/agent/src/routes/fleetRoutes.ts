import { z } from 'zod';
import { FleetVfList } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';
import { searchFleet } from '../fleet/fleetSearch';
import { COLD_WAIT_MS } from './hostsRoutes';
import { route, type RouteHandlers } from './route';

export const FLEET_VFS_DEFAULT_LIMIT = 500;
export const FLEET_VFS_MAX_LIMIT = 10_000;

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const fleetRoutes = {
  searchFleetVfs: route({
    method: 'get',
    path: '/api/v1/fleet/vfs',
    summary:
      "Every VF of the fleet that matches, free ones first: each with its host, PF, state, NUMA node, the PF's link speed and model, and its holder. Searches the last topology known of each host (a stale host's VFs say so); `hosts` says which hosts were searched.",
    params: z.object({}),
    query: z
      .object({
        free: Bool.optional().describe('true: only free VFs; false: only VFs that are not free'),
        vendor: z.string().min(1).max(100).optional().describe('a vendor id (hex, e.g. 8086) or any part of its name'),
        device: z.string().min(1).max(100).optional().describe("the PF's device id (hex, e.g. 1593) or any part of its model name (E810)"),
        numaNode: z.coerce.number().int().min(0).max(1023).optional(),
        minSpeedMbps: z.coerce.number().int().min(0).optional().describe("the PF's link speed at least this (100000 for 100G)"),
        pf: z
          .string()
          .regex(/^[0-9a-fA-F:.]{1,12}$/, 'a PCI address or its beginning (0000:18)')
          .optional(),
        host: z.string().min(1).optional().describe('only this host'),
        limit: z.coerce.number().int().min(1).max(FLEET_VFS_MAX_LIMIT).default(FLEET_VFS_DEFAULT_LIMIT),
      })
      .strict(),
    answer: { description: 'the matching VFs', schema: FleetVfList },
    problems: [],
  }),
};

export function fleetHandlers(hosts: HostRegistry): RouteHandlers<typeof fleetRoutes> {
  return {
    searchFleetVfs: async ({ query }) => {
      await hosts.topologiesSettled(COLD_WAIT_MS);
      const searched = await Promise.all(
        hosts.all().map(async (h) => (h.kind === 'local' ? { summary: await h.summary(), topology: await h.keptTopology() } : { summary: h.summary(), topology: h.keptTopology() })),
      );
      return searchFleet(searched, query);
    },
  };
}
