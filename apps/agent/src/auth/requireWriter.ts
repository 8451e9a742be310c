import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AuditWho } from '@vfmap/model';
import { ReadOnlyError, UnauthorizedError } from '../errors';
import type { WriteToken } from './writeToken';
import { FORWARDED_BY, FORWARDED_FOR } from '../fleet/peerRequest';

/**
 * Who may write: nobody (--read-only), or whoever shows the token — or, for a write another
 * agent of the fleet forwards (x-vfmap-forwarded-by), the fleet credential (read at each write).
 */
export type WriteAccess = { readOnly: true } | { readOnly: false; token: WriteToken; fleetCredential?: () => string | null };

/**
 * Guards the write routes: an agent started with --read-only refuses every write (403); otherwise
 * the request must carry `Authorization: Bearer <token>` (401 with WWW-Authenticate when it does
 * not). The comparison is of SHA-256 digests with timingSafeEqual, so neither the length nor the
 * content of the token leaks through the time a wrong guess takes. Reads need no token.
 */
export function requireWriter(access: WriteAccess) {
  const expected = access.readOnly ? null : digest(access.token.value);
  return (req: Request, res: Response, next: NextFunction) => {
    if (access.readOnly || expected === null) {
      next(new ReadOnlyError('This agent runs with --read-only: it shows the topology and changes nothing.'));
      return;
    }
    const presented = bearerToken(req.headers.authorization);
    if (presented === null) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="vfmap"');
      next(new UnauthorizedError('Changes need the agent\'s write token: send "Authorization: Bearer <token>".', 'missing'));
      return;
    }
    const forwardedBy = headerValue(req.headers[FORWARDED_BY]);
    const fleet = forwardedBy === null ? null : (access.fleetCredential?.() ?? null);
    const own = timingSafeEqual(digest(presented), expected);
    if (!own && !(fleet !== null && timingSafeEqual(digest(presented), digest(fleet)))) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="vfmap", error="invalid_token"');
      next(new UnauthorizedError(forwardedBy === null ? 'The bearer token is not this agent\'s write token.' : 'The bearer token is neither this agent\'s write token nor the fleet credential.', 'invalid'));
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
