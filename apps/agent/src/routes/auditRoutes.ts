import { Router } from 'express';
import { z } from 'zod';
import type { HostRegistry } from '../hostRegistry';

export const AUDIT_DEFAULT_LIMIT = 50;
export const AUDIT_MAX_LIMIT = 1000;

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).default(AUDIT_DEFAULT_LIMIT),
});

export function auditRoutes(hosts: HostRegistry): Router {
  const router = Router();
  router.get('/api/v1/hosts/:host/audit', async (req, res) => {
    const host = hosts.get(req.params.host);
    const { limit } = AuditQuery.parse(req.query);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await host.audit(limit));
  });
  return router;
}
