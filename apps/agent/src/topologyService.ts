import { createHash } from 'node:crypto';
import type { RunningFacts, Topology } from '@vfmap/model';
import { annotateTopology, applyRunningHolders, findDrift, type Hypervisor } from '@vfmap/hypervisors';
import { readVfSettings, sameTargets, vfSettingsDigest, vfSettingsTargets, withVfSettings, type IpLinkShow, type VfSettingsRead } from '@vfmap/sysfs';
import { pciIdsRootsFor } from './pciIdsRoots';
import type { Scanner } from './scanner';

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
  /**
   * While one caller's check is under way, the others are answered from the last topology the
   * fingerprint confirmed if it was confirmed at most recheckMs + this ago (default: recheckMs), instead
   * of all waiting for the check: under load, a check every recheckMs would otherwise stall every
   * request for its duration. Never a topology a check has found outdated, nor one invalidated.
   */
  graceMs?: number;
  now?: () => number;
  /**
   * Reads a PF's VF settings as `ip -j -d link show dev <pf>` prints them (kernel/vfSettingsReader.ts
   * picks the real `ip` or the simulated kernel's); without one, every VF's config is null.
   */
  ipLinkShow?: IpLinkShow | null;
  /**
   * Reads what running QEMU processes hold (readRunningQemus over the root, or the root helper's
   * `runningHolders` in the privilege split): part of the fingerprint, so that a VM started or a
   * device hot-plugged shows at the next check, and put on the topology after the configs'
   * holders (applyRunningHolders). Without one, holders come from the configs alone.
   */
  runningHolders?: (() => Promise<RunningFacts>) | null;
  /**
   * The VFs of a scanned topology that the operator asked vfmap to keep on vfio-pci (the desired
   * state): bound on purpose, so no drift finding calls them a leak.
   */
  keptOnVfio?: (topology: Topology) => Promise<ReadonlySet<string>>;
  onScan?: (durationMs: number, topology: Topology) => void;
}

/**
 * Holds the last scanned topology and rescans only when a cheap fingerprint of sysfs, of the
 * hypervisor and of the VF settings says something changed (the kernel is the source of truth;
 * nothing is stored). Concurrent callers share one scan in flight.
 *
 * VF settings live in the PF's driver, not in sysfs: the fingerprint includes what `ip` prints
 * for each PF of the last topology that has a netdev and VFs (one call per PF), so a setting
 * changed from a shell shows at the next check. A scan reuses those reads when its PFs are the
 * same ones, and reads again otherwise; the fingerprint it keeps covers the reads it used.
 */
