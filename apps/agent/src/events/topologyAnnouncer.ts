import type { EventBus } from './eventBus';

/**
 * Publishes topology.changed when, and only when, the topology's ETag differs from the last one
 * announced: an operation's re-read and the periodic check can both see the same change, and
 * clients should refetch once.
 */
export class TopologyAnnouncer {
  constructor(
    private readonly bus: EventBus,
    private readonly host: string,
    private lastEtag: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Returns whether an event went out. */
  announce(snapshot: { etag: string }, reason: 'operation' | 'external'): boolean {
    if (snapshot.etag === this.lastEtag) return false;
    this.lastEtag = snapshot.etag;
    this.bus.publish({ type: 'topology.changed', host: this.host, etag: snapshot.etag, reason, at: this.now().toISOString() });
    return true;
  }
}
