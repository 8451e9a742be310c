import { X509Certificate } from 'node:crypto';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions } from 'node:tls';
import { normalizeFingerprint } from './fingerprint';
import { verifyPeer, type PeerCheck } from './verifyPeer';

export { PeerTlsError } from './peerTlsError';

/** How a peer agent's certificate is checked: a pinned fingerprint, else a CA (PEM text), else the system CAs. */
export interface PeerTlsSpec {
  fingerprint?: string;
  ca?: string;
  /** The name the certificate must carry with `ca` or the system CAs; default the host dialled. */
  serverName?: string;
}

/** A handshake that has not finished by then fails: a peer that accepts TCP and then stalls must not hold a request. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * An https.Agent for one peer that checks the peer's certificate before a single byte of a request is
 * written: the socket reaches http only after the handshake and the check, so a wrong peer never sees
 * the request, its token or its body. Failures are PeerTlsError; connection errors pass through.
 */
export function peerHttpsAgent(
  spec: PeerTlsSpec,
  options: { maxSockets?: number; keepAlive?: boolean; handshakeTimeoutMs?: number } = {},
): Agent {
  return new PeerAgent(spec, { keepAlive: options.keepAlive ?? true, maxSockets: options.maxSockets ?? 4 }, options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
}

class PeerAgent extends Agent {
  readonly #spec: PeerTlsSpec;
  readonly #pin: string | null;
  readonly #caName: string | null;
  readonly #handshakeTimeoutMs: number;

  constructor(spec: PeerTlsSpec, options: AgentOptions, handshakeTimeoutMs: number) {
    super(options);
    this.#spec = spec;
    this.#handshakeTimeoutMs = handshakeTimeoutMs;
    this.#pin = spec.fingerprint === undefined ? null : normalizeFingerprint(spec.fingerprint);
    if (spec.fingerprint !== undefined && this.#pin === null) {
      throw new Error(`${JSON.stringify(spec.fingerprint)} is not a SHA-256 certificate fingerprint`);
    }
    this.#caName = null;
    if (this.#pin === null && spec.ca !== undefined) {
      try {
        this.#caName = new X509Certificate(spec.ca).subject.replace(/\n/g, ', ');
      } catch (err) {
        throw new Error(`the CA given for a peer is not a PEM certificate: ${(err as Error).message}`);
      }
    }
  }

  // Node's http.Agent takes the socket from the callback when createConnection returns undefined.
  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    if (!callback) throw new Error('peerHttpsAgent hands out sockets only through the callback, after checking the peer');
    const host = options.host ?? options.hostname ?? 'localhost';
    const target = `${isIP(host) === 6 ? `[${host}]` : host}:${options.port ?? 443}`;
    const serverName = this.#spec.serverName ?? host;
    const check: PeerCheck = this.#pin !== null ? { kind: 'pinned', fingerprint: this.#pin } : { kind: 'ca', caName: this.#caName, serverName };

    // tls.connect itself, not https.Agent's createConnection: no cached session is offered, so every
    // connection shows its certificate and is checked again.
    const socket = connect({
      ...(options as ConnectionOptions),
      host,
      ...(this.#pin === null && this.#spec.ca !== undefined ? { ca: this.#spec.ca } : {}),
      // SNI carries names only; for an address Node leaves it out.
      ...(this.#spec.serverName !== undefined && isIP(this.#spec.serverName) === 0 ? { servername: this.#spec.serverName } : {}),
      // Checked below, after the handshake and before the socket is handed on, so that each failure says why.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const fail = (err: Error) => {
      cleanup();
      // Destroyed sockets can still report a late write error; nobody else listens yet.
      socket.on('error', () => {});
      socket.destroy();
      callback(err, socket);
    };
    const onTimeout = () => fail(new Error(`the TLS handshake with ${target} did not finish in ${this.#handshakeTimeoutMs} ms`));
    const onSecure = () => {
      const refused = verifyPeer(socket, check, target);
      if (refused) return fail(refused);
      cleanup();
      callback(null, socket);
    };
    const cleanup = () => {
      socket.setTimeout(0);
      socket.off('error', fail);
      socket.off('timeout', onTimeout);
      socket.off('secureConnect', onSecure);
    };
    socket.setTimeout(this.#handshakeTimeoutMs);
    socket.once('error', fail);
    socket.once('timeout', onTimeout);
    socket.once('secureConnect', onSecure);
    return undefined;
  }
}
