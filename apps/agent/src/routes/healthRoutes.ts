import { z } from 'zod';
import { KernelKind } from '../config';
import type { Metrics } from '../metrics';
import type { HostRegistry } from '../hostRegistry';
import { VERSION } from '../version';
import { ANSWERED, route, type RouteHandlers } from './route';

/** GET /healthz: the agent answers, and which hosts it serves. */
export const Health = z.object({
  status: z.literal('ok'),
  version: z.string().describe("the agent's version"),
  hosts: z.array(z.string()).describe('the ids of the hosts it serves'),
  // Tells an operator at a glance whether VF count changes reach a real kernel.
  kernel: KernelKind.describe('where VF count changes are written: the real kernel, the simulated one (demo), or none (every count change is refused)'),
});

export const healthRoutes = {
  getHealth: route({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the agent answers.',
    params: z.object({}),
    answer: { description: 'ok', schema: Health },
    problems: [],
  }),
  getMetrics: route({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics.',
    params: z.object({}),
    answer: { description: 'text exposition format 0.0.4', contentType: 'text/plain' },
    problems: [],
  }),
};

export function healthHandlers(hosts: HostRegistry, metrics: Metrics, kernel: KernelKind): RouteHandlers<typeof healthRoutes> {
  return {
    getHealth: () => ({ status: 'ok', version: VERSION, hosts: hosts.all().map((h) => h.id), kernel }),
    getMetrics: async (_input, _req, res): Promise<typeof ANSWERED> => {
      // A scrape reads the host as a topology request does (its fingerprint checked at most once a
      // second, a changed host rescanned): otherwise a PF or VF gone while no page watched would
      // stay in the series. A failed scan leaves the last one's series, and the scrape still answers.
      await Promise.all(hosts.local().map((host) => host.topology().catch(() => undefined)));
      const text = await metrics.render();
      res.type(metrics.contentType).send(text);
      return ANSWERED;
    },
  };
}
