import { createHypervisor, annotateTopology } from '@vfmap/hypervisors';
import { readTopology } from '@vfmap/sysfs';
import type { Topology } from '@vfmap/model';
import type { ScanConfig } from './config';
import { formatTree } from './formatTree';
import { pciIdsRootsFor } from './scanner';

/** `vfmap scan`: one read of a root, as the model's JSON or as a tree for people. */
export async function scanCommand(config: ScanConfig): Promise<string> {
  let topology: Topology = readTopology({ root: config.root, pciIdsRoots: pciIdsRootsFor(config.root) });
  if (config.hypervisor !== 'none') {
    const hypervisor = createHypervisor(config.hypervisor, { root: config.root });
    topology = annotateTopology({ ...topology, host: { ...topology.host, hypervisor: hypervisor.kind } }, await hypervisor.snapshot());
  }
  return config.json ? `${JSON.stringify(topology, null, 2)}\n` : formatTree(topology);
}
