import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import { formatFingerprint, normalizeFingerprint } from './fingerprint';
import { PeerTlsError } from './peerTlsError';

/** What a peer's certificate must be: pinned by fingerprint, or signed by `caName` (or a system CA) for `serverName`. */
export type PeerCheck =
  | { kind: 'pinned'; fingerprint: string }
  | { kind: 'ca'; caName: string | null; serverName: string };

/**
 * Decides on a handshaken socket (connected with rejectUnauthorized false and no identity check, so
 * that the reason can be told apart): null when the peer may have the request, else why not. A pin
 * skips the chain and the name, as pveproxy's pin on a node's pve-ssl.pem does.
 */
export function verifyPeer(socket: TLSSocket, check: PeerCheck, target: string): PeerTlsError | null {
  const cert: Partial<PeerCertificate> = socket.getPeerCertificate();
  const seen = typeof cert.fingerprint256 === 'string' && cert.fingerprint256 !== '' ? cert.fingerprint256 : null;
  const shown = seen === null ? 'no certificate' : `the certificate ${seen} (${describe(cert)})`;

  if (check.kind === 'pinned') {
    if (seen !== null && normalizeFingerprint(seen) === check.fingerprint) return null;
    return new PeerTlsError(
      `${target} presented ${shown}; the pinned fingerprint is ${formatFingerprint(check.fingerprint)}`,
      'fingerprint-mismatch',
      seen,
    );
  }
  if (seen === null || !socket.authorized) {
    const trust = check.caName === null ? "the system's CAs" : `the CA ${check.caName}`;
    const why = socket.authorizationError ? ` (${String(socket.authorizationError)})` : '';
    return new PeerTlsError(`${target} presented ${shown}, not signed by ${trust}${why}`, 'untrusted', seen);
  }
  const identity = checkServerIdentity(check.serverName, cert as PeerCertificate);
  if (identity !== undefined) {
    return new PeerTlsError(
      `${target} presented ${shown}, which is for ${cert.subjectaltname || 'no alternative names'}, not ${check.serverName}`,
      'name-mismatch',
      seen,
    );
  }
  return null;
}

function describe(cert: Partial<PeerCertificate>): string {
  const cn = cert.subject?.CN;
  const issuer = cert.issuer?.CN ?? cert.issuer?.O;
  return `CN=${Array.isArray(cn) ? cn.join(',') : (cn ?? '?')}, issued by ${Array.isArray(issuer) ? issuer.join(',') : (issuer ?? '?')}`;
}
