import type { HostSummary } from '@vfmap/model';

/**
 * Worst first, then most free: a host that does not answer (or refuses this server) is what an
 * operator must see before anything else, then one whose numbers are old, then one with
 * warnings; the healthy rest is ordered by free VFs, the thing people come for.
 */
export const HOST_RANK = {
  unreachable: 0,
  unauthorized: 1,
  stale: 2,
  warnings: 3,
  ok: 4,
} as const;
export type HostRank = keyof typeof HOST_RANK;

export function hostRank(host: HostSummary): HostRank {
  if (host.status !== 'ok') return host.status;
  return (host.counts?.warnings ?? 0) > 0 ? 'warnings' : 'ok';
}

export function freeVfsOf(host: HostSummary): number {
  return host.counts?.freeVfs ?? 0;
}

/**
 * The order of the fleet's tiles. Hosts with a problem of the same kind keep their names' order
 * (their counts are old or missing, so they say nothing); the others go most free first. Names,
 * then ids, break every tie, so the order depends on the data alone.
 */
export function sortHosts(hosts: readonly HostSummary[]): HostSummary[] {
  return [...hosts].sort((a, b) => {
    const ra = hostRank(a);
    const rb = hostRank(b);
    if (ra !== rb) return HOST_RANK[ra] - HOST_RANK[rb];
    const byFree = ra === 'ok' || ra === 'warnings' ? freeVfsOf(b) - freeVfsOf(a) : 0;
    return byFree || a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id);
  });
}

/**
 * The tiles' order across refreshes: a tile never moves while its data refreshes (a host that
 * turns unreachable says so where it is). Hosts already shown keep their places; hosts new to
 * the list come after them in sortHosts' order; the first list is sortHosts' order itself.
 */
export function keepOrder(shown: readonly string[], hosts: readonly HostSummary[]): HostSummary[] {
  const sorted = sortHosts(hosts);
  if (shown.length === 0) return sorted;
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const kept = shown.flatMap((id) => byId.get(id) ?? []);
  const keptIds = new Set(kept.map((h) => h.id));
  return [...kept, ...sorted.filter((h) => !keptIds.has(h.id))];
}
