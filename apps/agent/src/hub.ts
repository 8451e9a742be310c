import { hostname } from 'node:os';
import type { HubConfig } from './config';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { serveHosts } from './server/serveHosts';
import { writeAccessFor, type RunningAgent } from './startAgent';

export type RunningHub = Pick<RunningAgent, 'url' | 'logger' | 'writeToken' | 'tls' | 'close'> & { id: string };

/**
 * `vfmap hub`: the fleet's API and page with no host of its own. It reads no sysfs and writes no
 * kernel; every write goes to the agent that owns the VF, with the fleet credential.
 */
export async function startHub(config: HubConfig, overrides: { logger?: Logger; sseKeepAliveMs?: number } = {}): Promise<RunningHub> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const { access, token } = writeAccessFor(config);
  for (const warning of token?.warnings ?? []) logger.warn(warning);
  const id = config.hostId ?? `hub-${hostname().split('.')[0] || 'vfmap'}`;
  const served = await serveHosts({
    config,
    selfId: id,
    locals: [],
    logger,
    metrics: new Metrics(),
    access,
    kernel: 'none',
    ...(overrides.sseKeepAliveMs === undefined ? {} : { sseKeepAliveMs: overrides.sseKeepAliveMs }),
  });
  logger.info({ url: served.url, readUrl: served.readUrl, id, peers: config.peers.concat(config.peerUrls), tls: served.tls ? { source: served.tls.source, fingerprint: served.tls.fingerprint } : null }, 'hub listening');
  return { id, url: served.url, logger, writeToken: token, tls: served.tls, close: () => served.close() };
}
