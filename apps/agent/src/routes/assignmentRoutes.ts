import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AssignmentRequest } from '@vfmap/model';
import { writerOf } from '../auth/requireWriter';
import type { HostRegistry } from '../hostRegistry';

const Params = z.object({ host: z.string(), vf: z.string() });

export function assignmentRoutes(hosts: HostRegistry, requireWriter: RequestHandler): Router {
  const router = Router();
  router.post('/api/v1/hosts/:host/vfs/:vf/assignment', requireWriter, async (req, res) => {
    const params = Params.parse(req.params);
    const host = hosts.get(params.host);
    const request = AssignmentRequest.parse(req.body);
    res.json(await host.assign(params.vf, request, writerOf(res)));
  });
  router.delete('/api/v1/hosts/:host/vfs/:vf/assignment', requireWriter, async (req, res) => {
    const params = Params.parse(req.params);
    res.json(await hosts.get(params.host).release(params.vf, writerOf(res)));
  });
  return router;
}
