import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE } from '@vfmap/model';
import type { Listen } from '../config';
import { MalformedRequestError, UnreadableBodyError } from '../errors';
import { toProblem } from './problems';

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
export async function listenOn(app: http.RequestListener, listen: Listen, tls: { cert: string; key: string } | null, timeouts: ServerTimeouts = SERVER_TIMEOUTS): Promise<Listening> {
  const options: http.ServerOptions = {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    // Node checks the two only this often, so a timeout is overrun by up to one interval.
    connectionsCheckingInterval: Math.min(1_000, timeouts.headersTimeoutMs / 2),
  };
  const server = tls ? https.createServer({ ...options, cert: tls.cert, key: tls.key }, app) : http.createServer(options, app);
  server.on('clientError', answerClientError);
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

/** What Node's parser refused, as the error the problem table knows (Node's own answers carry no body). */
function clientErrorOf(err: NodeJS.ErrnoException): Error {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new MalformedRequestError('The request line and headers are larger than the 16 kB the agent reads.', 'headers-too-large');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new UnreadableBodyError('The chunk extensions of the request body are too large.', 'too-large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new MalformedRequestError('The request was not sent in time: headers within 10 s, the whole request within 30 s.', 'timeout');
    default:
      return new MalformedRequestError(`The request is not valid HTTP/1.1 (${err.code ?? 'parse error'}).`, 'malformed');
  }
}

/**
 * A request Node's parser refused (the server's clientError): answered as a problem like any
 * other, then the connection closed, as Node does by default — unless the connection is gone or
 * an answer on it has already begun, when nothing can be written without corrupting it.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // Node's own check (socketOnError): the answer in flight on this socket, if any.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (err.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
    const problem = toProblem(clientErrorOf(err));
    // An answer to HEAD has no body, and a client reading one as a body breaks. The parser failed
    // before it had a request, so the method is read off the bytes it refused: the problem goes
    // out only when they begin with a request line that is not HEAD.
    const raw = (err as NodeJS.ErrnoException & { rawPacket?: Buffer }).rawPacket?.subarray(0, 16).toString('latin1') ?? '';
    const method = /^([A-Z]+) /.exec(raw)?.[1];
    const body = method !== undefined && method !== 'HEAD' ? JSON.stringify(problem) : '';
    socket.write(
      `HTTP/1.1 ${problem.status} ${http.STATUS_CODES[problem.status] ?? ''}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
