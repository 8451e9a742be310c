import { Router } from 'express';
import type { HostList } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';

export function hostsRoutes(hosts: HostRegistry): Router {
  const router = Router();
  router.get('/api/v1/hosts', async (_req, res) => {
    const body: HostList = { hosts: await Promise.all(hosts.all().map((h) => h.summary())) };
    res.json(body);
  });
  return router;
}
