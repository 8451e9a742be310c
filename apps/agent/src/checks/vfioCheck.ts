import type { CheckRun } from './checkInput';

/**
 * vfio-pci present: /sys/module/vfio_pci is there when the module is loaded or built in, and
 * /sys/bus/pci/drivers/vfio-pci once it registered its driver. Without it a VF cannot be handed
 * to a VM (Proxmox loads it at VM start; libvirt's managed hostdev too — but both fail when the
 * module is missing from the kernel).
 */
export const vfioCheck: CheckRun = ({ files }) => {
  const { paths } = files;
  const modulePresent = files.exists(paths.module('vfio_pci'));
  const vfioPresent = files.exists(paths.module('vfio'));
  const driverPresent = files.exists(paths.pciDriver('vfio-pci'));
  const evidence = [
    files.evidence(paths.module('vfio_pci'), modulePresent ? 'present' : null),
    files.evidence(paths.module('vfio'), vfioPresent ? 'present' : null),
    files.evidence(paths.pciDriver('vfio-pci'), driverPresent ? 'registered' : null),
  ];
  const base = { id: 'vfio-modules', scope: 'host' as const, target: null, evidence };
  if (!files.exists(paths.modules)) {
    return [{ ...base, evidence: [files.evidence(paths.modules, null)], status: 'unknown', title: 'Whether vfio-pci is loaded is unknown: /sys/module is not there', why: 'A partial capture: the loaded modules were not kept.', fix: { proxmox: '', debian: '' } }];
  }
  if (modulePresent || driverPresent) {
    return [{ ...base, status: 'ok', title: 'vfio-pci is loaded', why: 'VFs can be bound to vfio-pci and passed to VMs.', fix: { proxmox: '', debian: '' } }];
  }
  return [
    {
      ...base,
      status: 'warn',
      title: 'vfio-pci is not loaded',
      why: 'A VF is passed to a VM through vfio-pci. Proxmox and libvirt load it when a VM starts with a device; loading it at boot finds a missing module before a VM start fails, and lets vfio-pci claim devices early.',
      fix: {
        proxmox: 'printf "vfio\\nvfio_iommu_type1\\nvfio_pci\\n" >> /etc/modules; update-initramfs -u -k all; modprobe vfio_pci',
        debian: 'printf "vfio\\nvfio_iommu_type1\\nvfio_pci\\n" >> /etc/modules; update-initramfs -u; modprobe vfio_pci',
      },
    },
  ];
};
