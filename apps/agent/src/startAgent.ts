import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { createHypervisor, type Hypervisor } from '@vfmap/hypervisors';
import type { Kernel } from '@vfmap/sysfs';
import type { AgentConfig } from './config';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { inlineScanner, workerScanner, type Scanner } from './scanner';
import { localHost } from './hostBackend';
import { createAgentCore } from './agentCore';
import type { TopologyService } from './topologyService';
import type { Operations } from './operations/operations';
import type { EventBus } from './events/eventBus';
import { HostRegistry } from './hostRegistry';
import { createApp } from './server/createApp';
import { TopologyWatcher } from './events/topologyWatcher';
import type { SimKernelOptions } from '@vfmap/simhost';
import { createKernel, kernelSpec } from './kernel/kernelSpec';
import { inlineKernelWriter, workerKernelWriter, type KernelWriter } from './kernel/kernelWriter';
import { loadWriteToken, type WriteToken } from './auth/writeToken';
import type { WriteAccess } from './auth/requireWriter';

export interface RunningAgent {
  url: string;
  hostId: string;
  service: TopologyService;
  operations: Operations;
  bus: EventBus;
  logger: Logger;
  /** The write token, null with --read-only. `created` says it was made at this start (the CLI prints it once). */
  writeToken: WriteToken | null;
  close(): Promise<void>;
}

export interface StartOverrides {
  logger?: Logger;
  hypervisor?: Hypervisor;
  scanner?: Scanner;
  /** Writes go to this kernel on the calling thread (tests: the simulated kernel, or one that records). */
  kernel?: Kernel;
  /** How the simulated kernel (`--kernel simulated`) behaves; the demo gives it the real kernel's pace. */
  simulatedKernel?: SimKernelOptions;
  /**
   * The worker threads' scripts; by default the bundle's neighbours (dist/scanWorker.mjs,
   * dist/kernelWorker.mjs). Tests give bundles esbuild made. With neither (the CLI run from
   * source), sysfs is read and written on the main thread.
   */
  workerScripts?: WorkerScripts;
  /** How often the change watcher checks while a client listens to events (default 2 s). */
  watchIntervalMs?: number;
  sseKeepAliveMs?: number;
}

export const WATCH_INTERVAL_MS = 2000;

export interface WorkerScripts {
  scan: string;
  kernel: string;
}

/** Where the bundled CLI keeps its neighbours: dist/scanWorker.mjs, dist/kernelWorker.mjs and dist/public (the page). */
function bundleDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, 'scanWorker.mjs')) ? here : null;
}

function bundledWorkerScripts(): WorkerScripts | null {
  const dir = bundleDir();
  return dir ? { scan: join(dir, 'scanWorker.mjs'), kernel: join(dir, 'kernelWorker.mjs') } : null;
}

export function defaultWebDir(): string | undefined {
  const dir = bundleDir();
  return dir ? join(dir, 'public') : undefined;
}

function kernelWriterFor(config: AgentConfig, overrides: StartOverrides, script: string | null): KernelWriter {
  if (overrides.kernel) return inlineKernelWriter(overrides.kernel);
  const spec = kernelSpec(config.kernel, config.root, overrides.simulatedKernel);
  return script ? workerKernelWriter(script, spec) : inlineKernelWriter(createKernel(spec));
}

/**
 * The write side's state: the token (made in the state directory at the first start) and the
 * directory itself, which holds the audit log and the desired VF counts. A read-only agent
 * writes nothing, so it needs neither.
 */
function writeAccessFor(config: AgentConfig): { access: WriteAccess; token: WriteToken | null } {
  if (config.readOnly) return { access: { readOnly: true }, token: null };
  mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  const token = loadWriteToken({ token: config.token, tokenFile: config.tokenFile, stateDir: config.stateDir });
  return { access: { readOnly: false, token }, token };
}

/** Builds the agent from its config and listens. Port 0 picks a free port (tests). */
export async function startAgent(config: AgentConfig, overrides: StartOverrides = {}): Promise<RunningAgent> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  const { access, token } = writeAccessFor(config);
  for (const warning of token?.warnings ?? []) logger.warn(warning);

  const hypervisor =
    overrides.hypervisor ??
    createHypervisor(config.hypervisor, {
      root: config.root,
      ...(config.virsh ? { virsh: config.virsh } : {}),
      ...(config.qm ? { qm: config.qm } : {}),
      ...(config.libvirtUri ? { libvirtUri: config.libvirtUri } : {}),
    });
  const scripts = overrides.workerScripts ?? bundledWorkerScripts();
  const scanInWorker = !overrides.scanner && config.scanWorker && scripts !== null;
  const writeInWorker = !overrides.kernel && config.writeWorker && scripts !== null;
  const scanner = overrides.scanner ?? (scanInWorker ? workerScanner(scripts.scan) : inlineScanner());
  const writer = kernelWriterFor(config, overrides, writeInWorker ? scripts.kernel : null);

  // A live worker thread keeps the process running: a start that fails must stop them.
  const closeWorkers = async () => {
    await scanner.close();
    await writer.close();
  };
  const core = await createAgentCore({
    root: config.root,
    hostId: config.hostId,
    stateDir: config.stateDir,
    hypervisor,
    scanner,
    writer,
    logger,
    metrics,
  }).catch(async (err: unknown) => {
    await closeWorkers();
    throw err;
  });
  const { hostId, service, bus, announcer, auditLog, operations } = core;
  const watcher = new TopologyWatcher({
    check: () => service.check(),
    announcer,
    operationsEpoch: () => operations.epoch,
    operationsRunning: () => operations.running > 0,
    intervalMs: overrides.watchIntervalMs ?? WATCH_INTERVAL_MS,
    onError: (err) => logger.warn({ err }, 'the topology change check failed'),
  });
  bus.onListenerCount((n) => watcher.setActive(n > 0));

  const app = createApp({
    hosts: new HostRegistry([localHost(hostId, { readOnly: config.readOnly, service, operations, auditLog, bus })]),
    logger,
    metrics,
    writeAccess: access,
    kernel: config.kernel,
    ...(config.webDir ?? defaultWebDir() ? { webDir: (config.webDir ?? defaultWebDir())! } : {}),
    ...(overrides.sseKeepAliveMs === undefined ? {} : { sseKeepAliveMs: overrides.sseKeepAliveMs }),
  });

  const server: Server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.listen.port, config.listen.host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  }).catch(async (err: unknown) => {
    await watcher.close();
    await closeWorkers();
    throw err;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  logger.info(
    { url, root: config.root, kernel: config.kernel, hypervisor: hypervisor.kind, hostId, scanIn: scanInWorker ? 'worker thread' : 'main thread', writesIn: writeInWorker ? 'worker thread' : 'main thread', readOnly: config.readOnly, stateDir: config.readOnly ? null : config.stateDir, token: token ? { source: token.source, id: token.id } : null },
    'agent listening',
  );

  return {
    url,
    hostId,
    service,
    operations,
    bus,
    logger,
    writeToken: token,
    async close() {
      await watcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeWorkers();
    },
  };
}
