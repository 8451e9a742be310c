import type { HostStatus } from '@vfmap/model';
import { PeerUnreachableError } from './peerRequest';

export interface PeerStatusOptions {
  /** A peer that stopped answering stays `stale` this long (a blip, a slow moment), then is `unreachable`. */
  staleLimitMs?: number;
  /** An answer older than this is `stale` even without a failure (the refresh loop stopped reaching it). */
  staleAfterMs?: number;
  /** The first retry after a failure; doubled at each failure up to backoffMaxMs. */
  backoffMs?: number;
  backoffMaxMs?: number;
  now?: () => number;
}

/**
 * Whether a peer answers, in the Prometheus `up` idiom plus the age of its last answer: ok,
 * stale (its last answer is kept but it does not answer now), unreachable (nothing listens, or it
 * has not answered for a while, or ever), unauthorized (its certificate is not the one this agent
 * trusts). After a failure the peer is asked again only after a backoff that doubles up to a cap.
 */
export class PeerStatus {
  lastSeen: number | null = null;
  private failures = 0;
  private failingSince: number | null = null;
  private lastFailure: { at: number; error: unknown } | null = null;
  private reported: HostStatus | null = null;
  private readonly clock: () => number;

  constructor(
    private readonly options: PeerStatusOptions,
    private readonly onChange: (status: HostStatus, problem: string | null) => void,
  ) {
    this.clock = options.now ?? Date.now;
  }

  answered(): void {
    this.lastSeen = this.clock();
    this.failures = 0;
    this.failingSince = null;
    this.lastFailure = null;
    this.report();
  }

  failed(error: unknown): void {
    const at = this.clock();
    this.failures += 1;
    this.failingSince ??= at;
    this.lastFailure = { at, error };
    this.report();
  }

  /** Whether the backoff allows asking the peer now. */
  mayTry(): boolean {
    if (!this.lastFailure) return true;
    const wait = Math.min((this.options.backoffMs ?? 1000) * 2 ** (this.failures - 1), this.options.backoffMaxMs ?? 30_000);
    return this.clock() - this.lastFailure.at >= wait;
  }

  /** What the last attempt failed with, while the peer has not answered since. */
  lastError(): unknown {
    return this.lastFailure?.error ?? null;
  }

  secondsSinceSeen(): number | null {
    return this.lastSeen === null ? null : Math.max(0, Math.round((this.clock() - this.lastSeen) / 1000));
  }

  /** The status now, with why it is not ok. */
  current(): { status: HostStatus; problem: string | null } {
    const failure = this.lastFailure;
    if (failure) {
      const problem = messageOf(failure.error);
      const kind = failure.error instanceof PeerUnreachableError ? failure.error.kind : 'failed';
      if (kind === 'tls') return { status: 'unauthorized', problem };
      if (this.lastSeen === null || kind === 'refused') return { status: 'unreachable', problem };
      const failingFor = this.clock() - (this.failingSince ?? failure.at);
      return { status: failingFor < (this.options.staleLimitMs ?? 30_000) ? 'stale' : 'unreachable', problem };
    }
    if (this.lastSeen === null) return { status: 'unreachable', problem: 'waiting for its first answer' };
    if (this.clock() - this.lastSeen > (this.options.staleAfterMs ?? 60_000)) return { status: 'stale', problem: 'not asked again since its last answer' };
    return { status: 'ok', problem: null };
  }

  close(): void {
    this.reported = null;
  }

  private report(): void {
    const { status, problem } = this.current();
    if (status === this.reported) return;
    this.reported = status;
    this.onChange(status, problem);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
