import { Router } from 'express';
import type { Metrics } from '../metrics';
import type { HostRegistry } from '../hostRegistry';
import { VERSION } from '../version';

export function healthRoutes(hosts: HostRegistry, metrics: Metrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', version: VERSION, hosts: hosts.all().map((h) => h.id) });
  });
  router.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(metrics.render());
  });
  return router;
}
