import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { checkPaths } from '../checks/checkPaths';
import { hostFiles, type HostFiles } from '../checks/hostFiles';

/** An entry of a hand-made tree: file text (sysfs style, the newline added), bytes, a symlink or an empty directory. */
export type HandEntry = string | Buffer | { link: string } | { dir: true };

const made: string[] = [];
afterEach(() => {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Test support: a small tree under a fresh root (removed after the test), paths relative to `/`. */
export function handTree(entries: Record<string, HandEntry>): string {
  const root = mkdtempSync(join(tmpdir(), 'vfmap-hand-'));
  made.push(root);
  for (const [path, entry] of Object.entries(entries)) {
    const full = join(root, path);
    if (typeof entry === 'object' && 'dir' in entry) {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    if (typeof entry === 'string') writeFileSync(full, `${entry}\n`);
    else if (Buffer.isBuffer(entry)) writeFileSync(full, entry);
    else symlinkSync(entry.link, full);
  }
  return root;
}

/** The reads of the checks over a hand-made tree. */
export function handFiles(entries: Record<string, HandEntry>): HostFiles {
  return hostFiles(checkPaths(handTree(entries)));
}
