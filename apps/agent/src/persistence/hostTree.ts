import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A hand-made host tree for the persistence tests: files by host path, written under a temp root. */
export interface HostTree {
  root: string;
  write(path: string, text: string): void;
  /** Mask a file the way systemd does: a symlink to /dev/null. */
  mask(path: string): void;
  remove(): void;
}

export function hostTree(files: Record<string, string> = {}): HostTree {
  const root = mkdtempSync(join(tmpdir(), 'vfmap-persist-'));
  const tree: HostTree = {
    root,
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    mask(path) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      symlinkSync('/dev/null', join(root, path));
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  for (const [path, text] of Object.entries(files)) tree.write(path, text);
  return tree;
}

/** Debian's and Proxmox's vendor 99-default.link (systemd 252). */
export const DEBIAN_DEFAULT_LINK = `# SPDX-License-Identifier: MIT-0
[Match]
OriginalName=*

[Link]
NamePolicy=keep kernel database onboard slot path
AlternativeNamesPolicy=database onboard slot path
MACAddressPolicy=persistent
`;
