import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AuditWho, OperationKind } from '@vfmap/model';
import { AuthFailuresError, ReadOnlyError, UnauthorizedError } from '../errors';
import type { WriteToken } from './writeToken';
import { FORWARDED_BY, FORWARDED_FOR } from '../fleet/peerRequest';
import type { FailedAuthLimiter } from './failedAuthLimiter';
import { noRefusalAudit, type RefusalAudit } from './refusalAudit';

/**
 * Who may write: nobody (--read-only, or anyone on the read-only listener of --read-listen), or
 * whoever shows the token — or, for a write another agent of the fleet forwards
 * (x-vfmap-forwarded-by), the fleet credential (read at each write).
 */
export type WriteAccess = { readOnly: true; readListener?: boolean } | { readOnly: false; token: WriteToken; fleetCredential?: () => string | null };

export interface WriteGuardOptions {
  access: WriteAccess;
  /** Failed authentications per address; without it none are counted (tests of routes alone). */
  limiter?: FailedAuthLimiter;
  /** Where refusals at authentication are logged and audited. */
  refusals?: RefusalAudit;
}

/**
 * Guards the write routes: an agent started with --read-only refuses every write (403); otherwise
 * the request must carry `Authorization: Bearer <token>` (401 with WWW-Authenticate when it does
 * not). The comparison is of SHA-256 digests with timingSafeEqual, so neither the length nor the
 * content of the token leaks through the time a wrong guess takes. Reads need no token.
 */
export function requireWriter({ access, limiter, refusals = noRefusalAudit }: WriteGuardOptions) {
  const expected = access.readOnly ? null : digest(access.token.value);
  return (operation: OperationKind) => async (req: Request, res: Response, next: NextFunction) => {
    if (access.readOnly || expected === null) {
      next(
        new ReadOnlyError(
          access.readOnly && access.readListener
            ? 'This is the agent\'s read-only listener (--read-listen): it serves reads only and takes no token; writes go to its main listener.'
            : 'This agent runs with --read-only: it shows the topology and changes nothing.',
        ),
      );
      return;
    }
    const address = req.socket.remoteAddress;
    // Refused before the token is looked at: beyond the limit, a right guess is refused as a wrong one.
    const blocked = limiter?.refusal(address) ?? null;
    if (blocked) {
      res.setHeader('Retry-After', String(blocked.retryAfterSeconds));
      const err = new AuthFailuresError(
        `This address failed to authenticate too often; writes from it are refused for ${blocked.retryAfterSeconds} s, whatever token they carry.`,
        blocked.retryAfterSeconds,
      );
      if (blocked.audited) await refusals.refused(req, operation, 'rate-limited', err, blocked.unaudited);
      next(err);
      return;
    }
    const presented = bearerToken(req.headers.authorization);
    if (presented === null) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="vfmap"');
      const err = new UnauthorizedError('Changes need the agent\'s write token: send "Authorization: Bearer <token>".', 'missing');
      limiter?.fail(address);
      await refusals.refused(req, operation, 'unauthorized', err, 0);
      next(err);
      return;
    }
    const forwardedBy = headerValue(req.headers[FORWARDED_BY]);
    const fleet = forwardedBy === null ? null : (access.fleetCredential?.() ?? null);
    const own = timingSafeEqual(digest(presented), expected);
    if (!own && !(fleet !== null && timingSafeEqual(digest(presented), digest(fleet)))) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="vfmap", error="invalid_token"');
      const err = new UnauthorizedError(forwardedBy === null ? 'The bearer token is not this agent\'s write token.' : 'The bearer token is neither this agent\'s write token nor the fleet credential.', 'invalid');
      limiter?.fail(address);
      await refusals.refused(req, operation, 'unauthorized', err, 0);
      next(err);
      return;
    }
    // A forwarding agent vouches for its user, whose token it checked: the audit names both.
    const forwardedFor = forwardedBy === null ? null : headerValue(req.headers[FORWARDED_FOR]);
    const who: AuditWho = {
      principal: forwardedFor ?? (own ? access.token.id : 'fleet'),
      address: req.socket.remoteAddress ?? null,
      ...(forwardedBy === null ? {} : { forwardedBy }),
    };
    res.locals.who = who;
    next();
  };
}

/** The audit's "who" that requireWriter put on the response. */
export function writerOf(res: Response): AuditWho {
  const who = res.locals.who as AuditWho | undefined;
  if (!who) throw new Error('a write route runs without requireWriter in front of it');
  return who;
}

/** A header given once, in the characters a host id or principal has; anything else is ignored. */
function headerValue(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string') return null;
  return /^[A-Za-z0-9._:@-]{1,128}$/.test(value) ? value : null;
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
