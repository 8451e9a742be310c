import { clientKey } from './clientKey';

/** Why a stream was not opened: every slot is taken, or the client's address holds its share. */
export type EventClientRefusal = { reason: 'event-streams-full' | 'event-streams-per-address'; limit: number };

/**
 * The event streams open at once: at most `max` over both event routes and every listener, and
 * at most `perAddress` for one client address (an IPv6 /64, server/clientKey.ts), so that one
 * client cannot take every slot. Each stream holds a socket, a keep-alive timer and its
 * subscriptions for as long as the client stays; without a bound 2000 idle clients were held.
 */
export class EventClientLimit {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(
    readonly max: number,
    readonly perAddress: number,
  ) {}

  get open(): number {
    return this.total;
  }

  /** A slot for a stream of `address`, with the function that gives it back (once, however often called); or why not. */
  acquire(address: string | undefined): { release: () => void } | { refused: EventClientRefusal } {
    const key = clientKey(address);
    const held = this.byAddress.get(key) ?? 0;
    if (this.total >= this.max) return { refused: { reason: 'event-streams-full', limit: this.max } };
    if (held >= this.perAddress) return { refused: { reason: 'event-streams-per-address', limit: this.perAddress } };
    this.total++;
    this.byAddress.set(key, held + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.byAddress.get(key) ?? 1) - 1;
        if (left === 0) this.byAddress.delete(key);
        else this.byAddress.set(key, left);
      },
    };
  }
}
