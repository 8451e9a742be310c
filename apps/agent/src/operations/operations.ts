import { randomUUID } from 'node:crypto';
import {
  PciAddress,
  type AssignmentRequest,
  type AssignmentResult,
  type AuditEntry,
  type AuditWho,
  type NumVfsRequest,
  type AutoprobeRequest,
  type NumVfsResult,
  type Pf,
  type PfWriteResult,
  type PrepareRequest,
  type PrepareResult,
  type Problem,
  type StableMacsRequest,
  type VfConfigChange,
  type VfConfigResult,
  type VfDriverRequest,
  type VfDriverResult,
} from '@vfmap/model';
import type { Hypervisor } from '@vfmap/hypervisors';
import type { SysfsPaths } from '@vfmap/sysfs';
import { BadRequestError } from '../errors';
import type { EventBus } from '../events/eventBus';
import type { TopologyAnnouncer } from '../events/topologyAnnouncer';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { TopologySnapshot } from '../topologyService';
import type { DesiredStore } from '../desired/desiredStore';
import { assignVf, releaseVf, type AssignmentDeps } from './assignment';
import { changeAutoprobe, type AutoprobeDeps } from './autoprobe';
import { changeVfDriver, type VfDriverDeps } from './vfDriver';
import { changeNumVfs, type NumVfsDeps } from './numVfs';
import type { RestoreOptions } from './managementPath';
import { describePersist, persistOperation, persistPf, type PersistDeps } from './persist';
import { OperationTracker, runOperation, type OperationEnv, type OperationSpec } from './operationRun';
import { HungWrites } from './hungWrites';
import { PfLocks } from './pfLock';
import type { OperationJournal } from './operationJournal';
import type { IfMatch } from './precondition';
import { setVfConfig, type VfConfigDeps } from './vfConfig';
import { planPrepareVfs, prepareVfs, type PrepareDeps } from './prepare';
import { reapplyDesired, type ReapplyDeps } from './reapply';
import { setStableMacs, type StableMacsDeps } from './stableMacsWrite';

export interface OperationsDeps {
  hostId: string;
  topology: { get(): Promise<TopologySnapshot>; scanNow(): Promise<TopologySnapshot> };
  hypervisor: Hypervisor;
  /** The privileged steps: sriov_numvfs, VF settings, VF drivers, autoprobe (directly, or through the root helper). */
  writer: PrivilegedSteps;
  /** How long one kernel write may take before its operation answers that it hung (--write-timeout-ms). */
  writeTimeoutMs: number;
  paths: SysfsPaths;
  audit: { append(entry: AuditEntry): Promise<void> };
  /** What is kept per PF for the next boot (desired/desiredFile.ts): count, VF settings, drivers, autoprobe, stable MACs. */
  desired: DesiredStore;
  /** The stable MAC of each VF index below `count` of a PF (stableMacSource.ts). */
  stableMacs: (pf: Pf, count: number) => Promise<string[]>;
  /** Where operations mark that they began to act; none: nothing is marked. */
  journal?: OperationJournal;
  bus: EventBus;
  announcer: TopologyAnnouncer;
  problemOf: (err: unknown) => Problem;
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
  newId?: () => string;
}

/**
 * The one place every write goes through (ARCHITECTURE principle 5): changing a PF's VF count,
 * giving a VF to a VM, taking it back. Each validates on a fresh scan, waits its turn on the PF,
 * checks safety, acts through the injected kernel writer or hypervisor, re-reads, writes the
 * audit entry and publishes events. The HTTP routes and `vfmap apply-desired` both call this.
 */
export class Operations {
  private readonly locks = new PfLocks();
  private readonly tracker = new OperationTracker();
  private readonly env: OperationEnv;
  private readonly numVfsDeps: NumVfsDeps;
  private readonly assignmentDeps: AssignmentDeps;
  private readonly vfConfigDeps: VfConfigDeps;
  private readonly vfDriverDeps: VfDriverDeps;
  private readonly autoprobeDeps: AutoprobeDeps;
  private readonly pfWriteDeps: PrepareDeps & ReapplyDeps & StableMacsDeps;
  private readonly persistDeps: PersistDeps;

