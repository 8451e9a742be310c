import { Router } from 'express';
import type { KernelKind } from '../config';
import type { Metrics } from '../metrics';
import type { HostRegistry } from '../hostRegistry';
import { VERSION } from '../version';

export function healthRoutes(hosts: HostRegistry, metrics: Metrics, kernel: KernelKind): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    // `kernel` tells an operator at a glance whether VF count changes reach a real kernel.
    res.json({ status: 'ok', version: VERSION, hosts: hosts.all().map((h) => h.id), kernel });
  });
  router.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(metrics.render());
  });
  return router;
}
