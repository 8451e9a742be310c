import type { Check } from '@vfmap/model';
import type { CheckRun } from './checkInput';

/** More VFs than this on host drivers, with autoprobe on, is clutter rather than a choice. */
export const HOST_DRIVER_VF_LIMIT = 8;
/** Drivers that hold a VF for a guest or keep it quiet: not host use. */
const NOT_HOST = new Set(['vfio-pci', 'pci-pf-stub']);

/**
 * Many VFs bound to host drivers with sriov_drivers_autoprobe on: every new VF gets a host driver
 * and (for NICs) a host interface that udev renames, NetworkManager or DHCP clients may touch,
 * and that must be unbound again before the VF goes to a VM.
 */
export const hostDriverVfsCheck: CheckRun = ({ files, topology }) => {
  const out: Check[] = [];
  for (const pf of topology.pfs) {
    if (pf.driversAutoprobe !== true) continue;
    const onHost = pf.vfs.filter((vf) => vf.driver !== null && !NOT_HOST.has(vf.driver) && vf.holder === null);
    if (onHost.length <= HOST_DRIVER_VF_LIMIT) continue;
    const drivers = [...new Set(onHost.map((vf) => vf.driver!))].join(', ');
    const autoprobe = files.paths.pciDeviceFile(pf.address, 'sriov_drivers_autoprobe');
    out.push({
      id: 'host-driver-vfs',
      scope: 'pf',
      target: pf.address,
      status: 'warn',
      title: `${onHost.length} of ${pf.vfs.length} VFs of ${pf.address} are on host drivers (${drivers}) with autoprobe on`,
      evidence: [
        files.evidence(autoprobe, '1'),
        ...onHost.slice(0, 3).map((vf) => files.evidence(files.paths.pciDeviceFile(vf.address, 'driver'), vf.driver)),
      ],
      why: 'With sriov_drivers_autoprobe 1 every VF created gets the host\'s VF driver: a host interface per VF (renamed by udev, seen by NetworkManager, DHCP and monitoring), memory and interrupts on the host, and an unbind before each VF can go to a VM. VFs meant for VMs are better created unbound.',
      fix: {
        proxmox: `Set autoprobe off before creating the VFs — in vfmap, the PF's autoprobe setting (kept across reboots by its persistence), or: echo 0 > /sys/bus/pci/devices/${pf.address}/sriov_drivers_autoprobe before writing sriov_numvfs. Proxmox binds a VF to vfio-pci itself when a VM starts.`,
        debian: `echo 0 > /sys/bus/pci/devices/${pf.address}/sriov_drivers_autoprobe before writing sriov_numvfs (in the same unit or udev rule that creates them); libvirt's managed='yes' hostdev binds vfio-pci at VM start.`,
      },
    });
  }
  return out;
};
