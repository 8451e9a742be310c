import type { DesiredPfState, Pf } from '@vfmap/model';
import type { DesiredStore } from './desiredStore';

/**
 * A DesiredStore in memory: for tests of the operations, and for an agent that has no file-backed
 * store (what is kept is then lost when the agent stops). Changes are serialized as the
 * interface promises, and a kept state for another card in the slot reads as none.
 */
export class MemoryDesiredStore implements DesiredStore {
  private readonly pfs = new Map<string, DesiredPfState>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(initial: Record<string, DesiredPfState> = {}) {
    for (const [address, state] of Object.entries(initial)) this.pfs.set(address, structuredClone(state));
  }

  read(): Promise<Record<string, DesiredPfState>> {
    return Promise.resolve(structuredClone(Object.fromEntries(this.pfs)));
  }

  update(pf: Pick<Pf, 'address' | 'vendorId' | 'deviceId'>, change: (current: DesiredPfState | null) => DesiredPfState | null): Promise<DesiredPfState | null> {
    const done = this.queue.then(() => {
      const kept = this.pfs.get(pf.address) ?? null;
      const current = kept && kept.vendorId === pf.vendorId && kept.deviceId === pf.deviceId ? structuredClone(kept) : null;
      const next = change(current);
      if (next === null) this.pfs.delete(pf.address);
      else this.pfs.set(pf.address, structuredClone(next));
      return next;
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  restore(address: string, entry: DesiredPfState | null): Promise<void> {
    const done = this.queue.then(() => {
      if (entry === null) this.pfs.delete(address);
      else this.pfs.set(address, structuredClone(entry));
    });
    this.queue = done.catch(() => undefined);
    return done;
  }
}
