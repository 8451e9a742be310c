import type { HypervisorKind } from '@vfmap/model';

export interface PeerTls {
  /** SHA-256 fingerprint of the peer's certificate, normalized "AB:CD:..." (64 hex digits in pairs, upper case). */
  fingerprint?: string;
  /** A CA file (PEM) the peer's certificate must chain to. */
  caFile?: string;
  /** The name the certificate must carry when verified against a CA (default: the URL's host). */
  serverName?: string;
}

export interface PeerTarget {
  /** The base URL, scheme://host:port, no trailing slash; IPv6 in brackets. Also the target's identity. */
  url: string;
  /** What to call it before it answers: the Proxmox node name, the `name` label, or host:port. */
  name: string;
  /** How it was found: 'proxmox', `file:${absolutePath}`, or 'peer' (--peer). */
  source: string;
  hypervisor: HypervisorKind | null;
  tls: PeerTls;
  /** A file holding the bearer credential this target accepts for writes another agent forwards. */
  credentialFile?: string;
  /** Proxmox says the node is offline (.members online 0); undefined when the source does not say. */
  online?: boolean;
}

// "sha256:", "SHA256=", and openssl's own "sha256 Fingerprint=" (so its output can be pasted as is).
const PREFIX = /^sha-?256(\s+fingerprint)?\s*[:=]\s*/i;
const PAIRS = /^[0-9a-f]{2}(:[0-9a-f]{2}){31}$/i;
const PLAIN = /^[0-9a-f]{64}$/i;

/**
 * One spelling of a certificate pin, so that a fingerprint from a label, a URL fragment, openssl or
 * node:crypto compares equal to the one a TLS handshake gives. Throws when it is not 64 hex digits:
 * a pin that silently matched nothing would lock a peer out, one that matched anything would let
 * any certificate in.
 */
export function normalizeFingerprint(text: string): string {
  const body = text.trim().replace(PREFIX, '');
  if (!PAIRS.test(body) && !PLAIN.test(body)) {
    throw new Error(`a SHA-256 fingerprint is 64 hex digits, optionally in pairs separated by colons (AB:CD:…); got "${text}"`);
  }
  const hex = body.replace(/:/g, '').toUpperCase();
  return (hex.match(/../g) ?? []).join(':');
}
