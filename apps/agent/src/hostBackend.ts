import { summarizeTopology, type AssignmentRequest, type AssignmentResult, type AuditPage, type AuditWho, type HostSummary, type HypervisorKind, type NumVfsRequest, type NumVfsResult } from '@vfmap/model';
import { VERSION } from './version';
import type { AuditLog } from './audit/auditLog';
import type { EventBus, EventListener } from './events/eventBus';
import type { Operations } from './operations/operations';
import type { TopologyService, TopologySnapshot } from './topologyService';

/**
 * One host as the API serves it. An agent has one (itself); a hub would hold one per agent it
 * forwards to. Routes see only this interface.
 */
export interface HostBackend {
  readonly id: string;
  readonly hypervisor: HypervisorKind;
  summary(): Promise<HostSummary>;
  topology(): Promise<TopologySnapshot>;
  setNumVfs(pf: string, request: NumVfsRequest, who: AuditWho): Promise<NumVfsResult>;
  assign(vf: string, request: AssignmentRequest, who: AuditWho): Promise<AssignmentResult>;
  release(vf: string, who: AuditWho): Promise<AssignmentResult>;
  /** The latest audit entries, newest first. */
  audit(limit: number): Promise<AuditPage>;
  /** Events of this host until the returned function is called. */
  subscribe(listener: EventListener): () => void;
}

export interface LocalHostParts {
  readOnly: boolean;
  service: TopologyService;
  operations: Operations;
  auditLog: AuditLog;
  bus: EventBus;
}

export function localHost(id: string, { readOnly, service, operations, auditLog, bus }: LocalHostParts): HostBackend {
  return {
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
    setNumVfs: (pf, request, who) => operations.setNumVfs(pf, request, who),
    assign: (vf, request, who) => operations.assign(vf, request, who),
    release: (vf, who) => operations.release(vf, who),
    audit: (limit) => auditLog.recent(limit),
    subscribe: (listener) => bus.subscribe(listener),
  };
}
