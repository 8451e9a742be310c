import type { PciFunctionSpec } from '../hostProfile';
import { MB, nicPort, pcieLink, portMac, type NicModel } from './nicPort';

/**
 * Mellanox (NVIDIA) ConnectX-6 Dx MT2892 (15b3:101d), driver mlx5_core for the PFs and the VFs
 * (15b3:101e, "ConnectX Family mlx5Gen Virtual Function"). TotalVFs is the firmware's
 * NUM_OF_VFS (16 here); lspci of port 0 reads "Total VFs: 16 ... VF offset: 2, stride: 1, Device
 * ID: 101e", and port 1's VFs follow (offset 17). mlx5 reports phys_port_name "p0"/"p1", so udev
 * names the ports ens<slot>f<n>np<n>.
 */
export const CX6_DX: NicModel = {
  ids: { vendor: 0x15b3, device: 0x101d, subsystemVendor: 0x15b3, subsystemDevice: 0x0016, classCode: 0x020000, revision: 0x00 },
  driver: 'mlx5_core',
  bars: [{ index: 0, size: 32 * MB, kind: 'mem64pref' }],
  romSize: 1 * MB,
  link: pcieLink(4, 16),
  speedMbps: 100000,
  irq: 50,
  msiVectors: 8,
  sriov: {
    totalVfs: 16,
    offsets: [2, 17],
    stride: 1,
    vfDeviceId: 0x101e,
    vfSubsystemVendor: 0x15b3,
    vfSubsystemDevice: 0x0016,
    vfRevision: 0x00,
    vfBars: [{ index: 0, size: 1 * MB, kind: 'mem64pref' }],
    vfMsixVectors: 4,
  },
  physPortName: (port) => `p${port}`,
};

export function mellanoxCx6Dx(o: {
  slot: string;
  ifname: string;
  mac: string;
  numVfs: readonly number[];
  autoprobe?: readonly boolean[];
}): PciFunctionSpec[] {
  return [0, 1].map((port) =>
    nicPort(CX6_DX, {
      port,
      ports: 2,
      ifname: `${o.ifname}f${port}np${port}`,
      mac: portMac(o.mac, port),
      slot: o.slot,
      numVfs: o.numVfs[port] ?? 0,
      autoprobe: o.autoprobe?.[port] ?? true,
    }),
  );
}
