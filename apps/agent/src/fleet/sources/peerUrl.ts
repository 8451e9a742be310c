import { baseUrl, hostPortOf, type PeerScheme } from './hostPort';
import { normalizeFingerprint, type PeerTarget } from './peerTarget';
import { PeerSpecError } from './sourceErrors';

export interface PeerUrl {
  /** scheme://host:port, the target's identity. */
  url: string;
  scheme: PeerScheme;
  /** host:port, IPv6 in brackets. */
  hostPort: string;
  /** From a `#sha256=…` fragment, normalized. */
  fingerprint?: string;
}

/**
 * Reads a peer's URL (`https://10.0.0.5:7300#sha256=AB:CD:…`): only a scheme, a host, a port and
 * a certificate pin. A path would be silently dropped when the hub builds its calls, and a
 * password in a URL ends up in logs and `ps`; both are refused rather than half-used.
 */
export function parsePeerUrl(text: string): PeerUrl {
  const fail = (why: string) => new PeerSpecError(`"${text}" is not a peer URL: ${why}`);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw fail('want scheme://host:port, e.g. https://10.0.0.5:7300');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail(`the scheme is ${url.protocol.slice(0, -1)}; want https or http`);
  const scheme: PeerScheme = url.protocol === 'https:' ? 'https' : 'http';
  if (url.username || url.password) throw fail('it carries credentials; give them in a token file instead');
  if (url.pathname !== '/') throw fail(`it has the path ${url.pathname}; give scheme://host:port only`);
  if (url.search) throw fail('it has a query; give scheme://host:port only');
  // The URL parser refuses ports above 65535 itself; port 0 it lets through.
  if (url.port === '0') throw fail('port 0 is not a port one can connect to');
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  const identity = baseUrl(scheme, url.hostname, port);
  const peer: PeerUrl = { url: identity, scheme, hostPort: hostPortOf(identity) };
  if (url.hash) {
    const fragment = url.hash.slice(1);
    if (!/^sha-?256[=:]/i.test(fragment)) throw fail('the only fragment it takes pins the certificate: #sha256=AB:CD:…');
    if (scheme === 'http') throw fail('it pins a certificate but speaks http; use https');
    try {
      peer.fingerprint = normalizeFingerprint(fragment);
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
  return peer;
}

/** What a `--peer URL` stands for: a target named host:port, found by the command line. */
export function peerUrlTarget(text: string): PeerTarget {
  const peer = parsePeerUrl(text);
  return {
    url: peer.url,
    name: peer.hostPort,
    source: 'peer',
    hypervisor: null,
    tls: peer.fingerprint ? { fingerprint: peer.fingerprint } : {},
  };
}
