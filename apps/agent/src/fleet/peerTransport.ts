import http from 'node:http';
import { readFileSync } from 'node:fs';
import { peerHttpsAgent } from './tls/peerAgent';
import type { PeerTarget } from './sources/peerTarget';

/**
 * How this server connects to a target: plain HTTP when its URL says so (a peer on loopback, a
 * quick look), else HTTPS verified as its source says — the pinned fingerprint (Proxmox's node
 * certificate, the `fingerprint` label), the CA (the cluster's pve-root-ca.pem, the `ca_file`
 * label), or the system's CAs.
 */
export function transportFor(target: PeerTarget): http.Agent {
  if (target.url.startsWith('http:')) return new http.Agent({ keepAlive: true, maxSockets: 4 });
  const { fingerprint, caFile, serverName } = target.tls;
  const ca = caFile && !fingerprint ? readCa(caFile) : null;
  return peerHttpsAgent({
    ...(fingerprint ? { fingerprint } : {}),
    ...(ca ? { ca } : {}),
    ...(serverName ? { serverName } : {}),
  });
}

/** A CA file that cannot be read leaves the system's CAs, which then refuse a private CA's certificate: the peer shows as unauthorized. */
function readCa(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
