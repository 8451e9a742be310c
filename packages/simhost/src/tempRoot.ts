import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temporary directory for a generated tree, in memory (/dev/shm) where the machine has
 * one: tests create and delete hundreds of thousands of small files, which tmpfs does in a
 * fraction of the time a journaling disk needs. For tests and benchmarks.
 */
export function tempRoot(prefix = 'vfmap-simhost-'): { dir: string; remove(): void } {
  let base = tmpdir();
  try {
    accessSync('/dev/shm', constants.W_OK);
    base = '/dev/shm';
  } catch {
    // no tmpfs: the ordinary temporary directory
  }
  const dir = mkdtempSync(join(base, prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
