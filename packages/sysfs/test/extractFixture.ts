import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's top-level fixtures/ (captures from real kernels and real hosts, with their sources). */
export const FIXTURES = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../fixtures');

/** The real-kernel QEMU harness (test/realkernel/run-in-guest.sh), kept in the repository. */
export const RUN_IN_GUEST = resolve(FIXTURES, '../test/realkernel/run-in-guest.sh');

/** The sysfs captures, by folder: `fixture('realkernel', 'vfs-enabled')` → .../realkernel/vfs-enabled.tar.xz. */
export function fixture(folder: 'realkernel' | 'realkernel-igb' | 'real-hosts', name: string): string {
  return join(FIXTURES, folder, `${name}.tar.xz`);
}

/**
 * Unpacks a fixture tarball (`sys/...` at its top) into a fresh temp dir and returns that dir, the
 * root to read. GNU tar keeps the kernel's relative symlinks, so they resolve inside the root.
 */
export function extractFixture(tarXz: string): string {
  const root = mkdtempSync(join(tmpdir(), `vfmap-${basename(tarXz, '.tar.xz')}-`));
  execFileSync('tar', ['-xJf', tarXz, '-C', root]);
  return root;
}

/**
 * A fresh copy of an extracted tree, for a test that changes it (`cp -a` keeps the symlinks as
 * they are, and is several times faster than extracting again).
 */
export function copyFixture(root: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'vfmap-copy-'));
  execFileSync('cp', ['-a', `${root}/.`, copy]);
  return copy;
}

/** Removes a tree made by extractFixture or copyFixture. */
export function removeFixture(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/**
 * For a describe block whose tests each change a tree: extracts the fixture once, hands every
 * test its own fresh copy through `use`, and removes both afterwards.
 */
export function copyForEachTest(tarXz: string, use: (root: string) => void): void {
  let pristine: string;
  let copy: string;
  beforeAll(() => {
    pristine = extractFixture(tarXz);
  });
  afterAll(() => removeFixture(pristine));
  beforeEach(() => {
    copy = copyFixture(pristine);
    use(copy);
  });
  afterEach(() => removeFixture(copy));
}
