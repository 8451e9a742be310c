import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry } from './entries';

/**
 * Hard links between the attributes of sibling VFs that hold the same bytes.
 *
 * Creating a file with content is by far the dearest thing the generator does (an inode and a
 * data block each; ~20× a link(2) on ext4), and the VFs of one PF are alike but for a few
 * attributes. So the second VF on links its files to the first one's wherever path and bytes
 * agree. The simulated kernel never writes a file in place — it writes a new one and renames it
 * over (replaceFile) — so a write through it separates the VF from its siblings. A plain
 * fs.writeFileSync on a shared file would change it for all siblings: hence `writable` decides
 * whether attributes with a write bit are shared too (only the `large` benchmark profile does
 * that); read-only attributes and symlinks, which nobody rewrites, always are.
 */
export interface InodeSharing {
  /** `path\0content` (or `path\0->target`) → the first sibling's file. */
  inodes: Map<string, string>;
  writable: boolean;
}

export function newInodeSharing(writable: boolean): InodeSharing {
  return { inodes: new Map(), writable };
}

/** Writes `entries` into the existing directory `dir`. */
export function writeEntries(dir: string, entries: readonly Entry[], sharing?: InodeSharing): void {
  for (const e of entries) {
    const target = join(dir, e.path);
    if (e.kind === 'dir') {
      mkdirSync(target);
      continue;
    }
    if (sharing && (e.kind === 'link' || sharing.writable || (e.mode & 0o222) === 0)) {
      const key =
        e.kind === 'link' ? `${e.path}\0->${e.target}` : `${e.path}\0${typeof e.content === 'string' ? e.content : e.content.toString('latin1')}`;
      const source = sharing.inodes.get(key);
      if (source !== undefined) {
        // link(2) does not follow a symlink: the new name is another link to the same symlink.
        linkSync(source, target);
        continue;
      }
      sharing.inodes.set(key, target);
    }
    if (e.kind === 'link') symlinkSync(e.target, target);
    else writeFileSync(target, e.content, { mode: e.mode });
  }
}
