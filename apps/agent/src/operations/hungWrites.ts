import { KernelWriteHung } from './errors';

interface Hung {
  path: string;
  value: string;
  since: number;
}

/**
 * Kernel writes that did not return in time, by PF. A write(2) to sysfs cannot be cancelled: the
 * kernel finishes it on its own (a VF removal waits as long as a VF's driver is held). So the
 * operation answers when its time is up, and until the write returns every operation on that PF
 * is refused at once with the same problem — the PF's queue never waits on it, and nothing is
 * decided on a count that is about to change. When the write returns, `onSettled` is told
 * (the agent re-reads the PF then).
 */
export class HungWrites {
  private readonly hung = new Map<string, Hung>();

  constructor(
    private readonly timeoutMs: number,
    private readonly onSettled: (pf: string, outcome: { ok: true } | { ok: false; error: unknown }) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Awaits `write`, or throws KernelWriteHung (504) once `timeoutMs` passed without an answer. */
  async within(pf: string, path: string, value: string, write: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const first = await Promise.race([write.then(() => 'done' as const), timedOut]);
      if (first === 'done') return;
    } finally {
      clearTimeout(timer);
    }
    const entry: Hung = { path, value, since: this.now() - this.timeoutMs };
    this.hung.set(pf, entry);
    write.then(
      () => this.settle(pf, entry, { ok: true }),
      (error: unknown) => this.settle(pf, entry, { ok: false, error }),
    );
    throw this.problem(pf, entry, 504);
  }

  /** Throws KernelWriteHung (409) while a write on `pf` is still running. */
  check(pf: string): void {
    const entry = this.hung.get(pf);
    if (entry) throw this.problem(pf, entry, 409);
  }

  /** PFs with a write still running. */
  get pending(): number {
    return this.hung.size;
  }

  private settle(pf: string, entry: Hung, outcome: { ok: true } | { ok: false; error: unknown }): void {
    if (this.hung.get(pf) === entry) this.hung.delete(pf);
    this.onSettled(pf, outcome);
  }

  private problem(pf: string, entry: Hung, status: 409 | 504): KernelWriteHung {
    const waited = Math.max(0, this.now() - entry.since);
    const message =
      status === 504
        ? `The write of "${entry.value}" to ${entry.path} did not return within ${seconds(this.timeoutMs)} (ETIMEDOUT): the kernel is still working on it (a VF removal waits for a held VF's driver; dmesg may say which). The write goes on; ${pf} is re-read when it returns, and operations on it are refused until then.`
        : `A write of "${entry.value}" to ${entry.path} has been running for ${seconds(waited)} and has not returned (ETIMEDOUT); nothing else is done on ${pf} until it does. Try again once it has (the topology shows the PF re-read then).`;
    return new KernelWriteHung(message, status, entry.path, pf, entry.value, waited);
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