export class TopologyService {
  private current: TopologySnapshot | null = null;
  private inFlight: { promise: Promise<TopologySnapshot>; full: boolean; seq: number } | null = null;
  /** Numbers the refreshes in the order they start. */
  private seq = 0;
  /** Refreshes numbered up to this one started before the last invalidate(): their result is not kept. */
  private invalidatedSeq = 0;
  private lastCheckAt = Number.NEGATIVE_INFINITY;
  /** A check found the host changed and the rescan is under way: the cached topology is known to be old. */
  private outdated = false;
  private readonly recheckMs: number;
  private readonly graceMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TopologyServiceOptions) {
    this.recheckMs = options.recheckMs ?? 1000;
    this.graceMs = options.graceMs ?? this.recheckMs;
    this.now = options.now ?? Date.now;
  }

  get hypervisorKind() {
    return this.options.hypervisor.kind;
  }

  /** The current topology, rescanned if the host changed since the last scan. */
  async get(): Promise<TopologySnapshot> {
    const cached = this.current && !this.outdated ? this.current : null;
    const age = this.now() - this.lastCheckAt;
    if (this.inFlight) {
      if (cached && age < this.recheckMs + this.graceMs) return cached;
      // A refresh begun before the last invalidate() is not what this caller asked for.
      return this.inFlight.seq > this.invalidatedSeq ? this.inFlight.promise : this.startedAfterNow(false);
    }
    if (cached && age < this.recheckMs) return cached;
    return this.start(false);
  }

  /**
   * The last topology read, without checking the host again: for what a scan cannot change
   * between two page loads (the hostname in the host list). Reads once if nothing was read yet.
   */
  async latest(): Promise<TopologySnapshot> {
    return this.current ?? this.get();
  }

  /** Like get(), but the fingerprint is read after this call, however recent the last check (the change watcher). */
  check(): Promise<TopologySnapshot> {
    return this.startedAfterNow(false);
  }

  /**
   * A full scan begun after this call, whatever the fingerprint says: what an operation decides
   * on and answers with. The fingerprint does not cover everything (driver_override, IOMMU group
   * membership), and a write must never act on a cached view.
   */
  scanNow(): Promise<TopologySnapshot> {
    return this.startedAfterNow(true);
  }

  /** Forgets the cache: the next get() scans, and a scan that started earlier is not kept. */
  invalidate(): void {
    this.current = null;
    this.outdated = false;
    this.lastCheckAt = Number.NEGATIVE_INFINITY;
    this.invalidatedSeq = this.seq;
  }

  /** One refresh at a time: wait for the one in flight unless it already started after us and does what we need. */
  private async startedAfterNow(full: boolean): Promise<TopologySnapshot> {
    const after = this.seq;
    for (;;) {
      const flight = this.inFlight;
      if (flight && flight.seq > after && (flight.full || !full)) return flight.promise;
      if (!flight) return this.start(full);
      await flight.promise.catch(() => undefined);
    }
  }

  private start(full: boolean): Promise<TopologySnapshot> {
    const seq = ++this.seq;
    const promise = this.refresh(full ? null : this.current, seq).finally(() => {
      if (this.inFlight?.seq === seq) this.inFlight = null;
    });
    this.inFlight = { promise, full, seq };
    return promise;
  }

  /** sysfs's and the hypervisor's fingerprints, and the VF settings of the PFs `base` has. */
  private async readFingerprint(base: Topology | null): Promise<{ sys: string; hv: string; vf: VfSettingsRead[]; running: RunningFacts | null }> {
    const running = this.options.runningHolders;
    const [sys, hvConfig, vf, facts] = await Promise.all([
      this.options.scanner.fingerprint(this.options.root),
      this.options.hypervisor.fingerprint(),
      this.readVfSettings(base),
      running ? running() : Promise.resolve(null),
    ]);
    // The running facts join the hypervisor's part: who holds what, from configs and from processes.
    const hv = facts === null ? hvConfig : `${hvConfig}\0${JSON.stringify(facts)}`;
    return { sys, hv, vf, running: facts };
  }

  private readVfSettings(base: Topology | null): Promise<VfSettingsRead[]> {
    const show = this.options.ipLinkShow;
    return show && base ? readVfSettings(vfSettingsTargets(base), show) : Promise.resolve([]);
  }

  private async refresh(cached: TopologySnapshot | null, seq: number): Promise<TopologySnapshot> {
    // The fingerprint is read before the scan: a change during the scan shows at the next check.
    const { sys, hv, vf, running } = await this.readFingerprint(this.current?.topology ?? cached?.topology ?? null);
    const fingerprint = fingerprintOf(sys, hv, vf);
    const kept = () => seq > this.invalidatedSeq;
    if (kept()) this.lastCheckAt = this.now();
    if (cached && cached.fingerprint === fingerprint) return cached;
    if (kept() && this.current && this.current.fingerprint !== fingerprint) this.outdated = true;

    const started = this.now();
    const { root, hostId } = this.options;
    const request = { root, pciIdsRoots: pciIdsRootsFor(root), ...(hostId === undefined ? {} : { hostId }) };
    const [scanned, snapshot] = await Promise.all([this.options.scanner.scan(request), this.options.hypervisor.snapshot()]);
    // The settings of this scan's PFs: those the fingerprint read, unless the PFs or their netdevs changed.
    const targets = this.options.ipLinkShow ? vfSettingsTargets(scanned) : [];
    const vfReads = sameTargets(targets, vf) ? vf : await this.readVfSettings(scanned);
    const annotated = annotateTopology({ ...scanned, host: { ...scanned.host, hypervisor: this.options.hypervisor.kind } }, snapshot);
    const keptOnVfio = await (this.options.keptOnVfio?.(annotated) ?? Promise.resolve(new Set<string>()));
    const drift = findDrift({ configured: annotated, snapshot, running, keptOnVfio });
    const topology = { ...withVfSettings(running ? applyRunningHolders(annotated, running) : annotated, vfReads), drift };
    this.options.onScan?.(this.now() - started, topology);
    const next = { topology, etag: etagOf(topology), fingerprint: vfReads === vf ? fingerprint : fingerprintOf(sys, hv, vfReads) };
    if (kept()) {
      this.current = next;
      this.outdated = false;
    }
    return next;
  }
}

function fingerprintOf(sys: string, hv: string, vf: readonly VfSettingsRead[]): string {
  return createHash('sha1').update(sys).update('\0').update(hv).update('\0').update(vfSettingsDigest(vf)).digest('hex');
}

export function etagOf(topology: Topology): string {
  const { collectedAt: _collectedAt, ...host } = topology.host;
  const digest = createHash('sha1')
    .update(JSON.stringify({ ...topology, host }))
    .digest('base64url');
  return `"${digest}"`;
}
