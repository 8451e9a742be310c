import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Listen } from '../config';

/** The addresses on which plain HTTP is allowed: only this machine can reach them. */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Whether the agent speaks HTTPS: always beyond loopback (agents of a fleet talk across the
 * network, and the token travels in every write), in a Proxmox cluster (its peers reach it by
 * https://<node ip>, as pveproxy's), and on loopback when asked (--tls, --tls-cert). Beyond loopback
 * only --insecure-http turns it off.
 */
export function needsTls(listen: Listen, options: { tls: boolean; tlsCert?: string | undefined; peers: string[]; insecureHttp?: boolean }): boolean {
  if (options.tls || options.tlsCert !== undefined || options.peers.includes('proxmox')) return true;
  // --insecure-http: plain HTTP beyond loopback, said as loudly as it is asked for (behind a TLS proxy).
  return !LOOPBACK.has(listen.host) && options.insecureHttp !== true;
}

export interface Listening {
  server: http.Server;
  url: string;
}

/** Listens on `listen` (port 0 picks a free port), with TLS when given. */
export async function listenOn(app: Express, listen: Listen, tls: { cert: string; key: string } | null): Promise<Listening> {
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, app) : http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `${tls ? 'https' : 'http'}://${host}:${address.port}/` };
}
