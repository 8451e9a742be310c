import type { Check, Topology } from '@vfmap/model';
import type { CheckRun } from './checkInput';
import { capabilityText, readSriovCapability } from './readSriovCapability';

const WHY_OFF =
  'The silicon has the SR-IOV capability, but the kernel made no sriov_totalvfs for it: it does that only when the capability says TotalVFs > 0 and it could give the VFs their BAR space. TotalVFs 0 means SR-IOV is switched off in the firmware (system BIOS or the card\'s own); a non-zero TotalVFs without sriov_totalvfs means the firmware reserved no memory window for the VFs ("not enough MMIO resources for SR-IOV" in dmesg).';
const FIX_OFF = {
  proxmox:
    'In the system firmware setup enable "SR-IOV Support" (and, per slot or per NIC, the card\'s SR-IOV or "Virtualization mode: SR-IOV" in its HII menu); for Mellanox/NVIDIA: mlxconfig -d <pf> set SRIOV_EN=1 NUM_OF_VFS=<n>, then a cold boot. If dmesg says the kernel could not allocate VF BARs, add pci=realloc to the kernel command line (/etc/default/grub or /etc/kernel/cmdline, then update-grub or proxmox-boot-tool refresh) and reboot.',
  debian:
    'Enable SR-IOV in the firmware setup (system and card; mlxconfig -d <pf> set SRIOV_EN=1 NUM_OF_VFS=<n> for Mellanox/NVIDIA), cold boot. If dmesg shows "not enough MMIO resources for SR-IOV", add pci=realloc to GRUB_CMDLINE_LINUX_DEFAULT, update-grub, reboot.',
};
const WHY_NO_DRIVER =
  'The PF has SR-IOV but no driver is bound: the kernel refuses every sriov_numvfs write (ENOENT) until a driver that can enable VFs — the card\'s own, or pci-pf-stub — is bound.';

/**
 * The classes SR-IOV silicon comes in: network (02), NVMe (0108), display (03: vGPU-capable GPUs),
 * processing accelerators (12) and co-processors (0b40). Bridges, USB, SATA... are not read.
 */
const MAY_HAVE_SRIOV = ['02', '0108', '03', '12', '0b40'];
const mayHaveSriov = (pciClass: string) => MAY_HAVE_SRIOV.some((prefix) => pciClass.startsWith(prefix));

/** The devices whose config space this check reads: not PFs in the scan, of a class SR-IOV comes in. */
export const sriovCandidates = (topology: Topology): string[] => topology.devices.filter((d) => mayHaveSriov(d.class)).map((d) => d.address);

/**
 * SR-IOV capable silicon switched off: a device (not a PF in the scan, of a class SR-IOV comes in) whose config space has the
 * SR-IOV extended capability; and a PF with no driver bound. Split, the root helper reads the
 * config spaces (`capabilities`); those still unreadable (an agent not run as root, captures'
 * empty placeholders) become one host-level "unknown".
 */
export const sriovSwitchedOffCheck: CheckRun = ({ files, topology, capabilities = null }) => {
  const out: Check[] = [];
  let unreadable = 0;
  let firstUnreadable: { path: string; text: string } | null = null;
  for (const address of sriovCandidates(topology)) {
    const { path, capability } = readSriovCapability(files, address, capabilities);
    if (capability.kind === 'unreadable') {
      unreadable++;
      firstUnreadable ??= { path, text: capabilityText(capability) };
      continue;
    }
    if (capability.kind === 'absent') continue;
    const totalPath = files.paths.pciDeviceFile(address, 'sriov_totalvfs');
    out.push({
      id: 'sriov-switched-off',
      scope: 'pf',
      target: address,
      status: 'fail',
      title:
        capability.totalVfs === 0
          ? `${address} can do SR-IOV but TotalVFs is 0: switched off in firmware`
          : `${address} can do SR-IOV (TotalVFs ${capability.totalVfs}) but the kernel did not enable it`,
      evidence: [files.evidence(path, capabilityText(capability)), files.evidence(totalPath, files.text(totalPath))],
      why: WHY_OFF,
      fix: FIX_OFF,
    });
  }
  if (unreadable > 0 && firstUnreadable !== null) {
    out.unshift({
      id: 'sriov-switched-off',
      scope: 'host',
      target: null,
      status: 'unknown',
      title: `The SR-IOV capability of ${unreadable} device${unreadable === 1 ? '' : 's'} without sriov_totalvfs could not be read`,
      evidence: [files.evidence(firstUnreadable.path, firstUnreadable.text)],
      why: 'Whether a device that shows no SR-IOV has it switched off in firmware is in its extended config space (from 0x100), which the kernel shows only to root; this agent read it without root (not started as root, or a capture\'s placeholder) and got at most the first 64 bytes.',
      fix: { proxmox: 'Check by hand, as root: lspci -vvv -s <device> | grep -A3 "Single Root I/O Virtualization"', debian: 'As root: lspci -vvv -s <device> | grep -A3 "Single Root I/O Virtualization"' },
    });
  }
  for (const pf of topology.pfs) {
    if (pf.driver !== null) continue;
    out.push({
      id: 'sriov-switched-off',
      scope: 'pf',
      target: pf.address,
      status: pf.numVfs > 0 ? 'warn' : 'fail',
      title: `${pf.address} has no driver bound: its VF count cannot be changed`,
      evidence: [files.evidence(files.paths.pciDeviceFile(pf.address, 'driver'), null), files.evidence(files.paths.pciDeviceFile(pf.address, 'sriov_numvfs'), String(pf.numVfs))],
      why: WHY_NO_DRIVER,
      fix: {
        proxmox: `Bind its driver: echo ${pf.address} > /sys/bus/pci/drivers_probe (or modprobe the card's driver); to keep it for VFs only: echo ${pf.vendorId} ${pf.deviceId} > /sys/bus/pci/drivers/pci-pf-stub/new_id. Check that no hostpci entry passes the whole PF to a VM.`,
        debian: `echo ${pf.address} > /sys/bus/pci/drivers_probe, or modprobe the card's driver; pci-pf-stub for a PF kept only for its VFs.`,
      },
    });
  }
  return out;
};
