import type { PciFunctionSpec } from '../hostProfile';
import { KB, nicPort, pcieLink, type NicModel } from './nicPort';

/**
 * Intel I210 Gigabit Network Connection (8086:1533), driver igb: a NIC without SR-IOV (the
 * I210 has no SR-IOV capability, unlike the I350), here as a board's onboard LAN (SMBIOS type 41
 * gives acpi_index 1, so udev names it eno1).
 */
export const I210_ONBOARD: NicModel = {
  ids: { vendor: 0x8086, device: 0x1533, subsystemVendor: 0x15d9, subsystemDevice: 0x1533, classCode: 0x020000, revision: 0x03 },
  driver: 'igb',
  bars: [
    { index: 0, size: 512 * KB, kind: 'mem32' },
    { index: 2, size: 32, kind: 'io' },
    { index: 3, size: 16 * KB, kind: 'mem32' },
  ],
  link: pcieLink(1, 1),
  speedMbps: 1000,
  irq: 17,
  msiVectors: 5,
};

export function intelI210Onboard(o: { mac: string; acpiIndex: number }): PciFunctionSpec {
  return nicPort(I210_ONBOARD, {
    port: 0,
    ports: 1,
    ifname: `eno${o.acpiIndex}`,
    mac: o.mac,
    onboard: { label: `Intel Ethernet I210 #${o.acpiIndex}`, acpiIndex: o.acpiIndex },
  });
}
