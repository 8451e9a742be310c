import type { Warning } from '@vfmap/model';
import type { SysfsPaths } from './sysfsPaths';

/** What every reader of one scan shares: where things are, and the warnings gathered so far. */
export interface ScanContext {
  readonly paths: SysfsPaths;
  readonly warnings: Warning[];
  /** Records a warning; `path` is absolute and is shown relative to the root. */
  warn(code: WarningCode, message: string, path?: string): void;
}

/** The warning codes the reader emits; stable, so that the page and scripts may switch on them. */
export type WarningCode =
  /** A device, attribute or netdev was listed and gone when read: the host changed during the scan. */
  | 'vanished'
  /** A file or directory exists but its read failed (EACCES, EIO, EISDIR...). */
  | 'unreadable'
  /** An attribute every PCI function has (vendor, device, class) is not there. */
  | 'missing-attribute'
  /** An attribute's text is not what the kernel writes. */
  | 'malformed'
  /** Where the kernel keeps a symlink there is something else. */
  | 'not-a-link'
  /** An entry of sys/bus/pci/devices that is not a PCI address. */
  | 'not-a-pci-address'
  /** sys/bus/pci/devices itself is missing: no PCI devices could be read. */
  | 'no-pci-devices'
  /** sys/kernel/iommu_groups is missing while devices have iommu_group links; groups were rebuilt from the links. */
  | 'iommu-groups-missing'
  /** An IOMMU group holds a member that is not a PCI function (it still shares the group). */
  | 'non-pci-group-member'
  /** A VF's physfn link does not name the PF whose virtfnN link lists it. */
  | 'physfn-mismatch'
  /** A device with a physfn link that no PF lists in its virtfnN links. */
  | 'orphan-vf'
  /** A PF's virtfnN link names a device that is not there. */
  | 'vf-missing'
  /** A PF's sriov_numvfs differs from the number of its virtfnN links (VFs being created or destroyed). */
  | 'numvfs-mismatch';

export function createScanContext(paths: SysfsPaths): ScanContext {
  const warnings: Warning[] = [];
  return {
    paths,
    warnings,
    warn(code, message, path) {
      warnings.push(path === undefined ? { code, message } : { code, message, path: paths.relative(path) });
    },
  };
}
