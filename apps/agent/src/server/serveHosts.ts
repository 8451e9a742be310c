import { hostname } from 'node:os';
import type { FleetOptions, Listen, KernelKind } from '../config';
import type { WriteAccess } from '../auth/requireWriter';
import type { Fleet } from '../fleet/fleet';
import { startFleet } from '../fleet/startFleet';
import { serverTlsFor, type ServerTls } from '../fleet/tls/serverTls';
import type { LocalHost } from '../hostBackend';
import { HostRegistry } from '../hostRegistry';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { defaultWebDir } from '../bundle';
import { createApp } from './createApp';
import { listenOn, needsTls, SERVER_TIMEOUTS, type ServerTimeouts } from './listen';
import { allowedHostNames } from './hostCheck';

export interface ServeOptions {
  config: FleetOptions & { root: string; listen: Listen; stateDir: string; webDir?: string | undefined; hypervisor?: string };
  /** This server's id: its host's, or the hub's. */
  selfId: string;
  locals: LocalHost[];
  logger: Logger;
  metrics: Metrics;
  access: WriteAccess;
  kernel: KernelKind;
  sseKeepAliveMs?: number;
  /** How long a client may take to send its request (default SERVER_TIMEOUTS). */
  serverTimeouts?: ServerTimeouts;
}

export interface Served {
  url: string;
  fleet: Fleet | null;
  tls: ServerTls | null;
  close(): Promise<void>;
}

/**
 * What an agent and a hub share: the fleet (when given peers), the HTTP or HTTPS server, the
 * routes over its own hosts and the fleet's.
 */
export async function serveHosts(options: ServeOptions): Promise<Served> {
  const { config, logger, metrics } = options;
  const { fleet, credential } = startFleet({ ...config, selfId: options.selfId, ownPort: config.listen.port, logger, metrics });
  try {
    const tls = needsTls(config.listen, config)
      ? await serverTlsFor({
          root: config.root,
          stateDir: config.stateDir,
          ...(config.tlsCert ? { tlsCert: config.tlsCert } : {}),
          ...(config.tlsKey ? { tlsKey: config.tlsKey } : {}),
          // A Proxmox node serves with its own certificate (pve-ssl.pem), as pveproxy does.
          proxmox: config.peers.includes('proxmox') || config.hypervisor === 'proxmox',
          hostname: hostname(),
        })
      : null;
    const access: WriteAccess = options.access.readOnly || !credential ? options.access : { ...options.access, fleetCredential: credential };
    const webDir = config.webDir ?? defaultWebDir();
    const app = createApp({
      hosts: new HostRegistry(options.locals, fleet),
      allowedHosts: allowedHostNames(config.listen, { certificate: tls?.cert ?? null, extra: config.allowedHosts }),
      https: tls !== null,
      logger,
      metrics,
      writeAccess: access,
      kernel: options.kernel,
      ...(webDir ? { webDir } : {}),
      ...(options.sseKeepAliveMs === undefined ? {} : { sseKeepAliveMs: options.sseKeepAliveMs }),
    });
    const { server, url } = await listenOn(app, config.listen, tls, options.serverTimeouts ?? SERVER_TIMEOUTS);
    return {
      url,
      fleet,
      tls,
      async close() {
        fleet?.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (err) {
    fleet?.close();
    throw err;
  }
}
