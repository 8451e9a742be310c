import { X509Certificate } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import type { NextFunction, Request, Response } from 'express';
import type { Listen } from '../config';
import { MisdirectedError } from '../errors';

const WILDCARD = new Set(['0.0.0.0', '::', '']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * The names a request's Host header may carry: the address the agent listens on (every address of
 * this machine when it listens on all of them), loopback's names on loopback, this machine's
 * hostname, the names its TLS certificate carries, and what --allowed-host adds. A page on another
 * site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its own name, and is refused.
 */
export function allowedHostNames(listen: Listen, options: { certificate?: string | null; extra?: readonly string[] } = {}): Set<string> {
  const names = new Set<string>(LOOPBACK_NAMES);
  const add = (name: string) => names.add(name.toLowerCase().replace(/^\[|\]$/g, ''));
  add(listen.host);
  if (WILDCARD.has(listen.host)) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) add(a.address.replace(/%.*$/, ''));
  }
  if (!LOOPBACK_NAMES.includes(listen.host) || WILDCARD.has(listen.host)) add(hostname());
  if (options.certificate) {
    for (const entry of (new X509Certificate(options.certificate).subjectAltName ?? '').split(/,\s*/)) {
      const m = /^(?:DNS|IP Address):(.+)$/.exec(entry);
      if (m) add(m[1]!);
    }
  }
  for (const name of options.extra ?? []) add(name);
  return names;
}

/** The host part of a Host header: `name:port`, `[v6]:port`, or a bare name. */
export function hostOf(header: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (v6) return v6[1]!.toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

/** Refuses (421) a request whose Host header is not one of the agent's names, before any route runs. */
export function hostCheck(allowed: ReadonlySet<string>) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.host;
    if (header !== undefined && allowed.has(hostOf(header))) {
      next();
      return;
    }
    next(
      new MisdirectedError(
        `Host ${JSON.stringify(header ?? '')} is not a name of this agent (${[...allowed].sort().join(', ')}): a page on another site cannot reach it through DNS rebinding. If you reach it by another name, start it with --allowed-host NAME.`,
        'host-header',
      ),
    );
  };
}
