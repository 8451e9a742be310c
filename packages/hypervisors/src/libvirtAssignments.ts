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
  });
  if (live === null) return inactive.devices.map((d) => make(d, null));

  const inConfig = new Set(inactive.devices.map((d) => d.address));
  const inLive = new Set(live.devices.map((d) => d.address));
  return [
    ...live.devices.map((d) => make(d, inConfig.has(d.address) ? null : 'detach')),
    ...inactive.devices.filter((d) => !inLive.has(d.address)).map((d) => make(d, 'attach')),
  ];
}
