import { c620Pch } from '../adapters/c620Pch';
import { intelX520DA2 } from '../adapters/intel82599';
import { intelX710DA2 } from '../adapters/intelX710';
import { skxHostBridge, skxRootPort } from '../adapters/skylakeSp';
import type { HostProfile, PciFunctionSpec } from '../hostProfile';

/** A port of a card whose SR-IOV the firmware switched off: the capability stays, TotalVFs reads 0, the kernel makes no sriov_* files. */
function sriovSwitchedOff(port: PciFunctionSpec): PciFunctionSpec {
  const { sriov, ...rest } = port;
  if (!sriov) return port;
  return { ...rest, sriovOffInFirmware: { totalVfs: 0, offset: sriov.offset, stride: sriov.stride, vfDeviceId: sriov.vfDeviceId } };
}

/**
 * What stops SR-IOV, all on one host (the checks' demo): booted without intel_iommu=on (iommu=pt
 * alone makes no groups on Intel), vfio-pci not loaded, the X710's port 0 with 4 host-used VFs is
 * the port of vmbr0, which holds the default route, and an X520 whose SR-IOV is switched off in
 * the firmware (the capability says TotalVFs 0).
 */
export const sriovBlocked: HostProfile = {
  name: 'sriov-blocked',
  description: 'what stops SR-IOV: IOMMU off (iommu=pt alone), vmbr0 on an X710 PF, an X520 with SR-IOV off in firmware',
  hostname: 'pve-blocked-01',
  osRelease: '6.8.12-4-pve',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet iommu=pt',
  cpus: { count: 16, nodes: [{ id: 0, cpulist: '0-15' }] },
  iommu: { enabled: false, groupType: 'DMA' },
  network: { defaultRouteVia: 'vmbr0', gateway: '192.0.2.1', subnet: '192.0.2.0/24', bridge: { name: 'vmbr0', ports: ['ens1f0'] } },
  rootBuses: [
    { domain: 0, bus: 0, numaNode: 0, iommuUnit: 'dmar1', functions: [skxHostBridge(), ...c620Pch({ i210Mac: 'ac:1f:6b:77:40:02' })] },
    {
      domain: 0,
      bus: 0x17,
      numaNode: 0,
      iommuUnit: 'dmar0',
      functions: [
        skxRootPort({
          device: 0,
          port: 'A',
          width: 8,
          bridge: { secondaryBus: 0x18, functions: intelX710DA2({ slot: '1', ifname: 'ens1', mac: '3c:fd:fe:10:40:30', numVfs: [4, 0] }) },
        }),
        skxRootPort({
          device: 2,
          port: 'C',
          width: 8,
          bridge: {
            secondaryBus: 0x19,
            functions: intelX520DA2({ slot: '2', ifname: 'ens2', mac: '90:e2:ba:8c:40:60', numVfs: [0, 0], sharedGroup: 'x520' }).map(sriovSwitchedOff),
          },
        }),
      ],
    },
  ],
  vms: [{ id: '401', name: 'router-01', state: 'stopped', numaNode: 0, hostdevs: [] }],
};
