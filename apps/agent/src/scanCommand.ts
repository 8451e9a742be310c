import { readTopology } from '@vfmap/sysfs';
import type { Topology } from '@vfmap/model';
import { formatTree } from './formatTree';
import type { ScanConfig } from './scanConfig';
import { pciIdsRootsFor } from './pciIdsRoots';

/** `vfmap scan`: one read of a root, as the model's JSON or as a tree for people. */
export async function scanCommand(config: ScanConfig): Promise<string> {
  let topology: Topology = readTopology({ root: config.root, pciIdsRoots: pciIdsRootsFor(config.root) });
  if (config.hypervisor !== 'none') {
    // Loaded only when asked for: the adapters bring an XML parser and child processes that a
    // plain scan has no use for (the scan's start-up is most of its run time).
    const { createHypervisor, annotateTopology } = await import('@vfmap/hypervisors');
    const hypervisor = createHypervisor(config.hypervisor, { root: config.root });
    topology = annotateTopology({ ...topology, host: { ...topology.host, hypervisor: hypervisor.kind } }, await hypervisor.snapshot());
  }
  return config.json ? `${JSON.stringify(topology, null, 2)}\n` : formatTree(topology);
}
