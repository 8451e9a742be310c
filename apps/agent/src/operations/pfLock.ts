/**
 * One FIFO queue per PF: an operation on a PF waits for the ones queued before it and runs
 * alone. A count change is two kernel writes (0, then N) with a re-read after; two requests on
 * one PF must never interleave those steps, or the second would see half of the first. Different
 * PFs do not wait for each other.
 */
export class PfLocks {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;

  /** Runs `task` once every task queued earlier on `pf` has settled; settles as the task does. */
  run<T>(pf: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(pf) ?? Promise.resolve();
    const result = previous.then(async () => {
      this.running++;
      try {
        return await task();
      } finally {
        this.running--;
      }
    });
    // The queue goes on whether the task succeeded or threw.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(pf, tail);
    void tail.then(() => {
      if (this.tails.get(pf) === tail) this.tails.delete(pf);
    });
    return result;
  }

  /** PFs with a task queued or running. */
  get pending(): number {
    return this.tails.size;
  }

  /** Tasks running now (at most one per PF). */
  get active(): number {
    return this.running;
  }
}
