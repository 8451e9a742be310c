import { createHash } from 'node:crypto';
import type { LibvirtDomainFiles } from './libvirtDomainFiles';
import type { DomainListEntry } from './parseVirshOutput';
import type { Virsh } from './virsh';

/**
 * The libvirt adapter's cheap change check (Hypervisor.fingerprint), run every couple of seconds
 * while a page listens. It must change whenever the snapshot would: a domain defined, undefined,
 * renamed, started, stopped or paused, or a device added to or removed from its persistent or live
 * XML — also by someone else (`virsh attach-device --config`). libvirt exposes no generation
 * counter, so it hashes, per domain, the UUID, the name, the state, and the two XMLs taken from
 * the files libvirtd keeps them in (libvirtDomainFiles). virsh is asked for an XML only where no
 * file can stand for it: another connection, a file this process cannot read, a transient domain
 * (no persistent config). Two virsh runs in all: the list, then every state and those XMLs.
 */
export async function libvirtChangeCheck(virsh: Virsh, files: LibvirtDomainFiles | null): Promise<string> {
  const hash = createHash('sha256');
  try {
    const domains = await virsh.listDomains();
    const fromFiles = domains.map((d) => ({
      config: files?.digest('config', d.name, d.uuid) ?? null,
      status: files?.digest('status', d.name, d.uuid) ?? null,
    }));
    const asks: { domain: number; what: 'state' | 'inactive' | 'live' }[] = [];
    domains.forEach((_, i) => {
      asks.push({ domain: i, what: 'state' });
      if (fromFiles[i]!.config === null) asks.push({ domain: i, what: 'inactive' }, { domain: i, what: 'live' });
    });
    const answers = await virsh.batch(asks.map(({ domain, what }) => command(domains[domain]!, what)));
    const got = domains.map(() => ({ state: null as string | null, inactive: null as string | null, live: null as string | null }));
    asks.forEach(({ domain, what }, k) => {
      got[domain]![what] = answers[k] ?? null;
    });

    // A running domain whose status file cannot be read (rare: libvirtd writes one for every
    // running domain) has its live XML asked for on its own.
    const liveAsks = domains.map((_, i) => i).filter((i) => isActive(got[i]!.state) && fromFiles[i]!.config !== null && fromFiles[i]!.status === null);
    const lives = await virsh.batch(liveAsks.map((i) => command(domains[i]!, 'live')));
    liveAsks.forEach((i, k) => {
      got[i]!.live = lives[k] ?? null;
    });

    domains.forEach((d, i) => {
      const { state, inactive, live } = got[i]!;
      // No state: the domain was undefined between the list and the batch; the next list says so.
      if (!state) {
        hash.update(`${d.uuid}\0gone\0`);
        return;
      }
      const config = fromFiles[i]!.config ?? `xml:${inactive}`;
      const running = isActive(state) ? (fromFiles[i]!.status ?? `xml:${live}`) : '';
      hash.update(`${d.uuid}\0${d.name}\0${state}\0${config}\0${running}\0`);
    });
  } catch (err) {
    hash.update(`unavailable\0${err instanceof Error ? err.message : String(err)}`);
  }
  return hash.digest('hex');
}

function command(d: DomainListEntry, what: 'state' | 'inactive' | 'live'): string[] {
  switch (what) {
    case 'state':
      return ['domstate', d.uuid];
    case 'inactive':
      return ['dumpxml', '--inactive', d.uuid];
    case 'live':
      return ['dumpxml', d.uuid];
  }
}

/** Whether a domain in this `virsh domstate` state has a live XML of its own (and a status file). */
function isActive(state: string | null): boolean {
  return state !== null && state.trim() !== '' && state.trim() !== 'shut off';
}
