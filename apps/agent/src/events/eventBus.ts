import { randomBytes } from 'node:crypto';
import type { VfmapEvent } from '@vfmap/model';

/** A listener gets each event with its id (`<boot>-<n>`), which a stream sends as `id:` for Last-Event-ID. */
export type EventListener = (event: VfmapEvent, id?: string) => void;

/** How many recent events are kept for a client that comes back with Last-Event-ID. */
const KEPT_EVENTS = 256;

/**
 * Fan-out of the agent's events to whoever listens (the SSE streams). One per agent, passed to
 * those who publish; a listener that throws does not keep the event from the others.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly countWatchers = new Set<(count: number) => void>();
  /** Ids of one run: a client resuming with an id of an earlier run gets no replay (it rereads). */
  private readonly boot = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly recent: Array<{ id: string; event: VfmapEvent }> = [];

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  /** Adds a listener; the returned function removes it (calling it twice is harmless). */
  subscribe(listener: EventListener): () => void {
    // A wrapper per subscription, so the same function subscribed twice is two listeners.
    const entry: EventListener = (event, id) => listener(event, id);
    this.listeners.add(entry);
    this.countChanged();
    return () => {
      if (this.listeners.delete(entry)) this.countChanged();
    };
  }

  publish(event: VfmapEvent): void {
    const id = `${this.boot}-${++this.seq}`;
    this.recent.push({ id, event });
    if (this.recent.length > KEPT_EVENTS) this.recent.shift();
    for (const listener of [...this.listeners]) {
      try {
        listener(event, id);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  /**
   * The events after `lastId`, for a client that reconnects with Last-Event-ID; null when that id
   * is not among those kept (another run, or too long ago): the client must read the state again.
   */
  since(lastId: string): Array<{ id: string; event: VfmapEvent }> | null {
    const at = this.recent.findIndex((r) => r.id === lastId);
    return at < 0 ? null : this.recent.slice(at + 1);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Calls `watch` with the number of listeners each time it changes (the watcher runs only while someone listens). */
  onListenerCount(watch: (count: number) => void): () => void {
    this.countWatchers.add(watch);
    return () => this.countWatchers.delete(watch);
  }

  private countChanged(): void {
    for (const watch of this.countWatchers) watch(this.listeners.size);
  }
}
