import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { ProblemType, type AuditEntry, type OperationKind } from '@vfmap/model';
import type { Logger } from '../logger';

/** How a write was refused at authentication. */
export type AuthRefusal = 'unauthorized' | 'rate-limited';

/** Logs and audits a write refused at authentication (requireWriter). Never throws: the refusal is answered whatever the log does. */
export interface RefusalAudit {
  refused(req: Request, operation: OperationKind, result: AuthRefusal, err: Error & { retryAfterSeconds?: number }, unaudited: number): Promise<void>;
}

export const noRefusalAudit: RefusalAudit = { refused: async () => {} };

export interface RefusalAuditOptions {
  /** The agent's audit log; a hub has none, and only logs. */
  audit: { append(entry: AuditEntry): Promise<void> } | null;
  logger: Logger;
  now?: () => number;
}

/** What a path parameter may put in the audit: a bounded, unvalidated string. */
function asSent(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 256) : '';
}

/**
 * The audit entry of a refused write: who (the client's address; the token, if any, is not
 * named — a wrong one is nobody's), what it asked (the route's operation, the host and target as
 * sent), and the problem it got. Like an operation's entry, it is synced before the answer; the
 * limiter keeps the number of them per address and window bounded (failedAuthLimiter.ts).
 */
export function refusalAudit({ audit, logger, now = Date.now }: RefusalAuditOptions): RefusalAudit {
  return {
    async refused(req, operation, result, err, unaudited) {
      const at = new Date(now()).toISOString();
      const address = req.socket.remoteAddress ?? null;
      const detail = unaudited > 0 ? `${err.message} (${unaudited} earlier refusals of this address in this lockout were not audited)` : err.message;
      const problem = result === 'unauthorized' ? { type: ProblemType.unauthorized, status: 401 } : { type: ProblemType.tooManyFailures, status: 429, retryAfter: err.retryAfterSeconds ?? 1 };
      logger.warn({ address, method: req.method, url: req.originalUrl.slice(0, 512), result }, `write refused: ${detail}`);
      if (!audit) return;
      const entry: AuditEntry = {
        id: randomUUID(),
        at,
        startedAt: at,
        host: asSent(req.params.host),
        who: { principal: 'unauthenticated', address },
        operation,
        target: asSent(req.params.pf ?? req.params.vf),
        request: {},
        before: null,
        after: null,
        result,
        detail,
        problem,
      };
      try {
        await audit.append(entry);
      } catch (auditErr) {
        logger.error({ err: auditErr, entry }, 'the audit log could not be written');
      }
    },
  };
}
