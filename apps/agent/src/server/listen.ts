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
 * https://<node ip>, as pveproxy's), and on loopback when asked (--tls, --tls-cert).
 */
export function needsTls(listen: Listen, options: { tls: boolean; tlsCert?: string | undefined; peers: string[] }): boolean {
  return options.tls || options.tlsCert !== undefined || options.peers.includes('proxmox') || !LOOPBACK.has(listen.host);
}

export interface Listening {
  server: http.Server;
  url: string;
}

/**
 * How long a client may take to send a request: its headers, and the whole request with its
 * body. Node's defaults (60 s and 300 s, checked every 30 s) let a client that never finishes
 * hold a connection for minutes; the agent's requests are small.
 */
export interface ServerTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export const SERVER_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

/** Listens on `listen` (port 0 picks a free port), with TLS when given. */
export async function listenOn(app: Express, listen: Listen, tls: { cert: string; key: string } | null, timeouts: ServerTimeouts = SERVER_TIMEOUTS): Promise<Listening> {
  const options: http.ServerOptions = {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    // Node checks the two only this often, so a timeout is overrun by up to one interval.
    connectionsCheckingInterval: Math.min(1_000, timeouts.headersTimeoutMs / 2),
  };
  const server = tls ? https.createServer({ ...options, cert: tls.cert, key: tls.key }, app) : http.createServer(options, app);
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
