import { readTopology } from '@vfmap/sysfs';
import type { Topology } from '@vfmap/model';
import { formatTree } from './formatTree';
import type { ScanConfig } from './scanConfig';
import { pciIdsRootsFor } from './pciIdsRoots';

export type HypervisorsModule = typeof import('@vfmap/hypervisors');

/**
 * `vfmap scan`: one read of a root, as the model's JSON or as a tree for people. The hypervisor
 * adapters (an XML parser, child processes) are loaded only when asked for, by `loadHypervisors`: `import('@vfmap/hypervisors')`, or
 * in the bundled CLI its own dist/hypervisors.mjs (bin.ts), so that the scan's file holds none of them.
 */
export async function scanCommand(config: ScanConfig, loadHypervisors: () => Promise<HypervisorsModule>): Promise<string> {
  let topology: Topology = readTopology({ root: config.root, pciIdsRoots: pciIdsRootsFor(config.root) });
  if (config.hypervisor !== 'none') {
    const { createHypervisor, annotateTopology } = await loadHypervisors();
    const hypervisor = createHypervisor(config.hypervisor, { root: config.root });
    topology = annotateTopology({ ...topology, host: { ...topology.host, hypervisor: hypervisor.kind } }, await hypervisor.snapshot());
  }
  return config.json ? `${JSON.stringify(topology, null, 2)}\n` : formatTree(topology);
}
