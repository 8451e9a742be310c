import { parsePciAddress, type PciAddress } from '@vfmap/model';
import type { DomainPciDevice } from './parseDomainXml';

/**
 * The device XML for `virsh attach-device` / `detach-device`. A VF is given as a managed PCI
 * hostdev (libvirt binds it to vfio-pci and back). On detach, libvirt finds a hostdev by its
 * source address and an `<interface type='hostdev'>` by its MAC, so the interface form carries
 * the MAC the domain XML shows.
 */
export function deviceXml(device: Pick<DomainPciDevice, 'address' | 'kind' | 'mac'>): string {
  const source = `<source><address type='pci' ${addressAttributes(device.address)}/></source>`;
  if (device.kind === 'interface') {
    const mac = device.mac ? `<mac address='${device.mac}'/>` : '';
    return `<interface type='hostdev' managed='yes'>${mac}${source}</interface>\n`;
  }
  return `<hostdev mode='subsystem' type='pci' managed='yes'>${source}</hostdev>\n`;
}

export function hostdevXml(address: PciAddress): string {
  return deviceXml({ address, kind: 'hostdev', mac: null });
}

function addressAttributes(address: PciAddress): string {
  const p = parsePciAddress(address);
  if (!p) throw new TypeError(`not a PCI address: ${address}`);
  const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;
  return `domain='${hex(p.domain, 4)}' bus='${hex(p.bus, 2)}' slot='${hex(p.device, 2)}' function='${hex(p.function, 1)}'`;
}
