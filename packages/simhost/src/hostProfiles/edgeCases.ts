import { intel82576WithoutAcs } from '../adapters/intel82576';
import { ich9, q35HostBridge, q35RootPort, qemuNvme } from '../adapters/qemuQ35';
import type { HostProfile, PciFunctionSpec } from '../hostProfile';
import { vfAddressOf } from '@vfmap/model';

const ACPI_PCI0 = 'LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00';
const NVME0 = '0000:01:00.0';
const NVME1 = '0000:02:00.0';
const IGB = '0000:03:00.0';

/** QEMU's NVMe PF with `numVfs` VFs enabled at boot. */
function nvmeWithVfs(o: Parameters<typeof qemuNvme>[0], numVfs: number): PciFunctionSpec {
  const pf = qemuNvme(o);
  return { ...pf, sriov: { ...pf.sriov!, numVfs } };
}


/**
 * A KVM guest (q35) with what a write must refuse for reasons of the host, not of the request.
 * Its two NVMe PFs lost their driver after boot: 4 VFs were enabled on the first and one given to
 * a VM, then nvme was unbound from both. nvme's remove() leaves SR-IOV enabled ("driver left
 * SR-IOV enabled after remove"), so the first PF keeps its VFs with no driver to change their
 * count; the kernel refuses every sriov_numvfs write on either PF with ENOENT (probe.txt). An
 * 82576 without ACS has 3 VFs in its own IOMMU group, so none of them can go to a VM alone. A QEMU
 * started by hand holds the first PF's second VF, which no VM config names.
 */
export const edgeCases: HostProfile = {
  name: 'edge-cases',
  description: 'NVMe PFs with no driver (one with 4 VFs left behind, one held by a VM), an 82576 whose VFs share its IOMMU group',
  hostname: 'edge-guest',
  osRelease: '6.1.0-28-amd64',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/vda1 ro intel_iommu=on',
  cpus: { count: 4, nodes: [{ id: 0, cpulist: '0-3' }] },
  iommu: { enabled: true, groupType: 'DMA-FQ' },
  rootBuses: [
    {
      domain: 0,
      bus: 0,
      numaNode: null,
      iommuUnit: 'dmar0',
      functions: [
        q35HostBridge(),
        q35RootPort({ device: 2, secondaryBus: 1, acpi: 0x01, functions: [nvmeWithVfs({ irq: 22, firmwareNode: `${ACPI_PCI0}/device:01/device:02` }, 4)] }),
        q35RootPort({ device: 3, secondaryBus: 2, acpi: 0x03, irq: 23, functions: [qemuNvme({ irq: 23, firmwareNode: `${ACPI_PCI0}/device:03/device:04` })] }),
        q35RootPort({ device: 4, secondaryBus: 3, acpi: 0x05, irq: 20, functions: [intel82576WithoutAcs({ ifname: 'enp3s0', mac: '52:54:00:12:35:03', numVfs: 3 })] }),
        ...ich9(),
      ],
    },
  ],
  vms: [
    { id: '200', name: 'storage-vm', state: 'running', numaNode: null, hostdevs: [{ address: vfAddressOf(NVME0, 1, 1, 0)!, via: 'hostpci0' }] },
    { id: '201', name: 'backup-vm', state: 'stopped', numaNode: null, hostdevs: [{ address: vfAddressOf(IGB, 128, 2, 0)!, via: 'hostpci0' }] },
  ],
  unboundAfterBoot: [NVME0, NVME1],
  // A QEMU started by hand with the NVMe PF's second VF: no VM config names it (held-not-configured).
  strayQemus: [{ pid: 5150, name: 'scratch-nvme', hosts: [vfAddressOf(NVME0, 1, 1, 1)!] }],
  // backup-vm's last start left its reservation behind: its process is gone (stale-reservation).
  staleReservations: [{ address: vfAddressOf(IGB, 128, 2, 0)!, vmId: '201', pid: 4999 }],
};
