import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy: the page runs only its own scripts (no inline script, no eval) and
 * talks only to this agent, and is never framed. React and d3 set styles through the DOM
 * (allowed); the graph's highlight rules are one <style> element, allowed by the nonce of the
 * index.html answer that carries it. No style attribute in markup.
 */
const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['font-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** The policy, with the nonce of one index.html answer when given. */
export function contentSecurityPolicy(styleNonce: string | null): string {
  return CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}${name === 'style-src' && styleNonce ? ` 'nonce-${styleNonce}'` : ''}`).join(';');
}

/** Every answer but the page's index.html: the policy without a nonce, built once. */
const STATIC_POLICY = contentSecurityPolicy(null);

/**
 * Gives this answer (index.html) a fresh nonce and the policy that allows it; returns the nonce,
 * which the page puts on the one <style> it writes.
 */
export function withPageNonce(res: Response): string {
  const nonce = randomBytes(16).toString('base64');
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
  return nonce;
}

/** The headers every answer carries, as [name, value], in the order they are set. */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

/**
 * The browser's own defences, on every answer: the Content-Security-Policy above, never framed
 * (`frame-ancestors 'none'`, X-Frame-Options), no MIME sniffing, no Referer leaving the page, and
 * HSTS when the agent speaks HTTPS. No CORS header is ever sent: another site's page cannot read
 * an answer, and writes need a JSON body, which a form cannot send. helmet decides the headers;
 * they are read off it once, so an answer pays a few setHeader calls, not a policy built per
 * request (and the topology's fast path, server/topologyFastPath.ts, sends the same list).
 */
export function securityHeaderList(options: { https: boolean }): HeaderList {
  const middleware = helmet({
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // The page loads nothing from elsewhere; these would only get in the way of nothing.
    crossOriginEmbedderPolicy: false,
  });
  const list: Array<[string, string]> = [['Content-Security-Policy', STATIC_POLICY]];
  let done = false;
  const recorder = {
    setHeader: (name: string, value: string) => list.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  middleware({} as never, recorder as never, () => (done = true));
  // helmet's middlewares are synchronous; one that was not would leave its headers out here.
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be read once');
  return list;
}

/** Sets the list on every answer. */
export function securityHeaders(list: HeaderList) {
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of list) res.setHeader(name, value);
    next();
  };
}
