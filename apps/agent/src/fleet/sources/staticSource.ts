import type { PeerSource } from './peerSource';
import type { PeerTarget } from './peerTarget';

/** A list given once on the command line (--peer): it never changes, never fails. */
export function createStaticSource(name: string, targets: PeerTarget[]): PeerSource {
  const list = [...targets];
  return {
    name,
    current: () => list,
    onChange: () => () => {},
    lastError: () => null,
    ready: () => Promise.resolve(),
    close: () => {},
  };
}
