import type { Topology } from '@vfmap/model';
import type { PciIds } from './pciIds';

export interface ReadTopologyOptions {
  /** The directory that stands for `/`; the reader reads ROOT/sys, ROOT/proc, ROOT/usr/share. Default `/`. */
  root?: string;
  /** The host id the API uses; defaults to the hostname. */
  hostId?: string;
  /** Vendor/device names; default: loadPciIds(root) (cached). null: no names. */
  pciIds?: PciIds | null;
  /** Injected clock for collectedAt. */
  now?: () => Date;
}

/**
 * Reads the host's PCI and SR-IOV topology from ROOT/sys, synchronously (see ARCHITECTURE.md:
 * fs.promises is ten times slower on thousands of tiny files). Holders and VMs are left empty
 * (hypervisor "none"): the hypervisor adapters annotate the result.
 */
export function readTopology(_options: ReadTopologyOptions = {}): Topology {
  throw new Error('readTopology: not implemented yet');
}
