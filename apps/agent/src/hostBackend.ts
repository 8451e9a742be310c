import {
  summarizeTopology,
  type AssignmentRequest,
  type AssignmentResult,
  type AuditPage,
  type AuditWho,
  type AutoprobeRequest,
  type HostChecks,
  type HostPersistence,
  type HostSummary,
  type HypervisorKind,
  type NumVfsRequest,
  type NumVfsResult,
  type PfWriteResult,
  type PrepareRequest,
  type PrepareResult,
  type SriovCapability,
  type StableMacsRequest,
  type Topology,
  type VfConfigChange,
  type VfConfigResult,
  type VfDriverRequest,
  type VfDriverResult,
} from '@vfmap/model';
import { VERSION } from './version';
import type { AuditLog } from './audit/auditLog';
import type { DesiredStore } from './desired/desiredStore';
import { readHostPersistence, type PersistenceContext } from './persistence/pfPersistence';
import { capabilityTargets, readHostChecks } from './checks/hostChecks';
import type { EventBus, EventListener } from './events/eventBus';
import type { PeerHost } from './fleet/peerHost';
import type { Operations } from './operations/operations';
import type { IfMatch } from './operations/precondition';
import type { TopologyService, TopologySnapshot } from './topologyService';

/**
 * One host as the API serves it: this agent's own (LocalHost), or a peer's that it forwards to
 * (fleet/peerHost.ts). Routes switch on `kind`: a peer's writes are passed on as they came.
 */
export type HostBackend = LocalHost | PeerHost;

/** The host this agent runs on. */
export interface LocalHost {
  readonly kind: 'local';
  readonly id: string;
  readonly hypervisor: HypervisorKind;
  summary(): Promise<HostSummary>;
  topology(): Promise<TopologySnapshot>;
  /** `ifMatch`: the request's If-Match, checked in the PF's turn (operations/precondition.ts). */
  setNumVfs(pf: string, request: NumVfsRequest, who: AuditWho, ifMatch: IfMatch | null): Promise<NumVfsResult>;
  assign(vf: string, request: AssignmentRequest, who: AuditWho, ifMatch: IfMatch | null): Promise<AssignmentResult>;
  release(vf: string, who: AuditWho, ifMatch: IfMatch | null): Promise<AssignmentResult>;
  setVfConfig(vf: string, change: VfConfigChange, who: AuditWho, ifMatch: IfMatch | null): Promise<VfConfigResult>;
  setVfDriver(vf: string, request: VfDriverRequest, who: AuditWho, ifMatch: IfMatch | null): Promise<VfDriverResult>;
  setAutoprobe(pf: string, request: AutoprobeRequest, who: AuditWho, ifMatch: IfMatch | null): Promise<PfWriteResult>;
  setStableMacs(pf: string, request: StableMacsRequest, who: AuditWho, ifMatch: IfMatch | null): Promise<PfWriteResult>;
  reapply(pf: string, who: AuditWho, ifMatch: IfMatch | null): Promise<PfWriteResult>;
  /** dryRun: the plan only, nothing written. */
  prepare(pf: string, request: PrepareRequest, who: AuditWho, ifMatch: IfMatch | null): Promise<PrepareResult>;
  /** The latest audit entries, newest first. */
  audit(limit: number): Promise<AuditPage>;
  /** Per PF: desired vs live, what keeps it at boot, the other owners (GET …/persistence). */
  persistence(): Promise<HostPersistence>;
  /** What stops SR-IOV on the host, with evidence and fixes (GET …/checks). */
  checks(): Promise<HostChecks>;
  /** Writes what keeps the PF's desired state at boot (POST …/pfs/:pf/persist). */
  persist(pf: string, who: AuditWho): Promise<PfWriteResult>;
  /** Events of this host until the returned function is called. */
  subscribe(listener: EventListener): () => void;
  /** The events after Last-Event-ID, or null when they are no longer kept. */
  replay(lastId: string): ReturnType<EventBus['since']>;
  /** The last topology read, without reading the host again (the fleet search). */
  keptTopology(): Promise<Topology>;
}

export interface LocalHostParts {
  readOnly: boolean;
  service: TopologyService;
  operations: Operations;
  auditLog: AuditLog;
  bus: EventBus;
  desired: DesiredStore;
  /** The host's `/` and its systemd version, for the persistence view. */
  persistence: PersistenceContext;
  /**
   * Reads the config spaces the checks need past their first 64 bytes (split: the root helper's
   * sriovCapabilities); none: the checks read them from the root themselves.
   */
  sriovCapabilities?: ((addresses: readonly string[]) => Promise<Array<{ address: string; capability: SriovCapability }>>) | null;
}

export function localHost(id: string, { readOnly, service, operations, auditLog, bus, desired, persistence, sriovCapabilities = null }: LocalHostParts): LocalHost {
  return {
    kind: 'local',
    id,
    hypervisor: service.hypervisorKind,
    async summary() {
      // The list names the host; it need not pay for a fresh fingerprint of 2000 VFs, which the
      // topology request that follows it pays anyway.
      const { topology } = await service.latest();
      return {
        id,
        hostname: topology.host.hostname,
        hypervisor: topology.host.hypervisor,
        url: `/api/v1/hosts/${encodeURIComponent(id)}/topology`,
        readOnly,
        local: true,
        status: 'ok',
        // This agent is the host: it is as fresh as its last scan.
        lastSeen: topology.host.collectedAt,
        ageSeconds: 0,
        version: VERSION,
        ...summarizeTopology(topology),
        problem: null,
        source: 'local',
      };
    },
    topology: () => service.get(),
    setNumVfs: (pf, request, who, ifMatch) => operations.setNumVfs(pf, request, who, ifMatch),
    assign: (vf, request, who, ifMatch) => operations.assign(vf, request, who, ifMatch),
    release: (vf, who, ifMatch) => operations.release(vf, who, ifMatch),
    setVfConfig: (vf, change, who, ifMatch) => operations.setVfConfig(vf, change, who, ifMatch),
    setVfDriver: (vf, request, who, ifMatch) => operations.setVfDriver(vf, request, who, ifMatch),
    setAutoprobe: (pf, request, who, ifMatch) => operations.setAutoprobe(pf, request, who, ifMatch),
    setStableMacs: (pf, request, who, ifMatch) => operations.setStableMacs(pf, request, who, ifMatch),
    reapply: (pf, who, ifMatch) => operations.reapply(pf, who, ifMatch),
    prepare: (pf, request, who, ifMatch) => operations.prepare(pf, request, who, ifMatch),
    audit: (limit) => auditLog.recent(limit),
    async persistence() {
      const { topology } = await service.get();
      return readHostPersistence(persistence, id, topology, await desired.read());
    },
    async checks() {
      // Checks read only what the scan lacks (cmdline, routes, config space), from the same root.
      const { topology } = await service.get();
      const kept = await readHostPersistence(persistence, id, topology, await desired.read());
      const targets = capabilityTargets(topology);
      const known = sriovCapabilities && targets.length > 0 ? new Map((await sriovCapabilities(targets)).map((c) => [c.address, c.capability])) : null;
      return readHostChecks(persistence.root, id, topology, kept, known);
    },
    persist: (pf, who) => operations.persist(pf, who),
    subscribe: (listener) => bus.subscribe(listener),
    replay: (lastId) => bus.since(lastId),
    keptTopology: async () => (await service.latest()).topology,
  };
}
