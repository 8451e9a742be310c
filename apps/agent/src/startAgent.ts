import { mkdirSync } from 'node:fs';
import { createHypervisor, readRunningQemus, type Hypervisor } from '@vfmap/hypervisors';
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
import { serveHosts } from './server/serveHosts';
import { bundledWorkerScripts, type WorkerScripts } from './bundle';
import type { ServerTls } from './fleet/tls/serverTls';
import { TopologyWatcher } from './events/topologyWatcher';
import { setFaults, type SimKernelOptions } from '@vfmap/simhost';
import { createKernel, kernelSpec, settleKernel } from './kernel/kernelSpec';
import { vfSettingsReader } from './kernel/vfSettingsReader';
import { inlineKernelWriter, workerKernelWriter, type KernelWriter } from './kernel/kernelWriter';
import { loadWriteToken, type WriteToken } from './auth/writeToken';
import type { WriteAccess } from './auth/requireWriter';
import type { ServerTimeouts } from './server/listen';
import { createConnection } from 'node:net';
import { sysfsPaths } from '@vfmap/sysfs';
import { helperClient, helperHypervisor, type HelperClient } from './helper/helperClient';
import { localSteps } from './helper/helperSteps';
import { vfSettingsWriter } from './kernel/vfSettingsWriter';
import { systemdVersionSource } from './persistence/systemdSource';

export interface RunningAgent {
  url: string;
  /** The read-only listener's URL (--read-listen), or null. */
  readUrl: string | null;
  hostId: string;
  service: TopologyService;
  operations: Operations;
  bus: EventBus;
  logger: Logger;
  /** The write token, null with --read-only. `created` says it was made at this start (the CLI prints it once). */
  writeToken: WriteToken | null;
  /** The certificate it serves HTTPS with (its fingerprint goes in a target list), null on plain HTTP. */
  tls: ServerTls | null;
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
  /** How long a client may take to send its request (tests give short ones). */
  serverTimeouts?: ServerTimeouts;
  /** The clock of the failed-authentication window (tests move it instead of sleeping). */
  now?: () => number;
  /**
   * The HTTP side of the split agent: every privileged step goes to the root helper through this
   * client (the socketpair its parent made). Without it, `--helper-socket` connects to a helper's
   * socket path; with neither, the agent does the steps itself (one process).
   */
  helper?: HelperClient;
}

export const WATCH_INTERVAL_MS = 2000;

export type { WorkerScripts } from './bundle';

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
export function writeAccessFor(config: Pick<AgentConfig, 'readOnly' | 'stateDir' | 'token' | 'tokenFile'>): { access: WriteAccess; token: WriteToken | null } {
  if (config.readOnly) return { access: { readOnly: true }, token: null };
  mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  const token = loadWriteToken({ token: config.token, tokenFile: config.tokenFile, stateDir: config.stateDir });
  return { access: { readOnly: false, token }, token };
}

/** `--helper-socket PATH`: the helper runs as its own service (packaging/vfmap-helper.service); a restarted helper is connected to again at the next step. */
function socketHelper(path: string): HelperClient {
  return helperClient({ connect: () => createConnection(path), reconnect: true });
}

