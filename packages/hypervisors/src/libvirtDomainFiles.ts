import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files in which the local libvirtd (qemu:///system) keeps each domain's XML. libvirt
 * rewrites the persistent config, `/etc/libvirt/qemu/<name>.xml`, at every define and every
 * `--config` change (attach-device, detach-device, update-device, edit), and the status of a
 * running domain, `/run/libvirt/qemu/<name>.xml`, at every live change and state change: it is
 * what libvirtd reads back when it restarts. Reading them costs a stat, and a read of a few
 * kilobytes when one changed, instead of a `virsh dumpxml` through libvirtd per domain.
 */
export interface LibvirtDomainFiles {
  /**
   * A digest of the domain's persistent config (`config`) or status (`status`) file; null when the
   * file is missing or unreadable, or does not name `uuid` (a stale file of another domain that had
   * the name): then the caller must ask virsh for the XML.
   */
  digest(which: 'config' | 'status', name: string, uuid: string): string | null;
}

/**
 * A file read this long after its mtime cannot change again with the same mtime: the kernel's
 * file times advance by a clock tick (a few ms), so a later write shows a later mtime. A file read
 * sooner is read again at the next check (git's "racily clean" index entries, the same problem).
 */
const SETTLED_MS = 1000;

/** Where a connection keeps its domains' files, under `root`; null for any connection but the local system one. */
export function libvirtDomainFiles(root: string, uri: string, now: () => number = Date.now): LibvirtDomainFiles | null {
  if (uri !== 'qemu:///system') return null;
  const dirs = { config: join(root, 'etc/libvirt/qemu'), status: join(root, 'run/libvirt/qemu') };
  const known = new Map<string, { stamp: string; settled: boolean; uuid: string; digest: string | null }>();
  return {
    digest(which, name, uuid) {
      // libvirt refuses a name with '/': the name is one path component.
      if (name.includes('/')) return null;
      const path = join(dirs[which], `${name}.xml`);
      let stamp: string;
      let mtimeMs: number;
      try {
        const st = statSync(path, { bigint: true, throwIfNoEntry: false });
        if (!st?.isFile()) return null;
        stamp = `${st.ino}:${st.mtimeNs}:${st.size}`;
        mtimeMs = Number(st.mtimeNs / 1_000_000n);
      } catch {
        return null;
      }
      let entry = known.get(path);
      if (!entry || entry.stamp !== stamp || !entry.settled || entry.uuid !== uuid) {
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          return null;
        }
        const digest = text.includes(`<uuid>${uuid}</uuid>`) ? createHash('sha256').update(text).digest('hex') : null;
        entry = { stamp, settled: now() - mtimeMs > SETTLED_MS, uuid, digest };
        known.set(path, entry);
      }
      return entry.digest;
    },
  };
}
