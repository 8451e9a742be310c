import { join } from 'node:path';
import { RW } from './entries';
import { clearNumvfsIntent, readNumvfsIntent, type NumvfsIntent } from './numvfsIntent';
import type { SimTree } from './simTree';
import { enableVfs, listVfs, readPf } from './virtfns';
import { dropVfSettings } from './vfSettings';
import { removeVfTraces, vfAddresses } from './vfTraces';

const NO_WAIT = { enableDelayMs: 0, disableDelayMs: 0, enableFixedMs: 0, disableFixedMs: 0 };

/**
 * Finishes a sriov_numvfs change whose writer died half-way (numvfsIntent.ts), as the real kernel
 * would have finished it: after this, sriov_numvfs reads the count that was written and the PF has
 * exactly those VFs, complete. Run under the kernel lock, before any other write and when a
 * simulated kernel is made. Returns the change it finished, null when none was under way.
 */
export function finishInterruptedWrite(tree: SimTree): NumvfsIntent | null {
  const intent = readNumvfsIntent(tree.paths);
  if (intent === null) return null;
  const dev = tree.device(intent.pf);
  const pf = dev ? readPf(tree, dev) : null;
  if (pf === null) {
    // The PF itself is gone (a tree regenerated meanwhile): nothing to finish.
    clearNumvfsIntent(tree.paths);
    return intent;
  }
  if (!finished(tree, pf.dev, intent.to)) {
    // Whatever either direction left is taken away; an enable is then done again whole.
    removeVfTraces(tree, pf, vfAddresses(pf, Math.max(intent.from, intent.to, pf.totalVfs)));
    if (intent.to > 0) enableVfs(tree, pf, intent.to, NO_WAIT);
    else {
      dropVfSettings(tree.paths, pf.dev.address);
      tree.writeAttr(join(pf.dev.dir, 'sriov_numvfs'), '0\n', RW);
    }
    tree.save();
  }
  clearNumvfsIntent(tree.paths);
  return intent;
}

/** The change got to its last step: sriov_numvfs reads the new count and the PF links exactly that many VFs. */
function finished(tree: SimTree, pf: NonNullable<ReturnType<typeof tree.device>>, to: number): boolean {
  return tree.readAttr(pf, 'sriov_numvfs') === String(to) && listVfs(pf).length === to;
}
