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
 *
 * With a hypervisor, the holders are the agent's (topologyService.ts): the VM configs', then what
 * running QEMU processes hold (readRunningQemus over the root, applyRunningHolders), and the drift
 * findings between the two (findDrift). The scan reads no vfmap state directory, so a VF that vfmap
 * keeps on vfio-pci on purpose (its desired state) with nothing holding it shows as
 * vfio-bound-without-holder here, and not in the agent. Without one (`none`, the default), sysfs
 * alone: the fast path, which loads neither the adapters nor the process reader.
 */
export async function scanCommand(config: ScanConfig, loadHypervisors: () => Promise<HypervisorsModule>): Promise<string> {
  let topology: Topology = readTopology({ root: config.root, pciIdsRoots: pciIdsRootsFor(config.root) });
  if (config.hypervisor !== 'none') {
    const { createHypervisor, annotateTopology, readRunningQemus, applyRunningHolders, findDrift } = await loadHypervisors();
    const hypervisor = createHypervisor(config.hypervisor, { root: config.root });
    const [snapshot, running] = await Promise.all([hypervisor.snapshot(), readRunningQemus(config.root)]);
    const annotated = annotateTopology({ ...topology, host: { ...topology.host, hypervisor: hypervisor.kind } }, snapshot);
    topology = { ...applyRunningHolders(annotated, running), drift: findDrift({ configured: annotated, snapshot, running }) };
  }
  return config.json ? `${JSON.stringify(topology, null, 2)}\n` : formatTree(topology);
}
