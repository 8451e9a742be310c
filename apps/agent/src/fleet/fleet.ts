import type http from 'node:http';
import type { HostStatus, VfmapEvent } from '@vfmap/model';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { createLimiter, type Limiter } from './limiter';
import { PeerHost, type PeerHostOptions } from './peerHost';
import type { PeerSource } from './sources/peerSource';
import type { PeerTarget } from './sources/peerTarget';

export interface FleetOptions {
  /** This server's id: the local host's, or the hub's. A peer that answers with it is this server itself. */
  selfId: string;
  /** Where the peers come from; the fleet owns them and closes them with itself. */
  sources: PeerSource[];
  /** Verifies a target as its source says (fingerprint, CA), or plain HTTP. */
  transportFor: (target: PeerTarget) => http.Agent;
  /** The credential a target accepts for forwarded writes (read at each write: it may be rotated). */
  credentialFor: (target: PeerTarget) => string | null;
  readTimeoutMs?: number;
  writeTimeoutMs?: number;
  /** How often every peer is asked again (a 304 when nothing changed). */
  refreshMs?: number;
  /** Requests in flight at once across the fleet. */
  concurrency?: number;
  staleLimitMs?: number;
  backoffMs?: number;
  backoffMaxMs?: number;
  logger: Logger;
  metrics?: Metrics;
  now?: () => number;
}

export const READ_TIMEOUT_MS = 5_000;
export const WRITE_TIMEOUT_MS = 30_000;
export const REFRESH_MS = 10_000;
export const CONCURRENCY = 32;

/**
 * The peers this server serves besides its own host: made from the sources' targets (a target
 * list change adds and removes them), asked again every refreshMs with at most `concurrency`
 * requests in flight, so one slow or dead peer never holds up the others.
 */
