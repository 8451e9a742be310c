import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatPciAddress, type PciAddress } from '@vfmap/model';
import { notParsed, parsed, type ParseResult } from './parseResult';

/** A host PCI device a libvirt domain names. */
export interface DomainPciDevice {
  /** The host's address (the `<source>` address; the guest-side `<address>` is not it). */
  address: PciAddress;
  /** `<hostdev type='pci'>` or `<interface type='hostdev'>` (a VF as a NIC, with a MAC). */
  kind: 'hostdev' | 'interface';
  /** The guest MAC of an `<interface type='hostdev'>`; libvirt finds the interface by it on detach. */
  mac: string | null;
}

export interface DomainXml {
  name: string;
  uuid: string | null;
  devices: DomainPciDevice[];
  /** Devices that could not be read (an address out of range); the rest still counts. */
  problems: string[];
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (tagName) => tagName === 'hostdev' || tagName === 'interface',
});

/**
 * Reads the PCI devices a domain passes from its XML (`virsh dumpxml`):
 *
 *     <hostdev mode='subsystem' type='pci' managed='yes'>
 *       <source><address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/></source>
 *     </hostdev>
 *     <interface type='hostdev' managed='yes'>
 *       <mac address='52:54:00:6d:90:02'/>
 *       <source><address type='pci' domain='0x0000' bus='0x02' slot='0x10' function='0x2'/></source>
 *     </interface>
 *
 * USB, SCSI and mdev hostdevs and every other interface type are not PCI functions of the
 * host and are left out.
 */
export function parseDomainXml(xml: string): ParseResult<DomainXml> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return notParsed(`domain XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Node;
  const domain = asNode(doc['domain']);
  if (!domain) return notParsed('no <domain> element');
  const name = text(domain['name']);
  if (!name) return notParsed('domain without <name>');

  const devices: DomainPciDevice[] = [];
  const problems: string[] = [];
  const devicesNode = asNode(domain['devices']);
  for (const hostdev of asArray(devicesNode?.['hostdev'])) {
    if (hostdev['@_mode'] !== 'subsystem' || hostdev['@_type'] !== 'pci') continue;
    const address = sourceAddress(hostdev);
    if (address.ok) devices.push({ address: address.value, kind: 'hostdev', mac: null });
    else problems.push(`hostdev: ${address.error}`);
  }
  for (const iface of asArray(devicesNode?.['interface'])) {
    if (iface['@_type'] !== 'hostdev') continue;
    const address = sourceAddress(iface);
    if (!address.ok) {
      problems.push(`interface type='hostdev': ${address.error}`);
      continue;
    }
    const mac = asNode(iface['mac'])?.['@_address'];
    const validMac = typeof mac === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac) ? mac.toLowerCase() : null;
    devices.push({ address: address.value, kind: 'interface', mac: validMac });
  }
  return parsed({ name, uuid: text(domain['uuid']), devices, problems });
}

function sourceAddress(device: Node): ParseResult<PciAddress> {
  const address = asNode(asNode(device['source'])?.['address']);
  if (!address) return notParsed('no <source><address/>');
  if (address['@_type'] !== undefined && address['@_type'] !== 'pci') return notParsed(`source address of type '${String(address['@_type'])}'`);
  const parts = {
    domain: number(address['@_domain'] ?? '0'),
    bus: number(address['@_bus']),
    device: number(address['@_slot']),
    function: number(address['@_function'] ?? '0'),
  };
  if (
    parts.domain === null || parts.bus === null || parts.device === null || parts.function === null ||
    parts.domain > 0xffffffff || parts.bus > 0xff || parts.device > 0x1f || parts.function > 7
  ) {
    return notParsed(`source address ${JSON.stringify(address)} is not a PCI address`);
  }
  return parsed(formatPciAddress({ domain: parts.domain, bus: parts.bus, device: parts.device, function: parts.function }));
}

/** libvirt reads these attributes with base 0: `0x1f` is hex, `31` decimal. */
function number(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  if (/^0x[0-9a-f]+$/i.test(value)) return Number.parseInt(value.slice(2), 16);
  if (/^\d+$/.test(value)) return Number.parseInt(value, 10);
  return null;
}

function asNode(value: unknown): Node | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : null;
}

function asArray(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter((v): v is Node => asNode(v) !== null) : [];
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  const node = asNode(value);
  if (node && typeof node['#text'] === 'string') return node['#text'].trim() || null;
  return null;
}
