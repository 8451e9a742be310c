import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PciAddress, type Vm, type Warning } from '@vfmap/model';
import { HypervisorError, type Assignment, type AttachResult, type Hypervisor, type HypervisorSnapshot } from './hypervisor';
import { deviceXml, hostdevXml } from './hostdevXml';
import { libvirtAssignments } from './libvirtAssignments';
import { libvirtChangeCheck } from './libvirtChangeCheck';
import type { LibvirtDomainFiles } from './libvirtDomainFiles';
import { parseDomainXml, type DomainPciDevice, type DomainXml } from './parseDomainXml';
import { isUuid, vmStateOfDomstate, type DomainListEntry } from './parseVirshOutput';
import type { Virsh } from './virsh';
import { createWriteQueue } from './writeQueue';

interface RawDomain {
  entry: DomainListEntry;
  state: string;
  live: string;
  inactive: string;
}

/**
 * libvirt through virsh. A domain's id is its name (what virsh and virt-manager show);
 * commands address it by UUID, which cannot be mistaken for an option or need quoting.
 * `files`, where libvirtd keeps the domains' XML, makes the change check cheap (libvirtChangeCheck).
 */
export function libvirtHypervisor(virsh: Virsh, files: LibvirtDomainFiles | null = null): Hypervisor {
  const queue = createWriteQueue();

  /** Two virsh runs however many domains: the list, then state and both XMLs of each in one batch. */
  async function readRaw(): Promise<RawDomain[]> {
    const domains = await virsh.listDomains();
    const sections = await virsh.batch(
      domains.flatMap((d) => [['domstate', d.uuid], ['dumpxml', d.uuid], ['dumpxml', '--inactive', d.uuid]]),
    );
    const raw: RawDomain[] = [];
    domains.forEach((entry, i) => {
      const [state, live, inactive] = [sections[3 * i], sections[3 * i + 1], sections[3 * i + 2]];
      // Empty: the domain was undefined between the list and the batch. It is gone; skip it.
      if (!state || !live || !inactive) return;
      raw.push({ entry, state, live, inactive });
    });
    return raw;
  }

  async function findDomain(vmId: string): Promise<DomainListEntry> {
    const domains = await virsh.listDomains();
    const found = domains.find((d) => d.name === vmId) ?? (isUuid(vmId) ? domains.find((d) => d.uuid === vmId.toLowerCase()) : undefined);
    if (!found) throw new HypervisorError(`libvirt (${virsh.uri}) has no domain '${vmId}'`, { code: 'unknown-vm' });
    return found;
  }

  async function readDomain(uuid: string): Promise<{ active: boolean; inactive: DomainXml; live: DomainXml | null }> {
    const state = vmStateOfDomstate(await virsh.run(['domstate', uuid]));
    const active = state === 'running' || state === 'paused';
    const inactive = parseOrThrow(await virsh.run(['dumpxml', '--inactive', uuid]), uuid);
    const live = active ? parseOrThrow(await virsh.run(['dumpxml', uuid]), uuid) : null;
    return { active, inactive, live };
  }

  /** Writes the device XML to a private temp file for virsh, and removes it after. */
  async function withDeviceFile<T>(xml: string, fn: (file: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'vfmap-virsh-'));
    try {
      const file = join(dir, 'device.xml');
      await writeFile(file, xml, { mode: 0o600 });
      return await fn(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    kind: 'libvirt',

    async snapshot(): Promise<HypervisorSnapshot> {
      let raw: RawDomain[];
      try {
        raw = await readRaw();
      } catch (err) {
        return { vms: [], assignments: [], warnings: [unavailable(err, virsh.uri)] };
      }
      const vms: Vm[] = [];
      const assignments: Assignment[] = [];
      const warnings: Warning[] = [];
      for (const d of raw) {
        const state = vmStateOfDomstate(d.state);
        vms.push({ id: d.entry.name, name: d.entry.name, state });
        const inactive = parseDomainXml(d.inactive);
        const live = state === 'running' || state === 'paused' ? parseDomainXml(d.live) : null;
        if (!inactive.ok || (live && !live.ok)) {
          const error = !inactive.ok ? inactive.error : live && !live.ok ? live.error : '';
          warnings.push({ code: 'vm-config', message: `domain '${d.entry.name}': ${error}` });
          continue;
        }
        for (const p of [...inactive.value.problems, ...(live?.ok ? live.value.problems : [])]) {
          warnings.push({ code: 'vm-config', message: `domain '${d.entry.name}': ${p}` });
        }
        assignments.push(...libvirtAssignments(d.entry.name, inactive.value, live?.ok ? live.value : null));
      }
      return { vms, assignments, warnings };
    },

    fingerprint: () => libvirtChangeCheck(virsh, files),

    attach(vmId, address) {
      return queue(async (): Promise<AttachResult> => {
        assertAddress(address);
        const domain = await findDomain(vmId);
        const { active, inactive, live } = await readDomain(domain.uuid);
        if (inactive.devices.some((d) => d.address === address)) {
          throw new HypervisorError(`domain '${domain.name}' already names ${address} in its configuration`, { code: 'already-assigned' });
        }
        if (live?.devices.some((d) => d.address === address)) {
          throw new HypervisorError(`domain '${domain.name}' still has ${address}; its removal waits for the domain's next start`, {
            code: 'already-assigned',
          });
        }
        // --config makes it persistent; --live also gives it to the running domain now. Both
        // or neither: when the live part fails (no IOMMU, device busy) libvirt changes nothing.
        await withDeviceFile(hostdevXml(address), (file) =>
          virsh.run(['attach-device', domain.uuid, file, '--config', ...(active ? ['--live'] : [])]),
        );
        return { effect: active ? 'live' : 'next-start', via: 'hostdev' };
      });
    },

    detach(vmId, address) {
      return queue(async (): Promise<AttachResult> => {
        assertAddress(address);
        const domain = await findDomain(vmId);
        const { active, inactive, live } = await readDomain(domain.uuid);
        const inConfig = inactive.devices.find((d) => d.address === address);
        const inLive = live?.devices.find((d) => d.address === address);
        if (!inConfig && !inLive) {
          throw new HypervisorError(`domain '${domain.name}' does not name ${address}`, { code: 'not-assigned' });
        }
        const device: DomainPciDevice = (inConfig ?? inLive)!;
        const flags = [...(inConfig ? ['--config'] : []), ...(inLive ? ['--live'] : [])];
        // A live detach asks the guest to release the device (PCIe hot-unplug); virsh waits
        // for it a while and libvirt finishes the removal when the guest answers.
        await withDeviceFile(deviceXml(device), (file) => virsh.run(['detach-device', domain.uuid, file, ...flags]));
        return { effect: active ? 'live' : 'next-start', via: device.kind };
      });
    },
  };
}

function parseOrThrow(xml: string, uuid: string): DomainXml {
  const r = parseDomainXml(xml);
  if (!r.ok) throw new HypervisorError(`cannot read the XML of domain ${uuid}: ${r.error}`, { code: 'bad-state' });
  return r.value;
}

function assertAddress(address: string): void {
  if (!PciAddress.safeParse(address).success) {
    throw new HypervisorError(`'${address}' is not a PCI address (dddd:bb:dd.f)`, { code: 'invalid-request' });
  }
}

function unavailable(err: unknown, uri: string): Warning {
  const detail = err instanceof Error ? err.message : String(err);
  return { code: 'hypervisor-unavailable', message: `cannot read the domains of ${uri}: ${detail}` };
}
