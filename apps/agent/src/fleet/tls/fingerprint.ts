import { X509Certificate } from 'node:crypto';

/**
 * A certificate's SHA-256 fingerprint of its DER, "AB:CD:…" upper case: the form Proxmox shows and pins
 * (pveproxy checks a node's pve-ssl.pem by it when it forwards a call) and `openssl x509 -fingerprint -sha256`
 * prints. Of a PEM bundle, the first certificate's.
 */
export function certFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/**
 * A fingerprint as 64 upper-case hex digits, whichever way it was written ("sha256:ab:cd…", "abcd…",
 * "AB:CD…"); null when it is not a SHA-256 fingerprint, so that a typo fails loudly instead of never matching.
 */
export function normalizeFingerprint(text: string): string | null {
  const body = text.trim().replace(/^sha-?256(\s+fingerprint)?\s*[:=]?\s*/i, '');
  // Pairs split by colons (as openssl and node:crypto write them), or 64 digits in a row.
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){31}$/i.test(body) && !/^[0-9a-f]{64}$/i.test(body)) return null;
  return body.replace(/:/g, '').toUpperCase();
}

/**
 * Whether two fingerprints name the same certificate, however each was written (colons, case, a "sha256:"
 * prefix). Anything that is not a SHA-256 fingerprint matches nothing, not even itself: an empty pin must
 * never let a certificate through.
 */
export function sameFingerprint(a: string, b: string): boolean {
  const left = normalizeFingerprint(a);
  return left !== null && left === normalizeFingerprint(b);
}

/** "AB:CD:…" from any accepted spelling, for messages and for comparing with `fingerprint256`. */
export function formatFingerprint(hex64: string): string {
  return hex64.match(/../g)!.join(':');
}
