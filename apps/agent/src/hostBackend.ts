import type { HostSummary, HypervisorKind } from '@vfmap/model';
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
}

export function localHost(id: string, service: TopologyService): HostBackend {
  return {
    id,
    hypervisor: service.hypervisorKind,
    async summary() {
      const { topology } = await service.get();
      return {
        id,
        hostname: topology.host.hostname,
        hypervisor: topology.host.hypervisor,
        url: `/api/v1/hosts/${encodeURIComponent(id)}/topology`,
      };
    },
    topology: () => service.get(),
  };
}
