/** The IOMMU switches of a kernel command line, as the kernel parses them (last one wins). */
export interface IommuParams {
  /** `intel_iommu=` (on, off, sm_on...), null when not given. */
  intel: string | null;
  /** `amd_iommu=` (off, force_isolation, pgtbl_v2...), null when not given. */
  amd: string | null;
  /** `iommu=` (pt, nopt, off, force...), null when not given. */
  iommu: string | null;
}

export function iommuParams(cmdline: string): IommuParams {
  const out: IommuParams = { intel: null, amd: null, iommu: null };
  for (const word of cmdline.trim().split(/\s+/)) {
    const eq = word.indexOf('=');
    if (eq < 0) continue;
    const key = word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (key === 'intel_iommu') out.intel = value;
    else if (key === 'amd_iommu') out.amd = value;
    else if (key === 'iommu') out.iommu = value;
  }
  return out;
}

/** Whether a comma-separated option value holds `option` (`intel_iommu=on,sm_on`). */
export function hasOption(value: string | null, option: string): boolean {
  return value !== null && value.split(',').includes(option);
}
