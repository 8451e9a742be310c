import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/** A fresh nonce per answer: the page's one <style> element carries it (pageRoutes writes it into index.html). */
export function withCspNonce(_req: Request, res: Response, next: NextFunction): void {
  res.locals.cspNonce = randomBytes(16).toString('base64');
  next();
}

export function cspNonce(res: Response): string | null {
  const nonce: unknown = res.locals.cspNonce;
  return typeof nonce === 'string' ? nonce : null;
}

/**
 * The browser's own defences, on every answer: a Content-Security-Policy that lets the page run
 * only its own scripts (no inline script, no eval) and talk only to this agent, never framed
 * (`frame-ancestors 'none'`, X-Frame-Options), no MIME sniffing, no Referer leaving the page, and
 * HSTS when the agent speaks HTTPS. No CORS header is ever sent: another site's page cannot read
 * an answer, and writes need a JSON body, which a form cannot send.
 */
export function securityHeaders(options: { https: boolean }) {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React and d3 set styles through the DOM (allowed); the graph's highlight rules are one
        // <style> element, allowed by this answer's nonce. No style attribute in markup.
        styleSrc: ["'self'", (_req, res) => `'nonce-${cspNonce(res as Response) ?? 'none'}'`],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // The page loads nothing from elsewhere; these would only get in the way of nothing.
    crossOriginEmbedderPolicy: false,
  });
  return [withCspNonce, headers];
}
