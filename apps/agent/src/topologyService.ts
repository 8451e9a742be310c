import { createHash } from 'node:crypto';
import type { Topology } from '@vfmap/model';
import { annotateTopology, type Hypervisor } from '@vfmap/hypervisors';
import { pciIdsRootsFor, type Scanner } from './scanner';

export interface TopologySnapshot {
  topology: Topology;
  /** Strong ETag over everything but collectedAt: equal ETag, equal topology. */
  etag: string;
  fingerprint: string;
}

export interface TopologyServiceOptions {
  root: string;
  hostId?: string;
  hypervisor: Hypervisor;
  scanner: Scanner;
  /** Fingerprint checks closer together than this reuse the last one (a burst of requests pays once). */
  recheckMs?: number;
  now?: () => number;
  onScan?: (durationMs: number, topology: Topology) => void;
}

/**
 * Holds the last scanned topology and rescans only when a cheap fingerprint of sysfs and of
 * the hypervisor says something changed (the kernel is the source of truth; nothing is stored).
 * Concurrent callers share one scan in flight.
 */
export class TopologyService {
  private current: TopologySnapshot | null = null;
  private inFlight: Promise<TopologySnapshot> | null = null;
  private lastCheckAt = Number.NEGATIVE_INFINITY;
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TopologyServiceOptions) {
    this.recheckMs = options.recheckMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  get hypervisorKind() {
    return this.options.hypervisor.kind;
  }

  /** The current topology, rescanned if the host changed since the last scan. */
  async get(): Promise<TopologySnapshot> {
    if (this.inFlight) return this.inFlight;
    const cached = this.current;
    if (cached && this.now() - this.lastCheckAt < this.recheckMs) return cached;
    this.inFlight = this.refresh(cached).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Forgets the cache: the next get() scans (after a write the agent made itself). */
  invalidate(): void {
    this.current = null;
    this.lastCheckAt = Number.NEGATIVE_INFINITY;
  }

  private async fingerprint(): Promise<string> {
    const [sys, hv] = await Promise.all([this.options.scanner.fingerprint(this.options.root), this.options.hypervisor.fingerprint()]);
    return createHash('sha1').update(sys).update('\0').update(hv).digest('hex');
  }

  private async refresh(cached: TopologySnapshot | null): Promise<TopologySnapshot> {
    const fingerprint = await this.fingerprint();
    this.lastCheckAt = this.now();
    if (cached && cached.fingerprint === fingerprint) return cached;

    const started = this.now();
    const { root, hostId } = this.options;
    const request = { root, pciIdsRoots: pciIdsRootsFor(root), ...(hostId === undefined ? {} : { hostId }) };
    const [scanned, snapshot] = await Promise.all([this.options.scanner.scan(request), this.options.hypervisor.snapshot()]);
    const topology = annotateTopology(
      { ...scanned, host: { ...scanned.host, hypervisor: this.options.hypervisor.kind } },
      snapshot,
    );
    this.options.onScan?.(this.now() - started, topology);
    const next = { topology, etag: etagOf(topology), fingerprint };
    this.current = next;
    return next;
  }
}

export function etagOf(topology: Topology): string {
  const { collectedAt: _collectedAt, ...host } = topology.host;
  const digest = createHash('sha1')
    .update(JSON.stringify({ ...topology, host }))
    .digest('base64url');
  return `"${digest}"`;
}
