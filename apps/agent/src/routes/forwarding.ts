import type { Request, Response } from 'express';
import type { PeerHost, ForwardedRequest } from '../fleet/peerHost';
import { FORWARDED_BY } from '../fleet/peerRequest';
import { PeerError } from '../errors';
import { ANSWERED } from './route';
import { parseIfMatch, type IfMatch } from '../operations/precondition';

/** Whether another agent forwarded this request (the loop guard header). */
export function isForwarded(req: Request): boolean {
  return req.headers[FORWARDED_BY] !== undefined;
}

/**
 * The write's If-Match, parsed (a malformed one is a 400 here, before the request is forwarded);
 * null without one. A forwarded write carries the header on as it came: the peer checks it.
 */
export function ifMatchOf(req: Request): IfMatch | null {
  return parseIfMatch(req.headers['if-match']);
}

/**
 * Passes a request for a peer's host to its agent and answers exactly what it answered: status,
 * content type and body, problems included. Only the headers a client acts on are kept.
 */
export async function forwardToPeer(peer: PeerHost, req: Request, res: Response, request: Omit<ForwardedRequest, 'path' | 'method'>): Promise<typeof ANSWERED> {
  const ifMatch = req.headers['if-match'];
  const answer = await peer.forward({ ...request, method: req.method as ForwardedRequest['method'], path: req.originalUrl, ...(ifMatch === undefined ? {} : { ifMatch }) });
  if (answer.status === 401) {
    // The user's token was good here; the peer refused this server's fleet credential. Passing
    // its 401 on would have the page ask the user for a token again.
    throw new PeerError(`Host ${peer.id} refused this server's fleet credential; nothing was changed there. Check /etc/pve/priv/vfmap/fleet.token (Proxmox) or the token_file label of its target.`, peer.id, false, false);
  }
  res.status(answer.status);
  for (const name of ['content-type', 'etag', 'cache-control', 'location']) {
    const value = answer.headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
  res.send(answer.body);
  return ANSWERED;
}