  constructor(deps: OperationsDeps) {
    const { logger, metrics } = deps;
    this.env = {
      hostId: deps.hostId,
      bus: deps.bus,
      audit: deps.audit,
      problemOf: deps.problemOf,
      now: deps.now ?? (() => new Date()),
      newId: deps.newId ?? randomUUID,
      onAuditFailure: (err, entry) => {
        logger.error({ err, entry }, 'could not write the audit entry of an operation');
        metrics?.auditFailures.inc();
      },
      onFinished: (kind, result) => metrics?.operations.inc({ kind, result }),
      ...(deps.journal ? { journal: deps.journal } : {}),
      desiredOf: async (pf) => (await deps.desired.read())[pf] ?? null,
      onJournalFailure: (err, id) => logger.error({ err, operationId: id }, 'could not remove the running mark of a finished operation; the next start will call it interrupted'),
    };
    const announce = (snapshot: TopologySnapshot) => deps.announcer.announce(snapshot, 'operation');
    const hung = new HungWrites(deps.writeTimeoutMs, (pf, outcome) => {
      if (outcome.ok) logger.warn({ pf }, 'a kernel write that had hung returned; re-reading the PF');
      else logger.error({ pf, err: outcome.error }, 'a kernel write that had hung failed; re-reading the PF');
      deps.topology.scanNow().then(announce, (err: unknown) => logger.error({ err, pf }, 'could not re-read the host after a hung write returned'));
    });
    this.numVfsDeps = {
      topology: deps.topology,
      locks: this.locks,
      writer: deps.writer,
      hung,
      paths: deps.paths,
      announce,
      desired: deps.desired,
      onDesiredFailure: (err) => logger.error({ err }, 'could not record the desired VF count for the next boot'),
      stableMacsAfterCount: { desired: deps.desired, stableMacs: deps.stableMacs, steps: deps.writer, topology: deps.topology, announce },
      bootFile: async (pf, desired) => {
        try {
          const outcome = await deps.writer.writePersistence(pf.address, desired, 'refresh');
          if (outcome.written || outcome.removed.length > 0) logger.info({ pf: pf.address, path: outcome.path, removed: outcome.removed, initramfs: outcome.initramfs }, "kept vfmap's boot file in step with the desired count");
        } catch (err) {
          logger.error({ err, pf: pf.address }, "could not keep vfmap's boot file in step with the desired count; GET …/persistence shows it as not written");
        }
      },
      now: this.env.now,
    };
    this.persistDeps = { topology: deps.topology, locks: this.locks, steps: deps.writer, desired: deps.desired };
    this.pfWriteDeps = {
      topology: deps.topology,
      locks: this.locks,
      steps: deps.writer,
      hung,
      paths: deps.paths,
      announce,
      desired: deps.desired,
      stableMacs: deps.stableMacs,
      persist: this.persistPf,
      now: this.env.now,
    };
    this.assignmentDeps = { topology: deps.topology, locks: this.locks, hypervisor: deps.hypervisor, announce };
    this.vfConfigDeps = {
      topology: deps.topology,
      locks: this.locks,
      steps: deps.writer,
      announce,
      desiredStore: deps.desired,
      now: this.env.now,
    };
    const kept = {
      topology: deps.topology,
      locks: this.locks,
      writer: deps.writer,
      hung,
      paths: deps.paths,
      announce,
      desiredStore: deps.desired,
      onDesiredFailure: (err: unknown) => logger.error({ err }, 'could not keep the desired state for the next boot'),
      now: this.env.now,
    };
    this.vfDriverDeps = kept;
    this.autoprobeDeps = kept;
  }

  /** Operations running now; the change watcher leaves the host to them meanwhile. */
  get running(): number {
    return this.tracker.running;
  }

  /** Moves whenever an operation starts or finishes. */
  get epoch(): number {
    return this.tracker.epoch;
  }

  /**
   * `ifMatch`: the write's If-Match (precondition.ts), checked in the PF's turn; null: none.
   * `restore`: `vfmap apply-desired` putting back a kept count (see RestoreOptions).
   */
  setNumVfs(pf: string, request: NumVfsRequest, who: AuditWho, ifMatch: IfMatch | null = null, restore: RestoreOptions = {}): Promise<NumVfsResult> {
    const target = address(pf, 'PF');
    return this.run({ kind: 'numvfs', target, who, request: { ...request } }, (record) => changeNumVfs(this.numVfsDeps, record, target, request, ifMatch, restore));
  }

  assign(vf: string, request: AssignmentRequest, who: AuditWho, ifMatch: IfMatch | null = null): Promise<AssignmentResult> {
    const target = address(vf, 'VF');
    return this.run({ kind: 'assign', target, who, request: { ...request } }, (record) => assignVf(this.assignmentDeps, record, target, request, ifMatch));
  }

