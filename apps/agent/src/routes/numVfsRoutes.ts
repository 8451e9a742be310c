import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { NumVfsRequest } from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { HostRegistry } from '../hostRegistry';

const Params = z.object({ host: z.string(), pf: z.string() });

export function numVfsRoutes(hosts: HostRegistry, requireWriter: RequestHandler): Router {
  const router = Router();
  router.put('/api/v1/hosts/:host/pfs/:pf/numvfs', requireWriter, async (req, res) => {
    const params = Params.parse(req.params);
    const host = hosts.get(params.host);
    const request = NumVfsRequest.parse(req.body);
    res.json(await host.setNumVfs(params.pf, request, writerOf(res)));
  });
  return router;
}
