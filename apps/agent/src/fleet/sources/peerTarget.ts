import { formatFingerprint, normalizeFingerprint as hexFingerprint } from '../tls/fingerprint';
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

/**
 * One spelling of a certificate pin ("AB:CD:…"), so that a fingerprint from a label, a URL
 * fragment, openssl ("sha256 Fingerprint=…") or node:crypto compares equal to the one a TLS
 * handshake gives. Throws when it is not 64 hex digits: a pin that silently matched nothing would
 * lock a peer out, one that matched anything would let any certificate in.
 */
export function normalizeFingerprint(text: string): string {
  const hex = hexFingerprint(text);
  if (hex === null) throw new Error(`a SHA-256 fingerprint is 64 hex digits, optionally in pairs separated by colons (AB:CD:…); got "${text}"`);
  return formatFingerprint(hex);
}
