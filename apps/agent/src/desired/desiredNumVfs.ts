import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PciAddress, type Pf } from '@vfmap/model';
import { writeFileAtomic } from '../state/writeFileAtomic';

/**
 * The VF counts the operator asked for, to set again after a reboot: the kernel forgets
 * sriov_numvfs at boot, and this (with the audit log) is all the agent keeps on disk
 * (ARCHITECTURE principle 4). The PF's vendor and device ids are kept with the count, so that a
 * different card in the same slot after a hardware change is not given a count meant for another.
 */
export const DesiredPf = z.object({
  count: z.number().int().nonnegative(),
  vendorId: z.string(),
  deviceId: z.string(),
  setAt: z.string().datetime({ offset: true }),
});
export type DesiredPf = z.infer<typeof DesiredPf>;

export const DesiredNumVfsFile = z.object({
  version: z.literal(1),
  pfs: z.record(PciAddress, DesiredPf),
});
export type DesiredNumVfsFile = z.infer<typeof DesiredNumVfsFile>;

export class DesiredNumVfsError extends Error {
  override readonly name = 'DesiredNumVfsError';
}

export class DesiredNumVfs {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The desired counts by PF address; none when the file does not exist yet. */
  async read(): Promise<Record<string, DesiredPf>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new DesiredNumVfsError(`${this.path} is not JSON: ${(err as Error).message}`);
    }
    const parsed = DesiredNumVfsFile.safeParse(json);
    if (!parsed.success) {
      throw new DesiredNumVfsError(`${this.path} does not hold desired VF counts: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return parsed.data.pfs;
  }

  /** Records `count` as the count wanted for `pf`, replacing the file atomically. */
  record(pf: Pick<Pf, 'address' | 'vendorId' | 'deviceId'>, count: number): Promise<void> {
    const done = this.queue.then(async () => {
      const pfs = await this.read();
      const kept = pfs[pf.address];
      // The same count again (a no-op request, or apply-desired at boot) keeps when it was set.
      if (kept && kept.count === count && kept.vendorId === pf.vendorId && kept.deviceId === pf.deviceId) return;
      pfs[pf.address] = { count, vendorId: pf.vendorId, deviceId: pf.deviceId, setAt: this.now().toISOString() };
      await this.replace({ version: 1, pfs });
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  /**
   * Puts back what the file said for `address` before an operation that never answered (the
   * agent stopped during it): the desired count is the last one a client was told was set.
   * `entry` null: the PF had no desired count.
   */
  restore(address: string, entry: DesiredPf | null): Promise<void> {
    const done = this.queue.then(async () => {
      const pfs = await this.read();
      const kept = pfs[address];
      if (entry === null ? kept === undefined : kept !== undefined && JSON.stringify(kept) === JSON.stringify(entry)) return;
      if (entry === null) delete pfs[address];
      else pfs[address] = entry;
      await this.replace({ version: 1, pfs });
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** Temp file, fsync, rename, fsync of the directory: after a crash the file holds the old counts or the new, never half. */
  private replace(content: DesiredNumVfsFile): Promise<void> {
    return writeFileAtomic(this.path, `${JSON.stringify(content, null, 2)}\n`);
  }
}
