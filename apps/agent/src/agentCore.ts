import { join } from 'node:path';
import type { Hypervisor } from '@vfmap/hypervisors';
import type { DesiredPfState, RunningFacts } from '@vfmap/model';
import { sysfsPaths, type IpLinkShow } from '@vfmap/sysfs';
import { AuditLog } from './audit/auditLog';
import { DESIRED_FILE, DesiredFile, LEGACY_DESIRED_FILE } from './desired/desiredFile';
import type { DesiredStore } from './desired/desiredStore';
import { keptOnVfio } from './desired/keptOnVfio';
import { EventBus } from './events/eventBus';
import { TopologyAnnouncer } from './events/topologyAnnouncer';
import { DEFAULT_WRITE_TIMEOUT_MS } from './config';
import type { PrivilegedSteps } from './helper/helperSteps';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { recordInterrupted } from './operations/interrupted';
import { OperationJournal } from './operations/operationJournal';
import { Operations } from './operations/operations';
import { stableMacSource } from './operations/stableMacSource';
import type { Scanner } from './scanner';
import { toProblem } from './server/problems';
import { recordTopologyMetrics } from './topologyMetrics';
import { TopologyService } from './topologyService';

export interface AgentCoreOptions {
  root: string;
  hostId?: string | undefined;
  stateDir: string;
  hypervisor: Hypervisor;
  scanner: Scanner;
  /** Reads each PF's VF settings (kernel/vfSettingsReader.ts); without it every VF's config is null. */
  ipLinkShow?: IpLinkShow | null;
  /** What running QEMU processes hold (TopologyService's runningHolders); none: holders from configs alone. */
  runningHolders?: (() => Promise<RunningFacts>) | null;
  /** The privileged steps (helper/helperSteps.ts localSteps, or the root helper's client). */
  writer: PrivilegedSteps;
  /** What vfmap keeps per PF; default `<stateDir>/desired.json` (desired/desiredFile.ts). */
  desiredState?: DesiredStore;
  /** How long one kernel write may take before its operation answers that it hung (default 60 s). */
  writeTimeoutMs?: number;
  logger: Logger;
  metrics?: Metrics;
  /**
   * Audit the operations a stopped agent left under way (operations/interrupted.ts) and mend a
   * torn last audit line, before serving: not for a read-only agent, which writes nothing.
   */
  recover?: boolean;
}

export interface AgentCore {
  hostId: string;
  service: TopologyService;
  bus: EventBus;
  announcer: TopologyAnnouncer;
  auditLog: AuditLog;
  /** What vfmap keeps per PF for the next boot: `<stateDir>/desired.json`, or the store given. */
  desired: DesiredStore;
  operations: Operations;
}

/**
 * What the agent and `vfmap apply-desired` share: the topology, the operations module and what
 * it writes to (`<stateDir>/audit.jsonl`, `<stateDir>/desired.json`). Scans once, which
 * names the host unless hostId does.
 */
export async function createAgentCore(options: AgentCoreOptions): Promise<AgentCore> {
  const { logger, metrics } = options;
  const desired = options.desiredState ?? new DesiredFile(join(options.stateDir, DESIRED_FILE), join(options.stateDir, LEGACY_DESIRED_FILE));
  const service = new TopologyService({
    root: options.root,
    ...(options.hostId ? { hostId: options.hostId } : {}),
    hypervisor: options.hypervisor,
    scanner: options.scanner,
    ipLinkShow: options.ipLinkShow ?? null,
    runningHolders: options.runningHolders ?? null,
    keptOnVfio: (topology) => keptOnVfio(desired, topology, logger),
    onScan: (ms, topology) => {
      logger.info({ ms: Math.round(ms), pfs: topology.pfs.length, warnings: topology.warnings.length }, 'scanned topology');
      if (metrics) recordTopologyMetrics(metrics, topology, ms);
    },
  });
  const first = await service.get();
  for (const w of first.topology.warnings) logger.warn({ code: w.code, path: w.path }, w.message);
  const hostId = options.hostId ?? first.topology.host.id;

  const bus = new EventBus((err) => logger.error({ err }, 'an event listener failed'));
  const announcer = new TopologyAnnouncer(bus, hostId, first.etag);
  const auditLog = new AuditLog(join(options.stateDir, 'audit.jsonl'));
  const journal = new OperationJournal(join(options.stateDir, 'running'));
  if (options.recover ?? true) {
    const torn = await auditLog.repair();
    if (torn > 0) logger.warn({ bytes: torn, path: auditLog.path }, 'dropped the torn last line of the audit log (a write cut off by a crash or a power cut)');
    const bootFile = async (pf: string, kept: DesiredPfState | null) => {
      try {
        await options.writer.writePersistence(pf, kept, 'refresh');
      } catch (err) {
        logger.error({ err, pf }, "could not put vfmap's boot file back in step with the desired state of an interrupted operation");
      }
    };
    const interrupted = await recordInterrupted({ journal, audit: auditLog, desired, bootFile, topology: first.topology, now: () => new Date() });
    for (const entry of interrupted) logger.warn({ operationId: entry.id, operation: entry.operation, target: entry.target, after: entry.after }, entry.detail ?? 'an operation was interrupted');
  }
  const operations = new Operations({
    hostId,
    topology: service,
    hypervisor: options.hypervisor,
    writer: options.writer,
    writeTimeoutMs: options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS,
    paths: sysfsPaths(options.root),
    audit: auditLog,
    desired,
    stableMacs: stableMacSource({ hostId, root: options.root, ipLinkShow: options.ipLinkShow ?? null }),
    journal,
    bus,
    announcer,
    problemOf: (err) => toProblem(err),
    logger,
    ...(metrics ? { metrics } : {}),
  });
  return { hostId, service, bus, announcer, auditLog, desired, operations };
}
