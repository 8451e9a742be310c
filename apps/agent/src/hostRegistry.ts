import type { HostBackend, LocalHost } from './hostBackend';
import type { Fleet } from './fleet/fleet';
import { MisdirectedError, NotFoundError } from './errors';

/**
 * The hosts this server knows, by id: its own (none for a hub) and its fleet's peers, which come
 * and go with their sources.
 */
export class HostRegistry {
  constructor(
    private readonly locals: LocalHost[],
    private readonly fleet: Fleet | null = null,
  ) {}

  /** Its own hosts first, then the peers. */
  all(): HostBackend[] {
    return [...this.locals, ...(this.fleet?.hosts() ?? [])];
  }

  local(): LocalHost[] {
    return this.locals;
  }

  get hasFleet(): boolean {
    return this.fleet !== null;
  }

  /**
   * The host of that id. A request another agent forwarded (`forwarded`) is answered only for
   * this agent's own hosts: it is never forwarded again (pveproxy's PVEDisableProxy rule).
   */
  get(id: string, forwarded = false): HostBackend {
    const own = this.locals.find((h) => h.id === id);
    if (own) return own;
    const peer = this.fleet?.get(id);
    if (peer && forwarded) throw new MisdirectedError(`This request was forwarded by another agent, and host "${id}" is not this agent's own: forwarded requests are not forwarded again.`);
    if (!peer) throw new NotFoundError(`No host "${id}" here; GET /api/v1/hosts lists the hosts this server knows.`);
    return peer;
  }

  /** Waits, at most `ms`, for every peer to have been asked once. */
  async settled(ms: number): Promise<void> {
    await this.fleet?.settled(ms);
  }

  /** Waits, at most `ms`, for the peers' topologies being fetched now. */
  async topologiesSettled(ms: number): Promise<void> {
    await this.fleet?.topologiesSettled(ms);
  }

  get fleetEvents(): Fleet | null {
    return this.fleet;
  }
}
