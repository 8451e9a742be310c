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
    getMetrics: (_input, _req, res) => {
      res.type('text/plain; version=0.0.4').send(metrics.render());
      return ANSWERED;
    },
  };
}
