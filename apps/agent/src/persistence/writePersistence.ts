import { chmod, mkdir, readdir, readFile, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { DesiredPfState, PersistWriteOutcome } from '@vfmap/model';
import { syncDir, writeFileAtomic } from '../state/writeFileAtomic';
import { VFMAP_DROP_IN, type PersistencePlan } from './linkPlan';
import { APPLY_DESIRED_UNIT, desiredSriovOf } from './pfPersistence';
import { planPersistence } from './planPersistence';

/** The only directory vfmap writes `.link` files and drop-ins to (the admin's, which wins over /run and /usr/lib). */
export const LINK_WRITE_DIR = '/etc/systemd/network';

/** A path the writer refused: not one the planner names for vfmap's own files. */
export class PersistPathRefused extends Error {
  override readonly name = 'PersistPathRefused';
}

const OWN_LINK = /^\d+-vfmap-[A-Za-z0-9_.:@-]+\.link$/;
const LINK_NAME = /^[A-Za-z0-9_.:@-]+\.link$/;

/**
 * vfmap writes and removes only its own files, as the planner names them: `<N>-vfmap-<if>.link`
 * in /etc/systemd/network, or `<file>.link.d/vfmap-sriov.conf` beside a `.link` file there.
 * Anything else — another directory, `..`, another name — is refused before it reaches the disk.
 */
export function checkOwnPath(path: string): void {
  const normal = posix.normalize(path);
  if (normal !== path || !path.startsWith(`${LINK_WRITE_DIR}/`)) throw new PersistPathRefused(`${path} is not under ${LINK_WRITE_DIR}: vfmap writes its .link files nowhere else`);
  const rest = path.slice(LINK_WRITE_DIR.length + 1).split('/');
  if (rest.length === 1 && OWN_LINK.test(rest[0]!)) return;
  if (rest.length === 2 && rest[0]!.endsWith('.link.d') && LINK_NAME.test(rest[0]!.slice(0, -2)) && rest[1] === VFMAP_DROP_IN) return;
  throw new PersistPathRefused(`${path} is not a file vfmap writes (<N>-vfmap-<interface>.link or <file>.link.d/${VFMAP_DROP_IN})`);
}

async function contentOf(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** A drop-in directory vfmap made, once its drop-in is gone and nothing else is in it. */
async function removeEmptyDropInDir(dir: string): Promise<void> {
  if (!dir.endsWith('.link.d')) return;
  if ((await readdir(dir).catch(() => ['?'])).length === 0) await rmdir(dir).catch(() => undefined);
}

export interface WritePersistenceInput {
  /** The host's `/` (a simulated host's tree). */
  root: string;
  /** The PF's PCI address (checked by the caller: a device on this host). */
  pf: string;
  /** The PF's desired state as the root side parsed it; null: nothing kept (vfmap's files are removed). */
  desired: DesiredPfState | null;
  systemdVersion: number | null;
  /**
   * `write` (default): write what keeps the desired state. `refresh`: only where vfmap's file for
   * the PF is there already — a count change keeps it in step before the live write, so the next
   * add event (a driver reload, a PF reset) does not put back the old count — and never a first one.
   */
  mode?: 'write' | 'refresh';
}

/**
 * The root side's step: plans again from the desired state and the host's own files (never a path
 * or a text from the HTTP side), writes the `.link` file or drop-in atomically with mode 0644 —
 * before any live change, so the next add event applies what is desired — and removes vfmap's own
 * files that no longer apply. Where `vfmap apply-desired` keeps it, nothing is written: the unit
 * reads the desired state.
 */
export async function writePersistence(input: WritePersistenceInput): Promise<PersistWriteOutcome> {
  const { plan } = await planPersistence({ root: input.root, address: input.pf, desired: desiredSriovOf(input.desired), systemdVersion: input.systemdVersion });
  const removed = await removeOwn(input.root, plan);
  if (plan.kind === 'apply-desired') {
    return { mechanism: 'apply-desired', path: `/etc/systemd/system/${APPLY_DESIRED_UNIT}`, written: false, removed, initramfs: false, notKept: plan.notKept, why: `${plan.why}: ${APPLY_DESIRED_UNIT} sets the kept count at boot; nothing to write` };
  }
  if (plan.kind === 'nothing') {
    return { mechanism: 'none', path: null, written: false, removed, initramfs: removed.length > 0 && plan.initramfs.update, notKept: [], why: input.desired === null ? 'nothing is desired for this PF' : plan.why };
  }
  checkOwnPath(plan.write.path);
  const target = join(input.root, plan.write.path);
  const existing = await contentOf(target);
  if (input.mode === 'refresh' && existing === null && removed.length === 0) {
    return { mechanism: plan.kind, path: plan.write.path, written: false, removed, initramfs: false, notKept: plan.notKept, why: `vfmap keeps no boot file for ${input.pf} yet: nothing to keep in step (POST …/persist writes one)` };
  }
  let written = false;
  if (existing !== plan.write.content) {
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFileAtomic(target, plan.write.content, 0o644);
    // The umask may have taken bits off: udev reads it as any user would.
    await chmod(target, 0o644);
    written = true;
  }
  return { mechanism: plan.kind, path: plan.write.path, written, removed, initramfs: plan.initramfs.update && (written || removed.length > 0), notKept: plan.notKept, why: plan.why };
}

async function removeOwn(root: string, plan: PersistencePlan): Promise<string[]> {
  const removed: string[] = [];
  for (const path of plan.remove) {
    checkOwnPath(path);
    const target = join(root, path);
    try {
      await unlink(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    await syncDir(dirname(target));
    if (basename(path) === VFMAP_DROP_IN) await removeEmptyDropInDir(dirname(target));
    removed.push(path);
  }
  return removed;
}
