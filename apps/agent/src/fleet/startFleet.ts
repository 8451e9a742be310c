import { isAbsolute } from 'node:path';
import type { FleetOptions } from '../config';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { Fleet } from './fleet';
import { credentialFile, ensureProxmoxCredential, proxmoxCredentialPath } from './fleetCredential';
import { transportFor } from './peerTransport';
import { createPeerSources } from './sources/peerSource';
import type { PeerTarget } from './sources/peerTarget';

export interface FleetSetup {
  fleet: Fleet | null;
  /** The credential this agent accepts on writes another agent forwards; null when it has none. */
  credential: (() => string | null) | null;
}

/**
 * The fleet of an agent or hub from its flags: the peer sources (--peers, --peer), the fleet
 * credential (on Proxmox made in /etc/pve/priv/vfmap/ by the first agent that finds none; else
 * --fleet-token-file), and the peers, asked at once. No flags: no fleet, and only this host.
 */
export function startFleet(options: FleetOptions & { root: string; selfId: string; ownPort: number; logger: Logger; metrics?: Metrics }): FleetSetup {
  const proxmox = options.peers.includes('proxmox');
  const ownPath = proxmox ? ensureProxmoxCredential(options.root) : (options.fleetTokenFile ?? null);
  const credential = ownPath ? credentialFile(ownPath) : null;
  if (options.peers.length === 0 && options.peerUrls.length === 0) return { fleet: null, credential };

  const sources = createPeerSources(
    { peers: options.peers, peerUrls: options.peerUrls },
    { root: options.root, peerPort: options.peerPort ?? options.ownPort, onWarning: (message) => options.logger.warn({ fleet: true }, message) },
  );
  const credentials = new Map<string, () => string | null>();
  const credentialFor = (target: PeerTarget): string | null => {
    const path = target.credentialFile ?? (proxmox && target.source === 'proxmox' ? proxmoxCredentialPath(options.root) : ownPath);
    if (!path || !isAbsolute(path)) return null;
    let read = credentials.get(path);
    if (!read) credentials.set(path, (read = credentialFile(path)));
    return read();
  };
  const fleet = new Fleet({
    selfId: options.selfId,
    sources,
    transportFor,
    credentialFor,
    ...(options.peerTimeoutMs === undefined ? {} : { readTimeoutMs: options.peerTimeoutMs }),
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  fleet.start();
  return { fleet, credential };
}
