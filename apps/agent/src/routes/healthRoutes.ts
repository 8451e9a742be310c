import { z } from 'zod';
import { KernelKind } from '../config';
import type { Metrics } from '../metrics';
import type { HostRegistry } from '../hostRegistry';
import { VERSION } from '../version';
import { ANSWERED, route, type RouteHandlers } from './route';

/** GET /healthz and /api/v1/health: the agent answers, which hosts it serves, and the certificate it serves HTTPS with. */
export const Health = z.object({
  status: z.literal('ok'),
  version: z.string().describe("the agent's version"),
  hosts: z.array(z.string()).describe('the ids of the hosts it serves'),
  // Tells an operator at a glance whether VF count changes reach a real kernel.
  kernel: KernelKind.describe('where VF count changes are written: the real kernel, the simulated one (demo), or none (every count change is refused)'),
  tlsFingerprint: z
    .string()
    .regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/)
    .nullable()
    .describe("the SHA-256 fingerprint of the certificate the agent serves HTTPS with (\"AB:CD:…\", as `openssl x509 -fingerprint -sha256` prints it): compare it with what a client is shown before trusting it; null when the agent speaks plain HTTP"),
});

export const healthRoutes = {
  getHealth: route({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the agent answers (what /api/v1/health answers, where probes look for it).',
    params: z.object({}),
    answer: { description: 'ok', schema: Health },
    problems: [],
  }),
  getApiHealth: route({
    method: 'get',
    path: '/api/v1/health',
    summary: "The agent answers: its version, its hosts, its kernel, and its certificate's SHA-256 fingerprint when it serves HTTPS.",
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

export function healthHandlers(hosts: HostRegistry, metrics: Metrics, kernel: KernelKind, tlsFingerprint: string | null): RouteHandlers<typeof healthRoutes> {
  const health = () => ({ status: 'ok' as const, version: VERSION, hosts: hosts.all().map((h) => h.id), kernel, tlsFingerprint });
  return {
    getHealth: health,
    getApiHealth: health,
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
