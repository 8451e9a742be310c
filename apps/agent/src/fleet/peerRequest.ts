import http from 'node:http';
import https from 'node:https';

/** The headers that mark a request one agent sends another (pveproxy's PVEDisableProxy is the model). */
export const FORWARDED_BY = 'x-vfmap-forwarded-by';
/** Who the forwarding agent's user was (the principal of the token they showed it). */
export const FORWARDED_FOR = 'x-vfmap-forwarded-for';

export interface PeerAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface PeerRequestOptions {
  method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Largest answer read (a topology of 2000 VFs is ~600 kB). */
  maxBytes?: number;
}

/**
 * Why a peer gave no answer. `sent` says whether the request left this agent: a write that was
 * sent and timed out may have happened on the peer (its audit log says), one that was not sent
 * did not.
 */
export class PeerUnreachableError extends Error {
  override readonly name = 'PeerUnreachableError';
  constructor(
    message: string,
    readonly kind: 'refused' | 'timeout' | 'tls' | 'failed',
    readonly sent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * One request to a peer agent, with a deadline for the whole exchange (connect, TLS, answer):
 * a peer stopped with SIGSTOP accepts the connection and never answers, and must cost at most
 * `timeoutMs`. `agent` verifies the peer's certificate before anything is written (tls/peerAgent).
 */
export function peerRequest(base: string, path: string, agent: http.Agent, options: PeerRequestOptions): Promise<PeerAnswer> {
  return attempt(base, path, agent, options, performance.now()).catch((err: unknown) => {
    // A kept-alive socket the peer closed in the meantime (it restarted, or dropped idle
    // sockets): a read is asked again once on a new connection, never a write.
    if (err instanceof StaleSocket && (options.method ?? 'GET') === 'GET') return attempt(base, path, agent, { ...options, timeoutMs: Math.max(1, options.timeoutMs - err.elapsedMs) }, performance.now());
    throw err instanceof StaleSocket ? err.error : err;
  });
}

class StaleSocket extends Error {
  constructor(
    readonly error: PeerUnreachableError,
    readonly elapsedMs: number,
  ) {
    super(error.message);
  }
}

function attempt(base: string, path: string, agent: http.Agent, options: PeerRequestOptions, started: number): Promise<PeerAnswer> {
  const url = new URL(path, base);
  const request = url.protocol === 'https:' ? https.request : http.request;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise<PeerAnswer>((resolve, reject) => {
    let sent = false;
    let settled = false;
    const fail = (err: PeerUnreachableError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const req = request(url, {
      method: options.method ?? 'GET',
      agent,
      headers: { accept: 'application/json', ...options.headers, ...(options.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)) }) },
    });
    const timer = setTimeout(() => fail(new PeerUnreachableError(`no answer from ${url.host} within ${options.timeoutMs} ms`, 'timeout', sent)), options.timeoutMs);
    // The socket exists only once the agent verified the peer: from then on the request is sent.
    req.on('socket', (socket) => {
      const mark = () => {
        sent = true;
      };
      if ((socket as { connecting?: boolean }).connecting) socket.once('connect', mark);
      else mark();
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const tls = err.name === 'PeerTlsError' || (typeof err.code === 'string' && (err.code.startsWith('ERR_TLS') || err.code.includes('CERT') || err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT'));
      const kind = tls ? 'tls' : err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' || err.code === 'ENOTFOUND' ? 'refused' : 'failed';
      const said = err.message.includes(url.host) ? err.message : `${url.host}: ${err.message}`;
      const error = new PeerUnreachableError(said, kind, sent && !tls, { cause: err });
      if (req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new StaleSocket(error, performance.now() - started));
        return;
      }
      fail(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(new PeerUnreachableError(`${url.host} answered more than ${maxBytes} bytes`, 'failed', true));
        else chunks.push(chunk);
      });
      res.on('error', (err) => fail(new PeerUnreachableError(`${url.host}: ${err.message}`, 'failed', true, { cause: err })));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.end(options.body);
  });
}