  release(vf: string, who: AuditWho, ifMatch: IfMatch | null = null): Promise<AssignmentResult> {
    const target = address(vf, 'VF');
    return this.run({ kind: 'release', target, who, request: {} }, (record) => releaseVf(this.assignmentDeps, record, target, ifMatch));
  }

  /** Sets a VF's MAC, VLAN, trust… (vfConfig.ts); `ifMatch` as for setNumVfs. */
  setVfConfig(vf: string, change: VfConfigChange, who: AuditWho, ifMatch: IfMatch | null = null): Promise<VfConfigResult> {
    const target = address(vf, 'VF');
    return this.run({ kind: 'vfconfig', target, who, request: { ...change } }, (record) => setVfConfig(this.vfConfigDeps, record, target, change, ifMatch));
  }

  /** Binds a VF to vfio-pci, or (driver null) gives it back to its host driver. */
  setVfDriver(vf: string, request: VfDriverRequest, who: AuditWho, ifMatch: IfMatch | null = null): Promise<VfDriverResult> {
    const target = address(vf, 'VF');
    return this.run({ kind: 'vfdriver', target, who, request: { ...request } }, (record) => changeVfDriver(this.vfDriverDeps, record, target, request, ifMatch));
  }

  /** Writes a PF's sriov_drivers_autoprobe. */
  setAutoprobe(pf: string, request: AutoprobeRequest, who: AuditWho, ifMatch: IfMatch | null = null): Promise<PfWriteResult> {
    const target = address(pf, 'PF');
    return this.run({ kind: 'autoprobe', target, who, request: { ...request } }, (record) => changeAutoprobe(this.autoprobeDeps, record, target, request, ifMatch));
  }

  /** Turns a PF's stable MACs on (each existing VF gets its own now, new ones when created) or off. */
  setStableMacs(pf: string, request: StableMacsRequest, who: AuditWho, ifMatch: IfMatch | null = null): Promise<PfWriteResult> {
    const target = address(pf, 'PF');
    return this.run({ kind: 'stablemacs', target, who, request: { ...request } }, (record) => setStableMacs(this.pfWriteDeps, record, target, request, ifMatch));
  }

  /** Puts a PF's live state back to what vfmap keeps for it. */
  reapply(pf: string, who: AuditWho, ifMatch: IfMatch | null = null, restore: RestoreOptions = {}): Promise<PfWriteResult> {
    const target = address(pf, 'PF');
    return this.run({ kind: 'reapply', target, who, request: {} }, (record) => reapplyDesired(this.pfWriteDeps, record, target, ifMatch, restore));
  }

  /** Prepares a PF's VFs for VMs in one operation; dryRun answers the plan only, as no operation (nothing is written or audited). */
  prepare(pf: string, request: PrepareRequest, who: AuditWho, ifMatch: IfMatch | null = null): Promise<PrepareResult> {
    const target = address(pf, 'PF');
    if (request.dryRun) return planPrepareVfs(this.pfWriteDeps, target, request);
    return this.run({ kind: 'prepare', target, who, request: { ...request } }, (record) => prepareVfs(this.pfWriteDeps, record, target, request, ifMatch));
  }

  /** Writes what keeps the PF's desired state at boot (or removes vfmap's files when nothing is desired). */
  persist(pf: string, who: AuditWho): Promise<PfWriteResult> {
    const target = address(pf, 'PF');
    return this.run({ kind: 'persist', target, who, request: {} }, (record) => persistOperation(this.persistDeps, record, target));
  }

  /**
   * The persist step of operations that hold the PF's turn already (prepare's and re-apply's
   * `persist(pf)` dep): no lock, no audit entry of its own; answers what it did, in words.
   */
  readonly persistPf = async (pf: string): Promise<string> => {
    const { topology } = await this.persistDeps.topology.get();
    const found = topology.pfs.find((p) => p.address === pf);
    if (!found) throw new BadRequestError(`${pf} is not an SR-IOV PF of this host`);
    return describePersist(pf, await persistPf(this.persistDeps, found)).join(' ');
  };

  private run<T>(spec: OperationSpec, steps: Parameters<typeof runOperation<T>>[3]): Promise<T> {
    return runOperation(this.env, this.tracker, spec, steps);
  }
}

/** A path segment that is not a PCI address names nothing; refused before it becomes an operation. */
function address(value: string, what: 'PF' | 'VF'): PciAddress {
  const parsed = PciAddress.safeParse(value);
  if (!parsed.success) throw new BadRequestError(`"${value}" is not a ${what} address: ${parsed.error.issues[0]?.message ?? 'dddd:bb:dd.f'}`);
  return parsed.data;
}
