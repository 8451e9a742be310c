/**
 * A peer whose certificate the hub refused, before any request was written to it. `seen` is the
 * fingerprint it presented (null if it presented none), so an operator can compare it with the node's
 * pve-ssl.pem or pin it.
 */
export class PeerTlsError extends Error {
  override readonly name = 'PeerTlsError';
  constructor(
    message: string,
    readonly reason: 'fingerprint-mismatch' | 'untrusted' | 'name-mismatch',
    readonly seen: string | null,
  ) {
    super(message);
  }
}
