import type { PciAddress } from '@vfmap/model';
import { attr, dir, file, link, powerEntries, RO, RW, RW_ROOT, WO, WO_GROUP, type Entry } from './entries';
import type { PciIdsSpec, PcieLinkSpec } from './hostProfile';
import { linkTargets, upToSys } from './sysfsLinks';
import { classText, hex2, hex4, modalias, pciUevent, vfDeviceText } from './sysfsText';

/** Everything that decides the contents of one PCI function's directory, unbound. */
export interface FunctionFacts {
  address: PciAddress;
  devPath: string;
  role: 'pf' | 'vf' | 'endpoint' | 'bridge';
  ids: PciIdsSpec;
  config: Buffer;
  numaNode: number | null;
  localCpus: { mask: string; list: string };
  link: PcieLinkSpec | null;
  aer: boolean;
  /** A root port (aer_rootport_total_err_* files). */
  rootPort: boolean;
  ari: boolean;
  resetMethod: string | null;
  irq: number;
  /** The 13 (17 for bridges) lines of `resource`. */
  resourceLines: string[];
  /** resourceN files: BAR index and whether it is prefetchable (resourceN_wc). */
  resourceFiles: Array<{ index: number; prefetchable: boolean }>;
  rom: boolean;
  sriov: { totalVfs: number; offset: number; stride: number; vfDeviceId: number; autoprobe: boolean; vfTotalMsix: number } | null;
  bridge: { secondary: number; subordinate: number; portServices: string[] } | null;
  onboard: { label: string; acpiIndex: number } | null;
  /** The name of the IOMMU unit (`dmar0`) and the group, when the IOMMU is on. */
  iommu: { unit: string; group: number } | null;
  firmwareNode: string | null;
  /** VFs: their PF's directory name. */
  physfn: PciAddress | null;
  /** Has a PCI Power Management capability (power_state reads D0, else "unknown"). */
  powerManagement: boolean;
  /** Runtime PM bookkeeping, to look lived-in. */
  activeTimeMs: number;
}

/**
 * The entries of a PCI function's directory as Linux 6.1 makes them for an unbound function
 * (drivers/pci/pci-sysfs.c, iov.c, pcie/aspm.c, pcie/aer.c): binding a driver later adds
 * `driver`, msi_irqs/, net/... and rewrites uevent, enable and the DMA masks.
 */
