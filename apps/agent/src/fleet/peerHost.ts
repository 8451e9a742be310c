import type http from 'node:http';
import { HostList, Topology, type HostStatus, type HostSummary, type VfmapEvent } from '@vfmap/model';
import type { EventListener } from '../events/eventBus';
import { PeerError } from '../errors';
import { PeerStatus, type PeerStatusOptions } from './peerStatus';
import { FORWARDED_BY, peerRequest, PeerUnreachableError, type PeerAnswer } from './peerRequest';
import { PeerEventStream } from './peerEventStream';
import type { PeerTarget } from './sources/peerTarget';

export interface PeerHostOptions extends PeerStatusOptions {
  /** The id of this server, sent as the loop guard on every request. */
  selfId: string;
  /** Verifies the peer (TLS pinning or CA) before a request is written. */
  transport: http.Agent;
  /** Reads (host list, topology, audit): pveproxy's and Prometheus' few seconds. */
  readTimeoutMs: number;
  /** Forwarded writes: a count change can take the kernel many seconds (pveproxy waits 30 s). */
  writeTimeoutMs: number;
  /** The credential the peer accepts for forwarded writes, read when a write is forwarded. */
  credential: () => string | null;
  onStatus?: (host: PeerHost, status: HostStatus, problem: string | null) => void;
  now?: () => number;
}

/** The last topology a peer sent, with its ETag. */
export interface PeerTopology {
  topology: Topology;
  etag: string;
  /** Seconds since the peer last confirmed it; set when the peer does not answer now. */
  staleSeconds: number | null;
}

/** A write or audit read passed on to the owning agent as it came. */
export interface ForwardedRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** The principal of the token the user showed this agent. */
  principal: string | null;
  /** The write's If-Match, passed on as it came: the peer checks it against its own host. */
  ifMatch?: string;
}

/** Why a peer's answer could not be used: it answered, but not what an agent answers. */
export class PeerAnswerError extends Error {
  override readonly name = 'PeerAnswerError';
}

/**
 * One host served by another agent. Keeps the last good answers (summary, topology with its ETag)
 * and serves them marked stale when the peer stops answering; asks it again only when its backoff
 * allows, so a dead peer costs its timeout once and not per request. Every request carries the
 * loop guard (x-vfmap-forwarded-by): the peer answers for itself only and forwards nothing.
 */
export class PeerHost {
  readonly kind = 'peer' as const;
  readonly status: PeerStatus;
  private known: HostSummary | null = null;
  private cached: { topology: Topology; etag: string } | null = null;
  private topologyDirty = true;
  private refreshing: Promise<void> | null = null;
  private fetchingTopology: Promise<PeerTopology> | null = null;
  private readonly events: PeerEventStream;
  private readonly listeners = new Set<EventListener>();

  constructor(
    public target: PeerTarget,
    private readonly options: PeerHostOptions,
  ) {
    this.status = new PeerStatus(options, (status, problem) => options.onStatus?.(this, status, problem));
    this.events = new PeerEventStream({
      url: () => new URL(`/api/v1/hosts/${encodeURIComponent(this.id)}/events`, this.target.url),
      transport: options.transport,
      headers: () => ({ [FORWARDED_BY]: options.selfId }),
      onEvent: (event) => this.onPeerEvent(event),
      onDown: (err) => this.status.failed(err),
    });
  }

  /** The id the peer gave itself; before it first answered, the name its source gives. */
  get id(): string {
    return this.known?.id ?? this.target.name;
  }

  get hasAnswered(): boolean {
    return this.known !== null;
  }

  /** What GET /api/v1/hosts says of this host: the last answer, with its age and status now. */
  summary(): HostSummary {
    const status = this.status.current();
    const lastSeen = this.status.lastSeen;
    const base = this.known;
    return {
      id: this.id,
      hostname: base?.hostname ?? this.target.name,
      hypervisor: base?.hypervisor ?? this.target.hypervisor,
      url: `/api/v1/hosts/${encodeURIComponent(this.id)}/topology`,
      ...(base?.readOnly === undefined ? {} : { readOnly: base.readOnly }),
      local: false,
      status: status.status,
      lastSeen: lastSeen === null ? null : new Date(lastSeen).toISOString(),
      ageSeconds: lastSeen === null ? null : Math.max(0, Math.round((this.now() - lastSeen) / 1000)),
      version: base?.version ?? null,
      counts: base?.counts ?? null,
      capacity: base?.capacity ?? [],
      problem: status.problem,
      source: this.target.source,
    };
  }

  /** The topology kept, without asking the peer (the fleet search). */
  keptTopology(): Topology | null {
    return this.cached?.topology ?? null;
  }

