import type { HostSummary } from '@vfmap/model';
import { ageWords } from '../format/age';

/**
 * What a tile's badge says of a host: its status, and how old what the page knows of it is.
 * The problem (why it is not ok) is said beside it, in the server's words.
 */
export function hostStatusWords(host: Pick<HostSummary, 'status' | 'ageSeconds' | 'lastSeen'>): { label: string; age: string | null } {
  const age = host.ageSeconds !== null ? `last answer ${ageWords(host.ageSeconds)}` : host.lastSeen === null ? 'never answered' : null;
  switch (host.status) {
    case 'ok':
      return { label: 'ok', age: null };
    case 'stale':
      return { label: 'stale', age };
    case 'unreachable':
      return { label: 'unreachable', age };
    case 'unauthorized':
      return { label: 'unauthorized', age: host.lastSeen === null ? null : age };
  }
}
