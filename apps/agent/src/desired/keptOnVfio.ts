import type { Topology } from '@vfmap/model';
import type { Logger } from '../logger';
import type { DesiredStore } from './desiredStore';

/**
 * The VFs of `topology` the desired state keeps on vfio-pci: bound there on purpose (Prepare, the
 * VF's driver switch), so not a leak. A desired file that cannot be read keeps none — the drift
 * findings then may call such a VF a leak, which the log explains.
 */
export async function keptOnVfio(desired: DesiredStore, topology: Topology, logger?: Logger): Promise<ReadonlySet<string>> {
  let kept;
  try {
    kept = await desired.read();
  } catch (err) {
    logger?.warn({ err }, 'cannot read the desired state: VFs kept on vfio-pci on purpose may show as drift');
    return new Set();
  }
  const out = new Set<string>();
  for (const pf of topology.pfs) {
    const entry = kept[pf.address];
    if (!entry || entry.vendorId !== pf.vendorId || entry.deviceId !== pf.deviceId) continue;
    const vfio = new Set(entry.vfs.filter((v) => v.driver === 'vfio-pci').map((v) => v.index));
    for (const vf of pf.vfs) if (vfio.has(vf.index)) out.add(vf.address);
  }
  return out;
}