  /**
   * Asks the peer for its summary (what the host list shows). Concurrent callers share one
   * refresh; a peer in backoff is not asked.
   */
  refresh(options: { force?: boolean } = {}): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (!options.force && !this.status.mayTry()) return Promise.resolve();
    this.refreshing = this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    try {
      const answer = await this.get('/api/v1/hosts');
      const list = HostList.safeParse(parseJson(answer));
      if (answer.status !== 200 || !list.success) throw new PeerAnswerError(`${this.target.url} answered GET /api/v1/hosts with ${describeAnswer(answer)}`);
      const own = list.data.hosts.find((h) => h.local);
      if (!own) throw new PeerAnswerError(`${this.target.url} serves no host of its own (a hub?): give the fleet its agents, not another hub`);
      this.known = own;
      this.status.answered();
    } catch (err) {
      this.status.failed(err);
      return;
    }
  }

  /** Revalidates the topology kept (for the fleet search), when the backoff allows; never throws. */
  async refreshTopology(): Promise<void> {
    if (!this.status.mayTry()) return;
    await this.revalidate().catch((err: unknown) => this.status.failed(err));
  }

  /**
   * The peer's topology: revalidated with the peer unless it is in backoff; when it does not
   * answer, the last one kept, with the seconds since it was confirmed. Without one kept, the
   * peer's failure is the answer.
   */
  async topology(): Promise<PeerTopology> {
    if (this.status.mayTry()) {
      try {
        return await this.revalidate();
      } catch (err) {
        this.status.failed(err);
        if (this.cached === null) throw this.peerError(err);
      }
    } else if (this.cached === null) {
      // In backoff with nothing kept: the last failure is the answer, without waiting for it again.
      throw this.peerError(this.status.lastError() ?? new Error('not answering'));
    }
    return { ...this.cached, staleSeconds: this.status.secondsSinceSeen() };
  }

  private revalidate(): Promise<PeerTopology> {
    if (this.fetchingTopology) return this.fetchingTopology;
    this.fetchingTopology = this.fetchTopology().finally(() => {
      this.fetchingTopology = null;
    });
    return this.fetchingTopology;
  }

  private async fetchTopology(): Promise<PeerTopology> {
    const cached = this.cached;
    const answer = await this.get(`/api/v1/hosts/${encodeURIComponent(this.id)}/topology`, cached && !this.topologyDirty ? { 'if-none-match': cached.etag } : {});
    if (answer.status === 304 && cached) {
      this.status.answered();
      return { ...cached, staleSeconds: null };
    }
    const etag = answer.headers.etag;
    const parsed = answer.status === 200 ? Topology.safeParse(parseJson(answer)) : null;
    if (!parsed?.success || typeof etag !== 'string') {
      throw new PeerAnswerError(`${this.target.url} answered GET topology with ${describeAnswer(answer)}${parsed && !parsed.success ? ' that is not a topology this agent reads (another version?)' : ''}`);
    }
    this.cached = { topology: parsed.data, etag };
    this.topologyDirty = false;
    this.status.answered();
    return { ...this.cached, staleSeconds: null };
  }

  /**
   * Passes a write (or an audit read) to the peer as it came, with the fleet credential and the
   * loop guard, and returns exactly what the peer answered. A peer in backoff is still asked: a
   * user's write deserves the attempt.
   */
  async forward(request: ForwardedRequest): Promise<PeerAnswer> {
    const write = request.method !== 'GET';
    const headers: Record<string, string> = { [FORWARDED_BY]: this.options.selfId };
    if (write) {
      const credential = this.options.credential();
      if (credential === null) {
        throw new PeerError(
          `This server has no credential to forward writes to ${this.id}: on Proxmox it is /etc/pve/priv/vfmap/fleet.token, elsewhere the token_file label of its target; nothing was sent.`,
          this.id,
          false,
          false,
        );
      }
      headers.authorization = `Bearer ${credential}`;
      if (request.principal) headers['x-vfmap-forwarded-for'] = request.principal;
      if (request.ifMatch !== undefined) headers['if-match'] = request.ifMatch;
    }
    try {
      const answer = await peerRequest(this.target.url, request.path, this.options.transport, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        timeoutMs: write ? this.options.writeTimeoutMs : this.options.readTimeoutMs,
      });
      this.status.answered();
      return answer;
    } catch (err) {
      this.status.failed(err);
      throw this.peerError(err);
    } finally {
      if (write) this.topologyDirty = true;
    }
  }

  /** Events of this host while someone listens: one stream to the peer, whatever the number of listeners. */
  subscribe(listener: EventListener): () => void {
    const entry: EventListener = (event) => listener(event);
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.events.open();
    return () => {
      if (this.listeners.delete(entry) && this.listeners.size === 0) this.events.close();
    };
  }

  /** Stops the event stream and the sockets kept alive. */
  close(): void {
    this.events.close();
    this.listeners.clear();
    this.status.close();
    this.options.transport.destroy();
  }

  private onPeerEvent(event: VfmapEvent): void {
    this.status.answered();
    if (event.type === 'topology.changed') this.topologyDirty = true;
    // The peer speaks of itself by its own id, which is ours for it.
    const ours = { ...event, host: this.id } as VfmapEvent;
    for (const listener of [...this.listeners]) listener(ours);
  }

  /** What a route answers when the peer could not be used: nothing reached it, or no answer came. */
  private peerError(err: unknown): PeerError {
    if (err instanceof PeerError) return err;
    if (err instanceof PeerUnreachableError) {
      const what = err.sent ? 'the request was sent and no answer came: a write may have happened there (its audit log says)' : 'nothing was sent';
      return new PeerError(`Host ${this.id} (${this.target.url}): ${err.message}; ${what}.`, this.id, err.kind === 'timeout', err.sent);
    }
    return new PeerError(`Host ${this.id} (${this.target.url}): ${err instanceof Error ? err.message : String(err)}.`, this.id, false, true);
  }

  private get(path: string, headers: Record<string, string> = {}): Promise<PeerAnswer> {
    return peerRequest(this.target.url, path, this.options.transport, {
      headers: { [FORWARDED_BY]: this.options.selfId, ...headers },
      timeoutMs: this.options.readTimeoutMs,
    });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function parseJson(answer: PeerAnswer): unknown {
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function describeAnswer(answer: PeerAnswer): string {
  if (answer.status === 200) return 'a body it could not read';
  const problem = parseJson(answer) as { title?: unknown; detail?: unknown } | undefined;
  const said = typeof problem?.detail === 'string' ? problem.detail : typeof problem?.title === 'string' ? problem.title : '';
  return `${answer.status}${said ? `: ${said}` : ''}`;
}
