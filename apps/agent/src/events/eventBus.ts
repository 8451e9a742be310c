import type { VfmapEvent } from '@vfmap/model';

export type EventListener = (event: VfmapEvent) => void;

/**
 * Fan-out of the agent's events to whoever listens (the SSE streams). One per agent, passed to
 * those who publish; a listener that throws does not keep the event from the others.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly countWatchers = new Set<(count: number) => void>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  /** Adds a listener; the returned function removes it (calling it twice is harmless). */
  subscribe(listener: EventListener): () => void {
    // A wrapper per subscription, so the same function subscribed twice is two listeners.
    const entry: EventListener = (event) => listener(event);
    this.listeners.add(entry);
    this.countChanged();
    return () => {
      if (this.listeners.delete(entry)) this.countChanged();
    };
  }

  publish(event: VfmapEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
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
