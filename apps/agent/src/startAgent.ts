import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { createHypervisor, type Hypervisor } from '@vfmap/hypervisors';
import type { AgentConfig } from './config';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { inlineScanner, workerScanner, type Scanner } from './scanner';
import { TopologyService } from './topologyService';
import { localHost } from './hostBackend';
import { HostRegistry } from './hostRegistry';
import { createApp } from './server/createApp';
import { recordTopologyMetrics } from './topologyMetrics';

export interface RunningAgent {
  url: string;
  hostId: string;
  service: TopologyService;
  logger: Logger;
  close(): Promise<void>;
}

export interface StartOverrides {
  logger?: Logger;
  hypervisor?: Hypervisor;
  scanner?: Scanner;
}

/** Where the bundled CLI keeps its neighbours: dist/scanWorker.js and dist/public (the page). */
function bundleDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, 'scanWorker.js')) ? here : null;
}

export function defaultWebDir(): string | undefined {
  const dir = bundleDir();
  return dir ? join(dir, 'public') : undefined;
}

/** Builds the agent from its config and listens. Port 0 picks a free port (tests). */
export async function startAgent(config: AgentConfig, overrides: StartOverrides = {}): Promise<RunningAgent> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  const hypervisor =
    overrides.hypervisor ??
    createHypervisor(config.hypervisor, {
      root: config.root,
      ...(config.virsh ? { virsh: config.virsh } : {}),
      ...(config.qm ? { qm: config.qm } : {}),
      ...(config.libvirtUri ? { libvirtUri: config.libvirtUri } : {}),
    });
  const dir = bundleDir();
  const scanner = overrides.scanner ?? (config.scanInWorker && dir ? workerScanner(join(dir, 'scanWorker.js')) : inlineScanner());

  const service = new TopologyService({
    root: config.root,
    ...(config.hostId ? { hostId: config.hostId } : {}),
    hypervisor,
    scanner,
    onScan: (ms, topology) => {
      logger.info({ ms: Math.round(ms), pfs: topology.pfs.length, warnings: topology.warnings.length }, 'scanned topology');
      recordTopologyMetrics(metrics, topology, ms);
    },
  });
  // The first scan names the host (its hostname) unless --host-id did.
  const first = await service.get();
  for (const w of first.topology.warnings) logger.warn({ code: w.code, path: w.path }, w.message);
  const hostId = config.hostId ?? first.topology.host.id;

  const app = createApp({
    hosts: new HostRegistry([localHost(hostId, service)]),
    logger,
    metrics,
    ...(config.webDir ?? defaultWebDir() ? { webDir: (config.webDir ?? defaultWebDir())! } : {}),
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.listen.port, config.listen.host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  logger.info({ url, root: config.root, hypervisor: hypervisor.kind, hostId, readOnly: config.readOnly }, 'agent listening');

  return {
    url,
    hostId,
    service,
    logger,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scanner.close();
    },
  };
}