export function functionEntries(f: FunctionFacts): Entry[] {
  const vf = f.role === 'vf';
  const e: Entry[] = [];
  const ro = (name: string, value: string | number) => e.push(attr(name, RO, value));

  if (f.aer) {
    e.push(file('aer_dev_correctable', RO, AER_CORRECTABLE), file('aer_dev_fatal', RO, AER_FATAL), file('aer_dev_nonfatal', RO, AER_NONFATAL));
    if (f.rootPort) for (const kind of ['cor', 'fatal', 'nonfatal']) ro(`aer_rootport_total_err_${kind}`, 0);
  }
  if (f.onboard) {
    ro('acpi_index', f.onboard.acpiIndex);
    ro('label', f.onboard.label);
  }
  ro('ari_enabled', f.ari ? 1 : 0);
  e.push(attr('broken_parity_status', RW, 0));
  ro('class', classText(f.ids.classCode));
  e.push(file('config', RW, f.config));
  ro('consistent_dma_mask_bits', 32);
  if (f.link) {
    ro('current_link_speed', f.link.speed ?? f.link.maxSpeed);
    ro('current_link_width', f.link.width ?? f.link.maxWidth);
  }
  // pci_pm_init() allows D3cold for PCIe endpoints; bridges and root-complex functions read 0.
  e.push(attr('d3cold_allowed', RW, f.link && f.role !== 'bridge' ? 1 : 0));
  ro('device', hex4(f.ids.device));
  ro('dma_mask_bits', 32);
  e.push(attr('driver_override', RW, '(null)'));
  e.push(attr('enable', RW, 0));
  if (f.firmwareNode) e.push(link('firmware_node', linkTargets.firmwareNode(f.devPath, f.firmwareNode)));
  if (f.iommu) {
    e.push(link('iommu', linkTargets.iommu(f.devPath, f.iommu.unit)));
    e.push(link('iommu_group', linkTargets.iommuGroup(f.devPath, f.iommu.group)));
  }
  ro('irq', f.irq);
  e.push(dir('link'));
  if (f.link && f.role !== 'bridge') e.push(attr('link/l0s_aspm', RW, 0), attr('link/l1_aspm', RW, 0));
  ro('local_cpulist', f.localCpus.list);
  ro('local_cpus', f.localCpus.mask);
  if (f.link) {
    ro('max_link_speed', f.link.maxSpeed);
    ro('max_link_width', f.link.maxWidth);
  }
  ro('modalias', modalias({ ...f.ids }));
  e.push(attr('msi_bus', RW, 1));
  e.push(attr('numa_node', RW, f.numaNode ?? -1));
  if (vf) e.push(link('physfn', `../${f.physfn}`));
  // Functions that can signal PME (PCIe ones) have the wakeup attributes; VFs cannot.
  e.push(...powerEntries('', { wakeup: !vf && f.link !== null, activeTime: f.activeTimeMs, usage: 1 }));
  // Without a PM capability the kernel never learns the power state: "unknown".
  ro('power_state', f.powerManagement ? 'D0' : 'unknown');
  if (!vf) {
    e.push(file('remove', WO_GROUP, ''), file('rescan', WO, ''));
  }
  if (f.resetMethod) {
    e.push(file('reset', WO, ''));
    e.push(attr('reset_method', RW, f.resetMethod));
  }
  if (f.bridge) e.push(file('reset_subordinate', WO, ''));
  e.push(file('resource', RO, `${f.resourceLines.join('\n')}\n`));
  for (const r of f.resourceFiles) {
    e.push(file(`resource${r.index}`, RW_ROOT, ''));
    if (r.prefetchable) e.push(file(`resource${r.index}_wc`, RW_ROOT, ''));
  }
  ro('revision', hex2(f.ids.revision));
  if (f.rom) e.push(file('rom', RW_ROOT, ''));
  if (f.bridge) {
    ro('secondary_bus_number', f.bridge.secondary);
    ro('subordinate_bus_number', f.bridge.subordinate);
  }
  if (f.sriov) {
    e.push(attr('sriov_drivers_autoprobe', RW, f.sriov.autoprobe ? 1 : 0));
    e.push(attr('sriov_numvfs', RW, 0));
    ro('sriov_offset', f.sriov.offset);
    ro('sriov_stride', f.sriov.stride);
    ro('sriov_totalvfs', f.sriov.totalVfs);
    ro('sriov_vf_device', vfDeviceText(f.sriov.vfDeviceId));
    ro('sriov_vf_total_msix', f.sriov.vfTotalMsix);
  }
  if (vf) e.push(file('sriov_vf_msix_count', WO, ''));
  e.push(link('subsystem', linkTargets.subsystem(f.devPath)));
  ro('subsystem_device', hex4(f.ids.subsystemDevice));
  ro('subsystem_vendor', hex4(f.ids.subsystemVendor));
  e.push(file('uevent', RW, pciUevent(f.ids, f.address, null)));
  ro('vendor', hex4(f.ids.vendor));
  if (f.bridge) e.push(...portServiceEntries(f.address, f.devPath, f.bridge.portServices));
  return e;
}

/** Port service devices of a PCIe port (`0000:00:02.0:pcie001`: AER, `pcie002`: PME...). */
export function portServiceEntries(address: PciAddress, devPath: string, services: string[]): Entry[] {
  const e: Entry[] = [];
  for (const s of services) {
    const name = `${address}:${s}`;
    e.push(dir(name), file(`${name}/uevent`, RW, ''), link(`${name}/subsystem`, `../${upToSys(devPath)}bus/pci_express`));
    e.push(...powerEntries(`${name}/`, { wakeup: false, activeTime: 0, usage: 0 }));
  }
  return e;
}

const AER_CORRECTABLE = ['RxErr', 'BadTLP', 'BadDLLP', 'Rollover', 'Timeout', 'NonFatalErr', 'CorrIntErr', 'HeaderOF', 'TOTAL_ERR_COR']
  .map((n) => `${n} 0\n`)
  .join('');
const AER_UNCORRECTABLE = [
  'Undefined', 'DLP', 'SDES', 'TLP', 'FCP', 'CmpltTO', 'CmpltAbrt', 'UnxCmplt', 'RxOF', 'MalfTLP', 'ECRC', 'UnsupReq', 'ACSViol',
  'UncorrIntErr', 'BlockedTLP', 'AtomicOpBlocked', 'TLPBlockedErr', 'PoisonTLPBlocked', 'DMWrReqBlocked', 'IDECheck', 'MisIDETLP',
  'PCRC_CHECK', 'TLPXlatBlocked',
];
const AER_FATAL = [...AER_UNCORRECTABLE, 'TOTAL_ERR_FATAL'].map((n) => `${n} 0\n`).join('');
const AER_NONFATAL = [...AER_UNCORRECTABLE, 'TOTAL_ERR_NONFATAL'].map((n) => `${n} 0\n`).join('');
