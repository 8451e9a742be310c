import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AuditPfState, AuditVfState, AuditWho, DesiredPfState, OperationKind, PciAddress } from '@vfmap/model';
import { syncDir, writeFileAtomic } from '../state/writeFileAtomic';

/**
 * The mark an operation leaves in `<stateDir>/running/<id>.json` just before it first touches the
 * kernel or the hypervisor, removed once its audit entry is written. A mark whose process is gone
 * is an operation that was interrupted: the next start audits it as such (interrupted.ts).
 */
export const RunningOperation = z.object({
  version: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  /** The process that ran it: a mark of a live process (apply-desired running beside the agent) is not interrupted. */
  pid: z.number().int().positive(),
  startedAt: z.string().datetime({ offset: true }),
  host: z.string(),
  who: AuditWho,
  operation: OperationKind,
  target: PciAddress,
  request: z.record(z.string(), z.unknown()),
  before: z.union([AuditPfState, AuditVfState]).nullable(),
  /** numvfs: the PF's desired state before the operation (null: none), put back when it was interrupted (a count-only one of earlier versions reads as one). */
  desiredBefore: DesiredPfState.nullable().optional(),
});
export type RunningOperation = z.infer<typeof RunningOperation>;

export interface LeftBehind {
  marks: RunningOperation[];
  /** Files in the directory that are not marks (torn by a power cut before the rename made them whole: impossible, but said). */
  unreadable: string[];
}

export class OperationJournal {
  constructor(
    readonly dir: string,
    private readonly alive: (pid: number) => boolean = processAlive,
  ) {}

  /** Written whole (temp, fsync, rename, fsync of the directory) before the operation acts. */
  async begin(mark: RunningOperation): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path(mark.id), `${JSON.stringify(RunningOperation.parse(mark))}\n`);
  }

  async end(id: string): Promise<void> {
    await unlink(this.path(id)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await syncDir(this.dir).catch(() => undefined);
  }

  /** Marks of processes that no longer run, oldest first. */
  async leftBehind(): Promise<LeftBehind> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { marks: [], unreadable: [] };
      throw err;
    }
    const marks: RunningOperation[] = [];
    const unreadable: string[] = [];
    for (const name of names) {
      // Temporary files of a begin() the crash cut short: the operation had not acted yet.
      if (name.startsWith('.')) {
        await unlink(join(this.dir, name)).catch(() => undefined);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      const parsed = RunningOperation.safeParse(parseJson(await readFile(join(this.dir, name), 'utf8').catch(() => '')));
      if (!parsed.success) {
        unreadable.push(name);
        continue;
      }
      if (!this.alive(parsed.data.pid) || parsed.data.pid === process.pid) marks.push(parsed.data);
    }
    marks.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    return { marks, unreadable };
  }

  private path(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The process still runs. A zombie does not: it has exited, only its exit status waits for a
 * parent to read it — the split agent's HTTP side, orphaned when its root helper was killed, stays
 * one until the new parent (pid 1, slow to reap in a container) reaps it, and kill(pid, 0)
 * succeeds on it. Its marks are interrupted operations like any other.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

/** /proc/<pid>/stat's state is Z (Linux); false where it cannot be read (no /proc: the process is taken as running). */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "pid (comm) state …": comm may hold spaces and parentheses, so the state follows the last ')'.
  return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
}
