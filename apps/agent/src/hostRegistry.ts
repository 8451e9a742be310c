import type { HostBackend } from './hostBackend';
import { NotFoundError } from './errors';

/** The hosts this server knows, by id. */
export class HostRegistry {
  private readonly byId = new Map<string, HostBackend>();

  constructor(hosts: HostBackend[]) {
    for (const h of hosts) this.byId.set(h.id, h);
  }

  all(): HostBackend[] {
    return [...this.byId.values()];
  }

  get(id: string): HostBackend {
    const host = this.byId.get(id);
    if (!host) throw new NotFoundError(`No host "${id}" here; GET /api/v1/hosts lists the hosts this server knows.`);
    return host;
  }
}
