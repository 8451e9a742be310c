import { z } from 'zod';
import type { Metrics } from '../metrics';
import type { HostRegistry } from '../hostRegistry';
import { VERSION } from '../version';
import { ANSWERED, route, type RouteHandlers } from './route';

/** GET /healthz: the agent answers, and which hosts it serves. */
export const Health = z.object({
  status: z.literal('ok'),
  version: z.string().describe("the agent's version"),
  hosts: z.array(z.string()).describe('the ids of the hosts it serves'),
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

export function healthHandlers(hosts: HostRegistry, metrics: Metrics): RouteHandlers<typeof healthRoutes> {
  return {
    getHealth: () => ({ status: 'ok', version: VERSION, hosts: hosts.all().map((h) => h.id) }),
    getMetrics: (_input, _req, res) => {
      res.type('text/plain; version=0.0.4').send(metrics.render());
      return ANSWERED;
    },
  };
}
