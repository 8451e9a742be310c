import { join } from 'node:path';
import type { Hypervisor } from '@vfmap/hypervisors';
import { sysfsPaths, type IpLinkShow } from '@vfmap/sysfs';
import { AuditLog } from './audit/auditLog';
import { DesiredNumVfs } from './desired/desiredNumVfs';
import type { DesiredStore } from './desired/desiredStore';
import { MemoryDesiredStore } from './desired/memoryDesiredStore';
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
  /** The privileged steps (helper/helperSteps.ts localSteps, or the root helper's client). */
  writer: PrivilegedSteps;
  /** What vfmap keeps per PF; default one in memory (kept until the agent stops). */
  desiredState?: DesiredStore;
  /** Writes what keeps a PF's desired state at boot; none: prepare plans no such step. */
  persist?: (pf: string) => Promise<string>;
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
  desired: DesiredNumVfs;
  /** What vfmap keeps per PF beyond the count (VF settings, drivers, autoprobe, stable MACs). */
  desiredState: DesiredStore;
  operations: Operations;
}

/**
 * What the agent and `vfmap apply-desired` share: the topology, the operations module and what
 * it writes to (`<stateDir>/audit.jsonl`, `<stateDir>/desired-numvfs.json`). Scans once, which
 * names the host unless hostId does.
 */
export async function createAgentCore(options: AgentCoreOptions): Promise<AgentCore> {
  const { logger, metrics } = options;
  const service = new TopologyService({
    root: options.root,
    ...(options.hostId ? { hostId: options.hostId } : {}),
    hypervisor: options.hypervisor,
    scanner: options.scanner,
    ipLinkShow: options.ipLinkShow ?? null,
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
  const desired = new DesiredNumVfs(join(options.stateDir, 'desired-numvfs.json'));
  const journal = new OperationJournal(join(options.stateDir, 'running'));
  if (options.recover ?? true) {
    const torn = await auditLog.repair();
    if (torn > 0) logger.warn({ bytes: torn, path: auditLog.path }, 'dropped the torn last line of the audit log (a write cut off by a crash or a power cut)');
    const interrupted = await recordInterrupted({ journal, audit: auditLog, desired, topology: first.topology, now: () => new Date() });
    for (const entry of interrupted) logger.warn({ operationId: entry.id, operation: entry.operation, target: entry.target, after: entry.after }, entry.detail ?? 'an operation was interrupted');
  }
  // Until the file-backed store is given, what is kept lives as long as the agent.
  const desiredState = options.desiredState ?? new MemoryDesiredStore();
  const operations = new Operations({
    hostId,
    topology: service,
    hypervisor: options.hypervisor,
    writer: options.writer,
    writeTimeoutMs: options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS,
    paths: sysfsPaths(options.root),
    audit: auditLog,
    desired,
    desiredState,
    stableMacs: stableMacSource({ hostId, root: options.root, ipLinkShow: options.ipLinkShow ?? null }),
    ...(options.persist ? { persist: options.persist } : {}),
    journal,
    bus,
    announcer,
    problemOf: (err) => toProblem(err),
    logger,
    ...(metrics ? { metrics } : {}),
  });
  return { hostId, service, bus, announcer, auditLog, desired, desiredState, operations };
}