/** Builds the agent from its config and listens. Port 0 picks a free port (tests). */
export async function startAgent(config: AgentConfig, overrides: StartOverrides = {}): Promise<RunningAgent> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  const { access, token } = writeAccessFor(config);
  for (const warning of token?.warnings ?? []) logger.warn(warning);

  const helper = overrides.helper ?? (config.helperSocket ? socketHelper(config.helperSocket) : null);
  const hypervisor =
    overrides.hypervisor ??
    createHypervisor(config.hypervisor, {
      root: config.root,
      commandTimeoutMs: config.commandTimeoutMs,
      ...(config.virsh ? { virsh: config.virsh } : {}),
      ...(config.qm ? { qm: config.qm } : {}),
      ...(config.libvirtUri ? { libvirtUri: config.libvirtUri } : {}),
      // Split, this side is not root and Proxmox's `qm list` refuses it: the helper lists the VM states.
      ...(helper ? { vmStates: () => helper.steps.listVms() } : {}),
    });
  const scripts = overrides.workerScripts ?? bundledWorkerScripts();
  const scanInWorker = !overrides.scanner && config.scanWorker && scripts !== null;
  const writeInWorker = !overrides.kernel && config.writeWorker && scripts !== null;
  const scanner = overrides.scanner ?? (scanInWorker ? workerScanner(scripts.scan) : inlineScanner());
  // --fault: the simulated kernel reads its faults from the tree at every write, on any thread.
  if (config.kernel === 'simulated' && config.faults.length > 0) setFaults(config.root, config.faults);
  const kernelWriter = helper ? null : kernelWriterFor(config, overrides, writeInWorker ? scripts.kernel : null);
  const steps = helper ? helper.steps : localSteps(kernelWriter!, hypervisor, sysfsPaths(config.root), vfSettingsWriter(kernelSpec(config.kernel, config.root), sysfsPaths(config.root)), systemdVersionSource(config.kernel));
  if (!helper && !overrides.kernel && !config.readOnly) {
    const finished = settleKernel(kernelSpec(config.kernel, config.root));
    if (finished) logger.warn({ pf: finished.pf, from: finished.from, to: finished.to }, 'the simulated kernel finished a sriov_numvfs write that a stopped agent left half-done');
  }

  // A live worker thread keeps the process running: a start that fails must stop them.
  const closeWorkers = async () => {
    await scanner.close();
    await kernelWriter?.close();
    await helper?.close();
  };
  const core = await createAgentCore({
    root: config.root,
    hostId: config.hostId,
    stateDir: config.stateDir,
    hypervisor: helper ? helperHypervisor(hypervisor, helper.steps) : hypervisor,
    scanner,
    ipLinkShow: vfSettingsReader(kernelSpec(config.kernel, config.root)),
    // Another user's /proc/<pid>/fd needs root: split, the helper reads the QEMU processes.
    runningHolders: helper ? () => helper.steps.runningHolders() : () => readRunningQemus(config.root),
    writer: steps,
    writeTimeoutMs: config.writeTimeoutMs,
    logger,
    metrics,
    recover: !config.readOnly,
  }).catch(async (err: unknown) => {
    await closeWorkers();
    throw err;
  });
  const { hostId, service, bus, announcer, auditLog, operations, desired } = core;
  const watcher = new TopologyWatcher({
    check: () => service.check(),
    announcer,
    operationsEpoch: () => operations.epoch,
    operationsRunning: () => operations.running > 0,
    intervalMs: overrides.watchIntervalMs ?? WATCH_INTERVAL_MS,
    onError: (err) => logger.warn({ err }, 'the topology change check failed'),
  });
  bus.onListenerCount((n) => watcher.setActive(n > 0));

  const served = await serveHosts({
    config,
    selfId: hostId,
    locals: [localHost(hostId, { readOnly: config.readOnly, service, operations, auditLog, bus, desired, persistence: { root: config.root, systemdVersion: systemdVersionSource(config.kernel) }, sriovCapabilities: helper ? (addresses) => helper.steps.sriovCapabilities(addresses) : null })],
    logger,
    metrics,
    access,
    kernel: config.kernel,
    audit: auditLog,
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(overrides.sseKeepAliveMs === undefined ? {} : { sseKeepAliveMs: overrides.sseKeepAliveMs }),
    ...(overrides.serverTimeouts ? { serverTimeouts: overrides.serverTimeouts } : {}),
  }).catch(async (err: unknown) => {
    await watcher.close();
    await closeWorkers();
    throw err;
  });
  const { url } = served;
  logger.info(
    { url, readUrl: served.readUrl, root: config.root, kernel: config.kernel, hypervisor: hypervisor.kind, hostId, scanIn: scanInWorker ? 'worker thread' : 'main thread', writesIn: helper ? 'root helper' : writeInWorker ? 'worker thread' : 'main thread', uid: process.getuid?.() ?? null, readOnly: config.readOnly, stateDir: config.readOnly ? null : config.stateDir, token: token ? { source: token.source, id: token.id } : null, tls: served.tls ? { source: served.tls.source, fingerprint: served.tls.fingerprint } : null, peers: served.fleet ? config.peers.concat(config.peerUrls) : [] },
    'agent listening',
  );

  return {
    url,
    readUrl: served.readUrl,
    hostId,
    service,
    operations,
    bus,
    logger,
    writeToken: token,
    tls: served.tls,
    async close() {
      await watcher.close();
      await served.close();
      await closeWorkers();
    },
  };
}
