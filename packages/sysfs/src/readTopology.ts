import { existsSync } from 'node:fs';
import { groupCards, type Topology } from '@vfmap/model';
import { buildFunctions } from './buildFunctions';
import { listPciDevices } from './listPciDevices';
import type { PciFunction } from './pciFunction';
import { type PciIds, loadPciIds } from './pciIds';
import { readDevice } from './readDevice';
import { readHost } from './readHost';
import { groupsFromLinks, listGroupIds, mergeGroups, readGroups } from './readIommuGroups';
import { createScanContext } from './scanContext';
import { sysfsPaths } from './sysfsPaths';

export interface ReadTopologyOptions {
  /** The directory that stands for `/`; the reader reads ROOT/sys, ROOT/proc, ROOT/usr/share. Default `/`. */
  root?: string;
  /** The host id the API uses; defaults to the hostname. */
  hostId?: string;
  /** Vendor/device names; default: loadPciIds of the first of `pciIdsRoots` that has a pci.ids. null: no names. */
  pciIds?: PciIds | null;
  /**
   * Where to look for pci.ids, in order; default `[root]`. A captured tree has no pci.ids of its
   * own, and the agent then names its devices from the machine it runs on (`[root, '/']`).
   */
  pciIdsRoots?: string[];
  /** Injected clock for collectedAt. */
  now?: () => Date;
}

/**
 * Reads the host's PCI and SR-IOV topology from ROOT/sys, synchronously (see ARCHITECTURE.md:
 * fs.promises is ten times slower on thousands of tiny files). Holders and VMs are left empty
 * (hypervisor "none"): the hypervisor adapters annotate the result.
 *
 * It never throws for what it finds: a device that vanishes during the read or cannot be read is
 * left out, an attribute that cannot be read is null, and each of those is in `warnings`.
 */
export function readTopology(options: ReadTopologyOptions = {}): Topology {
  const root = options.root ?? '/';
  const paths = sysfsPaths(root);
  const scan = createScanContext(paths);
  const collectedAt = (options.now ?? (() => new Date()))();
  const pciIds = options.pciIds !== undefined ? options.pciIds : firstPciIds(options.pciIdsRoots ?? [root]);

  const listed = new Set(listPciDevices(scan));
  // Listed right after the devices, so that it names every group of a device listed that still exists.
  const groupIds = listGroupIds(scan);
  const functions = new Map<string, PciFunction>();
  for (const address of listed) {
    const f = readDevice(scan, address);
    if (f) functions.set(address, f);
  }
  const listedGroups = groupIds.ok ? readGroups(scan, groupIds.ids, functions) : [];

  const late: PciFunction[] = [];
  const readLate = (address: string): PciFunction | null => {
    // A listed device that could not be read has its warning already.
    if (listed.has(address)) return null;
    if (!existsSync(paths.pciDevice(address))) {
      scan.warn('vf-missing', `a virtfn link names ${address}, which is not in sys/bus/pci/devices`, paths.pciDevice(address));
      return null;
    }
    // A VF made after sys/bus/pci/devices was listed: read like the others, its group from its link.
    const f = readDevice(scan, address);
    if (f) late.push(f);
    return f;
  };
  const { pfs, devices } = buildFunctions(scan, functions, readLate, pciIds);
  const all = [...functions.values(), ...late];
  const iommuGroups = groupIds.ok ? mergeGroups(listedGroups, all) : groupsFromLinks(scan, all, groupIds.errno);

  return {
    host: readHost(paths, { hostId: options.hostId, iommuEnabled: iommuGroups.length > 0, collectedAt }),
    cards: groupCards(pfs),
    pfs,
    devices,
    iommuGroups,
    vms: [],
    drift: [],
    warnings: scan.warnings,
  };
}

function firstPciIds(roots: string[]): PciIds | null {
  for (const r of roots) {
    const ids = loadPciIds(r);
    if (ids) return ids;
  }
  return null;
}
