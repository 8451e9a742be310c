import type { Assignment } from './hypervisor';
import type { DomainPciDevice, DomainXml } from './parseDomainXml';

/**
 * The devices a libvirt domain holds. A running domain has two definitions: the live one
 * (`dumpxml`) and the persistent one it will start with next (`dumpxml --inactive`). Where
 * they differ, a change is pending: a device only in the persistent config arrives at the
 * next start; one only in the live config leaves then. A stopped domain has only its
 * persistent config, and nothing in it is pending.
 */
export function libvirtAssignments(vmId: string, inactive: DomainXml, live: DomainXml | null): Assignment[] {
  const via = (d: DomainPciDevice) => d.kind;
  const make = (d: DomainPciDevice, pendingChange: Assignment['pendingChange']): Assignment => ({
    target: d.address,
    vmId,
    vmName: inactive.name,
    via: via(d),
    pending: pendingChange !== null,
    pendingChange,
    config: {
      // A device only in the live definition is in no file the admin edits: `virsh dumpxml` shows it.
      path: pendingChange === 'detach' ? `virsh dumpxml ${inactive.name}` : `/etc/libvirt/qemu/${inactive.name}.xml`,
      line: `<${d.kind}> ${sourceAddressXml(d.address)}`,
    },
  });
  if (live === null) return inactive.devices.map((d) => make(d, null));

  const inConfig = new Set(inactive.devices.map((d) => d.address));
  const inLive = new Set(live.devices.map((d) => d.address));
  return [
    ...live.devices.map((d) => make(d, inConfig.has(d.address) ? null : 'detach')),
    ...inactive.devices.filter((d) => !inLive.has(d.address)).map((d) => make(d, 'attach')),
  ];
}

/** A PCI address as libvirt's `<source><address …/>` writes it. */
export function sourceAddressXml(address: string): string {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(address);
  if (!m) return `<address>${address}</address>`;
  return `<address domain='0x${m[1]}' bus='0x${m[2]}' slot='0x${m[3]}' function='0x${m[4]}'/>`;
}
