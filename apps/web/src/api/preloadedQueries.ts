import { HostList, Topology } from '@vfmap/model';
import type { TopologyResult } from './api';
import { hostPath } from './paths';
import type { PreloadedJson } from './preloadedAnswers';

// Apart from react-query on purpose: earlyAnswers.ts runs this from the page's first, small
// script, which should hold the schemas and little else.

/** The preloaded answers that passed their schemas, ready for the query cache. */
export interface PreloadedQueries {
  hosts: HostList | null;
  topology: { host: string; result: TopologyResult } | null;
}

/**
 * The host list, and the topology of the host the page will open, from what public/preload.js
 * has already read and parsed, checked against their schemas. `take` hands out a preloaded
 * answer by path, once. An answer that does not match is left out: its query then asks the agent
 * again and says what is wrong.
 */
export function validatePreloaded(take: (path: string) => PreloadedJson | null, hostToOpen: (list: HostList) => string | null): PreloadedQueries {
  const none: PreloadedQueries = { hosts: null, topology: null };
  const hosts = HostList.safeParse(take('/api/v1/hosts')?.body);
  if (!hosts.success) return none;
  const host = hostToOpen(hosts.data);
  const answer = host === null ? null : take(hostPath(host, 'topology'));
  const topology = Topology.safeParse(answer?.body);
  if (host === null || !answer || !topology.success) return { ...none, hosts: hosts.data };
  return { hosts: hosts.data, topology: { host, result: { topology: topology.data, etag: answer.etag } } };
}
