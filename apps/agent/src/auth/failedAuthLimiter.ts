import { clientKey } from '../server/clientKey';

export interface FailedAuthLimits {
  /** Failures an address may have within the window; the next write is refused. */
  maxFailures: number;
  windowMs: number;
  /** Addresses remembered at most; beyond, those whose failures left the window go first, then the least recently seen. */
  maxAddresses?: number;
  now?: () => number;
}

export const MAX_REMEMBERED_ADDRESSES = 10_000;

interface Record {
  /** When each failure within the window happened, oldest first; never more than maxFailures. */
  failures: number[];
  /** Refusals (429) of the current lockout: the audit takes the first `maxFailures` of them, counts the rest. */
  refusals: number;
}

/**
 * Failed write authentications per client address (an IPv6 /64, server/clientKey.ts), over a
 * sliding window: an address with `maxFailures` failures in the last `windowMs` is refused every
 * write until its oldest failure leaves the window — before its token is looked at, so a guesser
 * learns nothing more however right its next guess is. Only failures count: a refusal does not
 * extend the lockout, and a success (anyone's) resets nothing. The memory is bounded
 * (`maxAddresses`), so that a scan from many addresses cannot grow it without end.
 */
export class FailedAuthLimiter {
  private readonly records = new Map<string, Record>();
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(private readonly limits: FailedAuthLimits) {
    this.maxAddresses = limits.maxAddresses ?? MAX_REMEMBERED_ADDRESSES;
    this.now = limits.now ?? Date.now;
  }

  get size(): number {
    return this.records.size;
  }

  /** Seconds until `address` may write again, or null when it may now. Counts the refusal: `audited` says whether it is one the audit takes. */
  refusal(address: string | undefined): { retryAfterSeconds: number; audited: boolean; unaudited: number } | null {
    const key = clientKey(address);
    const record = this.records.get(key);
    if (!record) return null;
    const now = this.now();
    this.prune(record, now);
    if (record.failures.length < this.limits.maxFailures) {
      record.refusals = 0;
      return null;
    }
    record.refusals++;
    const audited = record.refusals <= this.limits.maxFailures;
    const unaudited = audited ? 0 : record.refusals - this.limits.maxFailures;
    return { retryAfterSeconds: Math.max(1, Math.ceil((record.failures[0]! + this.limits.windowMs - now) / 1000)), audited, unaudited };
  }

  /** Counts a failed authentication of `address`; returns how many it has within the window now. */
  fail(address: string | undefined): number {
    const key = clientKey(address);
    const now = this.now();
    const record = this.records.get(key) ?? { failures: [], refusals: 0 };
    this.prune(record, now);
    record.failures.push(now);
    if (record.failures.length > this.limits.maxFailures) record.failures.shift();
    // Re-inserted: the Map's order is then the order addresses were last seen in.
    this.records.delete(key);
    this.records.set(key, record);
    this.evict(now);
    return record.failures.length;
  }

  private prune(record: Record, now: number): void {
    while (record.failures.length > 0 && record.failures[0]! <= now - this.limits.windowMs) record.failures.shift();
  }

  private evict(now: number): void {
    if (this.records.size <= this.maxAddresses) return;
    for (const [key, record] of this.records) {
      this.prune(record, now);
      if (record.failures.length === 0) this.records.delete(key);
    }
    // Still full of addresses failing now: the least recently seen are forgotten.
    for (const key of this.records.keys()) {
      if (this.records.size <= this.maxAddresses) break;
      this.records.delete(key);
    }
  }
}
