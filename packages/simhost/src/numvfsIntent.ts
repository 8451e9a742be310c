import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PciAddress } from '@vfmap/model';
import { replaceFile } from './replaceFile';
import type { SimPaths } from './simPaths';

/**
 * A sriov_numvfs change under way: written before the simulated kernel touches the tree and
 * removed once sriov_numvfs reads the new count. The real kernel cannot be stopped half-way
 * through sriov_enable() or sriov_disable() — killing the writing process does not stop a
 * write(2) already in the kernel — but the simulated one runs in the writer's process and dies
 * with it. This note is what lets the next access finish the change as the real kernel would have.
 */
export const NumvfsIntent = z.object({
  pf: PciAddress,
  /** One of them is 0: the kernel changes a count only from or to 0 (EBUSY otherwise). */
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
});
export type NumvfsIntent = z.infer<typeof NumvfsIntent>;

const intentPath = (paths: SimPaths) => join(paths.simState, 'numvfs-intent.json');

export function writeNumvfsIntent(paths: SimPaths, intent: NumvfsIntent): void {
  replaceFile(intentPath(paths), `${JSON.stringify(intent)}\n`, 0o644, paths.simState);
}

/** The change under way, null when there is none. Written by rename, so never half. */
export function readNumvfsIntent(paths: SimPaths): NumvfsIntent | null {
  let text: string;
  try {
    text = readFileSync(intentPath(paths), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return NumvfsIntent.parse(JSON.parse(text));
}

export function clearNumvfsIntent(paths: SimPaths): void {
  rmSync(intentPath(paths), { force: true });
}
