import { readFile, unlink } from 'node:fs/promises';
import { z } from 'zod';
import { DesiredPfState, PciAddress, type Pf } from '@vfmap/model';
import { UnavailableError } from '../errors';
import { writeFileAtomic } from '../state/writeFileAtomic';
import { DesiredNumVfsFile } from './desiredNumVfs';
import type { DesiredStore } from './desiredStore';

/** `<stateDir>/desired.json`: every PF's desired state (count, VF settings, drivers, autoprobe, stable MACs). */
export const DESIRED_FILE = 'desired.json';
/** What vfmap kept before issue 14 (counts only); read once when desired.json does not exist yet. */
export const LEGACY_DESIRED_FILE = 'desired-numvfs.json';

export const DesiredStateFile = z.object({
  version: z.literal(2),
  pfs: z.record(PciAddress, DesiredPfState),
});
export type DesiredStateFile = z.infer<typeof DesiredStateFile>;

/**
 * The desired-state file cannot be read as one: the operator has to look at it (nothing is guessed
 * or overwritten). Answered as 503 unavailable with this message, until the file is fixed.
 */
export class DesiredStateError extends UnavailableError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

type PfIdentity = Pick<Pf, 'address' | 'vendorId' | 'deviceId'>;

/**
 * The DesiredStore on disk: one versioned JSON file in the state directory, replaced atomically
 * (temp file, fsync, rename) one change at a time. When only the count-only file of earlier
 * versions exists, its counts are read as the desired state (nothing an operator set is lost), and
 * the first change writes desired.json and removes the old file.
 */
export class DesiredFile implements DesiredStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    readonly legacyPath: string | null = null,
  ) {}

  async read(): Promise<Record<string, DesiredPfState>> {
    const text = await readText(this.path);
    if (text !== null) return parseFile(this.path, text, DesiredStateFile, 'a desired state (version 2)').pfs;
    if (this.legacyPath === null) return {};
    const legacy = await readText(this.legacyPath);
    if (legacy === null) return {};
    const { pfs } = parseFile(this.legacyPath, legacy, DesiredNumVfsFile, 'desired VF counts (version 1)');
    // A count-only entry is a desired state with nothing else kept (the schema's defaults).
    return Object.fromEntries(Object.entries(pfs).map(([address, kept]) => [address, DesiredPfState.parse(kept)]));
  }

  update(pf: PfIdentity, change: (current: DesiredPfState | null) => DesiredPfState | null): Promise<DesiredPfState | null> {
    return this.serialized(async () => {
      const pfs = await this.read();
      const kept = pfs[pf.address];
      // Kept for another card in the slot (another vendor or device): not this PF's.
      const current = kept && kept.vendorId === pf.vendorId && kept.deviceId === pf.deviceId ? kept : null;
      const next = change(current);
      if (next === null) {
        if (kept === undefined) return null;
        delete pfs[pf.address];
      } else {
        const checked = DesiredPfState.parse({ ...next, vendorId: pf.vendorId, deviceId: pf.deviceId });
        if (kept !== undefined && JSON.stringify(kept) === JSON.stringify(checked)) return kept;
        pfs[pf.address] = checked;
      }
      await this.replace(pfs);
      return next === null ? null : pfs[pf.address]!;
    });
  }

  /**
   * Puts back what was kept for `address` before an operation that never answered (the agent
   * stopped during it): `entry` null — nothing was kept.
   */
  restore(address: string, entry: DesiredPfState | null): Promise<void> {
    return this.serialized(async () => {
      const pfs = await this.read();
      const kept = pfs[address];
      if (entry === null ? kept === undefined : kept !== undefined && JSON.stringify(kept) === JSON.stringify(entry)) return;
      if (entry === null) delete pfs[address];
      else pfs[address] = DesiredPfState.parse(entry);
      await this.replace(pfs);
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const done = this.queue.then(work);
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** After a crash or a power cut the file holds the old state or the new, never half. */
  private async replace(pfs: Record<string, DesiredPfState>): Promise<void> {
    const content: DesiredStateFile = { version: 2, pfs };
    await writeFileAtomic(this.path, `${JSON.stringify(content, null, 2)}\n`);
    // desired.json holds everything the old file did now: two files saying different counts would mislead whoever reads them.
    if (this.legacyPath !== null) await unlink(this.legacyPath).catch(() => undefined);
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DesiredStateError(`${path} cannot be read: ${(err as Error).message}`, path);
  }
}

function parseFile<T extends z.ZodTypeAny>(path: string, text: string, schema: T, what: string): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DesiredStateError(`${path} is not JSON (${(err as Error).message}); vfmap changes nothing it keeps until the file is fixed or removed`, path);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new DesiredStateError(`${path} does not hold ${what}: ${issues.join('; ')}; vfmap changes nothing it keeps until the file is fixed or removed`, path);
  }
  return parsed.data as z.output<T>;
}