export class Fleet {
  private readonly peers = new Map<string, PeerHost>();
  private readonly limiter: Limiter;
  private readonly topologiesInFlight = new Set<Promise<void>>();
  private readonly statusListeners = new Set<(event: VfmapEvent) => void>();
  private readonly unsubscribeSources: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private firstRound: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: FleetOptions) {
    this.limiter = createLimiter(options.concurrency ?? CONCURRENCY);
  }

  /** Takes the sources' targets, asks every peer once, and again every refreshMs. */
  start(): void {
    for (const source of this.options.sources) {
      this.unsubscribeSources.push(source.onChange(() => this.sync()));
    }
    this.sync();
    const tick = () => {
      void this.refreshAll();
      this.timer = setTimeout(tick, this.options.refreshMs ?? REFRESH_MS);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, this.options.refreshMs ?? REFRESH_MS);
    this.timer.unref();
  }

  /**
   * Waits until every peer was asked at least once, at most `ms`: the first host list of a cold
   * server has counts for every peer that answers quickly; the others say they are waiting.
   */
  async settled(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const sourcesRead = Promise.all(this.options.sources.map((s) => s.ready()));
    // The sources' first reads add peers (and their first round) as they come in.
    const firstAnswers = sourcesRead.then(async () => {
      let round: Promise<void>;
      do {
        round = this.firstRound;
        await round;
      } while (round !== this.firstRound);
    });
    await Promise.race([firstAnswers, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** Waits, at most `ms`, for the topologies being fetched now (a search right after a cold start). */
  async topologiesSettled(ms: number): Promise<void> {
    await this.settled(ms);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.topologiesInFlight]), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /**
   * Every peer shown, in target order. A peer that turns out to be this server, or a second
   * target answering with an id another peer already has, is left out (and logged once).
   */
  hosts(): PeerHost[] {
    const seen = new Set<string>([this.options.selfId]);
    const shown: PeerHost[] = [];
    for (const peer of this.peers.values()) {
      if (seen.has(peer.id)) continue;
      seen.add(peer.id);
      shown.push(peer);
    }
    return shown;
  }

  get(id: string): PeerHost | undefined {
    return this.hosts().find((p) => p.id === id);
  }

  /** host.status events: a peer answered again, stopped answering, or refused this server. */
  onStatus(listener: (event: VfmapEvent) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Asks every peer the backoff allows for its summary, then revalidates its topology
   * (If-None-Match: an unchanged peer answers 304), all through the shared limiter.
   */
  refreshAll(): Promise<void> {
    return Promise.all([...this.peers.values()].map((peer) => this.refreshPeer(peer))).then(() => undefined);
  }

  /** The summary first; the topology after it, without holding up what waits for summaries. */
  private refreshPeer(peer: PeerHost, force = false): Promise<void> {
    return this.limiter(() => peer.refresh({ force })).then(() => {
      const topology = this.limiter(() => peer.refreshTopology()).finally(() => this.topologiesInFlight.delete(topology));
      this.topologiesInFlight.add(topology);
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const off of this.unsubscribeSources) off();
    for (const source of this.options.sources) source.close();
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }

  /** Makes the peers match the sources' targets: new ones are asked at once, gone ones closed. */
  private sync(): void {
    if (this.closed) return;
    const targets = new Map<string, PeerTarget>();
    for (const source of this.options.sources) {
      for (const target of source.current()) if (!targets.has(target.url)) targets.set(target.url, target);
    }
    for (const [url, peer] of this.peers) {
      const target = targets.get(url);
      if (!target || JSON.stringify(target.tls) !== JSON.stringify(peer.target.tls)) {
        peer.close();
        this.peers.delete(url);
        // Gone from its source, the peer is no target any more: its series goes, as `up` does for a target Prometheus no longer scrapes.
        this.options.metrics?.peerUp.remove({ host: peer.id });
        this.options.logger.info({ peer: url, host: peer.id }, target ? 'fleet peer certificate changed' : 'fleet peer gone from its source');
      } else {
        peer.target = target;
      }
    }
    const added: PeerHost[] = [];
    for (const [url, target] of targets) {
      if (this.peers.has(url)) continue;
      const peer = new PeerHost(target, this.peerOptions(target));
      this.peers.set(url, peer);
      added.push(peer);
      this.options.logger.info({ peer: url, name: target.name, source: target.source }, 'fleet peer added');
    }
    if (added.length > 0) {
      const round = Promise.all(added.map((peer) => this.refreshPeer(peer, true))).then(() => undefined);
      this.firstRound = Promise.all([this.firstRound, round]).then(() => undefined);
    }
  }

  private peerOptions(target: PeerTarget): PeerHostOptions {
    const o = this.options;
    return {
      selfId: o.selfId,
      transport: o.transportFor(target),
      readTimeoutMs: o.readTimeoutMs ?? READ_TIMEOUT_MS,
      writeTimeoutMs: o.writeTimeoutMs ?? WRITE_TIMEOUT_MS,
      credential: () => o.credentialFor(target),
      staleAfterMs: 3 * (o.refreshMs ?? REFRESH_MS),
      ...(o.staleLimitMs === undefined ? {} : { staleLimitMs: o.staleLimitMs }),
      ...(o.backoffMs === undefined ? {} : { backoffMs: o.backoffMs }),
      ...(o.backoffMaxMs === undefined ? {} : { backoffMaxMs: o.backoffMaxMs }),
      ...(o.now ? { now: o.now } : {}),
      onStatus: (peer, status, problem) => this.statusChanged(peer, status, problem),
    };
  }

  private statusChanged(peer: PeerHost, status: HostStatus, problem: string | null): void {
    if (this.closed) return;
    this.options.metrics?.peerUp.set({ host: peer.id }, status === 'ok' ? 1 : 0);
    const log = status === 'ok' ? this.options.logger.info.bind(this.options.logger) : this.options.logger.warn.bind(this.options.logger);
    log({ peer: peer.target.url, host: peer.id, status, problem }, 'fleet peer status');
    const event: VfmapEvent = { type: 'host.status', host: peer.id, status, problem, at: new Date().toISOString() };
    for (const listener of [...this.statusListeners]) listener(event);
  }
}
