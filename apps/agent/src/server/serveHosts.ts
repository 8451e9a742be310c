import { hostname } from 'node:os';
import type { ExposureOptions, FleetOptions, Listen, KernelKind } from '../config';
import { FailedAuthLimiter } from '../auth/failedAuthLimiter';
import { refusalAudit } from '../auth/refusalAudit';
import type { AuditEntry } from '@vfmap/model';
import { EventClientLimit } from './eventClientLimit';
import type { WriteAccess } from '../auth/requireWriter';
import type { Fleet } from '../fleet/fleet';
import { startFleet } from '../fleet/startFleet';
import { serverTlsFor, type ServerTls } from '../fleet/tls/serverTls';
import type { LocalHost } from '../hostBackend';
import { HostRegistry } from '../hostRegistry';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { defaultWebDir } from '../bundle';
import { createRequestHandler } from './createApp';
import { listenOn, needsTls, SERVER_TIMEOUTS, type ServerTimeouts } from './listen';
import { allowedHostNames } from './hostCheck';

export interface ServeOptions {
  config: FleetOptions & ExposureOptions & { root: string; listen: Listen; stateDir: string; webDir?: string | undefined; hypervisor?: string };
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
  /** The agent's audit log, where writes refused at authentication are recorded too (a hub has none). */
  audit?: { append(entry: AuditEntry): Promise<void> };
  /** The clock of the failed-authentication window (tests). */
  now?: () => number;
}

export interface Served {
  url: string;
  /** The read-only listener's (--read-listen), or null. */
  readUrl: string | null;
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
    const readListen = config.readListen;
    const mainTls = needsTls(config.listen, config);
    // The read-only listener follows the same rules: beyond loopback it speaks HTTPS, with the same certificate.
    const readTls = readListen !== undefined && needsTls(readListen, config);
    const tls = mainTls || readTls
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
    const hosts = new HostRegistry(options.locals, fleet);
    const now = options.now ?? Date.now;
    const shared = {
      hosts,
      tlsFingerprint: tls?.fingerprint ?? null,
      logger,
      metrics,
      kernel: options.kernel,
      // One pool of event streams for every listener.
      eventClients: new EventClientLimit(config.maxEventClients, config.maxEventClientsPerAddress),
      ...(webDir ? { webDir } : {}),
      ...(options.sseKeepAliveMs === undefined ? {} : { sseKeepAliveMs: options.sseKeepAliveMs }),
    };
    const app = createRequestHandler({
      ...shared,
      allowedHosts: allowedHostNames(config.listen, { certificate: tls?.cert ?? null, extra: config.allowedHosts }),
      https: mainTls,
      writeAccess: access,
      authFailures: new FailedAuthLimiter({ maxFailures: config.maxAuthFailures, windowMs: config.authFailureWindowMs, now }),
      refusals: refusalAudit({ audit: options.audit ?? null, logger, now }),
    });
    const servers: Array<{ close(): Promise<void> }> = [];
    try {
      const main = await listenOn(app, config.listen, mainTls ? tls : null, options.serverTimeouts ?? SERVER_TIMEOUTS);
      servers.push(closer(main.server));
      let readUrl: string | null = null;
      if (readListen !== undefined) {
        // Reads only: every write route answers 403 before any token is looked at, so none is ever accepted here.
        const readApp = createRequestHandler({
          ...shared,
          allowedHosts: allowedHostNames(readListen, { certificate: tls?.cert ?? null, extra: config.allowedHosts }),
          https: readTls,
          writeAccess: { readOnly: true, readListener: true },
        });
        const read = await listenOn(readApp, readListen, readTls ? tls : null, options.serverTimeouts ?? SERVER_TIMEOUTS);
        servers.push(closer(read.server));
        readUrl = read.url;
      }
      return {
        url: main.url,
        readUrl,
        fleet,
        tls,
        async close() {
          fleet?.close();
          await Promise.all(servers.map((s) => s.close()));
        },
      };
    } catch (err) {
      await Promise.all(servers.map((s) => s.close()));
      throw err;
    }
  } catch (err) {
    fleet?.close();
    throw err;
  }
}

function closer(server: { closeAllConnections(): void; close(callback: () => void): unknown }): { close(): Promise<void> } {
  return {
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
