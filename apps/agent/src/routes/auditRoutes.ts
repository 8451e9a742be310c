import { z } from 'zod';
import { AuditPage, UnknownResourceProblem } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';
import { route, type RouteHandlers } from './route';
import { fleetProblems } from './hostReadProblems';
import { forwardToPeer, isForwarded } from './forwarding';
import { HostParams } from './routeParams';

export const AUDIT_DEFAULT_LIMIT = 50;
export const AUDIT_MAX_LIMIT = 1000;

export const auditRoutes = {
  getAudit: route({
    method: 'get',
    path: '/api/v1/hosts/:host/audit',
    summary: 'The latest operations from the audit log (<stateDir>/audit.jsonl), newest first, whatever their result.',
    params: HostParams,
    query: z.object({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(AUDIT_MAX_LIMIT)
        .default(AUDIT_DEFAULT_LIMIT)
        .describe(`how many entries (1-${AUDIT_MAX_LIMIT}, default ${AUDIT_DEFAULT_LIMIT})`),
    }),
    answer: { description: 'audit entries', schema: AuditPage },
    problems: [UnknownResourceProblem, ...fleetProblems],
  }),
};

export function auditHandlers(hosts: HostRegistry): RouteHandlers<typeof auditRoutes> {
  return {
    getAudit: async ({ params, query }, req, res) => {
      const host = hosts.get(params.host, isForwarded(req));
      res.setHeader('Cache-Control', 'no-store');
      if (host.kind === 'peer') return forwardToPeer(host, req, res, { principal: null });
      return host.audit(query.limit);
    },
  };
}
