import type { Check } from '@vfmap/model';
import type { CheckRun } from './checkInput';
import { hasOption, iommuParams } from './kernelCmdline';

const WHY_OFF =
  'Without an IOMMU the kernel makes no IOMMU groups, vfio-pci has nothing to bind a VF to, and no VF can be passed to a VM: a VM would reach all of host memory by DMA.';
const FIX_ON = {
  proxmox:
    'Enable VT-d / AMD-Vi (IOMMU) in the firmware setup. On Intel add intel_iommu=on to the kernel command line (kernels before 6.8 leave it off): GRUB: GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub; systemd-boot (ZFS root): /etc/kernel/cmdline, then proxmox-boot-tool refresh. Reboot. AMD hosts have it on by default.',
  debian:
    'Enable VT-d / AMD-Vi in the firmware setup; on Intel add intel_iommu=on to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, run update-grub and reboot. Check with: ls /sys/kernel/iommu_groups.',
};

/**
 * IOMMU on, off or passthrough-only: the IOMMU units the kernel brought up (/sys/class/iommu),
 * the groups it made (/sys/kernel/iommu_groups, which exists whenever the kernel has IOMMU
 * support and stays empty when it is off) and the switches on /proc/cmdline.
 */
export const iommuCheck: CheckRun = ({ files, topology }) => {
  const { paths } = files;
  const cmdline = files.text(paths.cmdline);
  const units = files.names(paths.classIommu);
  const groups = files.names(paths.iommuGroups);
  const params = iommuParams(cmdline ?? '');
  const groupCount = groups?.length ?? 0;
  // A capture may lack the groups directory but keep each device's iommu_group link: the scan took
  // the groups from those.
  const scannedGroups = topology.iommuGroups.length;
  const evidence = [
    files.evidence(paths.classIommu, units === null ? null : units.length === 0 ? '(empty)' : units.join(' ')),
    files.evidence(paths.iommuGroups, groups === null ? null : `${groupCount} groups`),
    files.evidence(paths.cmdline, cmdline),
  ];
  const check = (status: Check['status'], title: string, why: string, fix = { proxmox: '', debian: '' }): Check => ({
    id: 'iommu',
    scope: 'host',
    target: null,
    status,
    title,
    evidence,
    why,
    fix,
  });

  if (groupCount === 0 && scannedGroups === 0) {
    if (groups === null && units === null) {
      return [check('unknown', 'IOMMU state unknown: neither /sys/kernel/iommu_groups nor /sys/class/iommu is there', 'A kernel built with IOMMU support always has /sys/kernel/iommu_groups; without it this is a partial capture or a kernel without that support, and nothing says whether VFs can be passed through.', FIX_ON)];
    }
    const offBy = params.intel !== null && hasOption(params.intel, 'off') ? 'intel_iommu=off' : params.amd === 'off' ? 'amd_iommu=off' : params.iommu === 'off' ? 'iommu=off' : null;
    const ptOnly = params.iommu === 'pt' && params.intel === null && params.amd === null;
    const title = offBy
      ? `IOMMU off: ${offBy} on the kernel command line`
      : ptOnly
        ? 'IOMMU off: iommu=pt is set but intel_iommu=on is not, so no IOMMU groups were made'
        : 'IOMMU off: no IOMMU groups';
    return [check('fail', title, WHY_OFF, FIX_ON)];
  }
  const identity = hasOption(params.iommu, 'pt');
  if (identity) {
    return [
      check(
        'ok',
        `IOMMU on in passthrough mode (iommu=pt): ${groupCount || scannedGroups} groups`,
        'iommu=pt keeps host drivers on identity mappings (no translation cost) while devices given to vfio-pci still get their own translated domain: VFs can be passed through.',
      ),
    ];
  }
  return [check('ok', `IOMMU on: ${groupCount || scannedGroups} groups`, 'The kernel made IOMMU groups: a VF alone in its group can be bound to vfio-pci and passed to a VM.')];
};
