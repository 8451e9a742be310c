import { resolve } from 'node:path';
import { parseFileSd } from './fileSd';
import type { PeerSource, SourceOptions } from './peerSource';
import type { PeerTarget } from './peerTarget';
import { readBoundedFile } from './readBoundedFile';
import { DEFAULT_POLL_MS, watchFile } from './watchedFile';

/** A target list is a few hundred bytes a host; anything this large is not one. */
export const FILE_SD_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The peers a Prometheus file_sd list names, followed as Prometheus follows it: re-read when
 * `stat` says the file changed, the last good list kept while the file is missing or broken
 * (lastError says why), picked up when it appears or is fixed.
 */
export function createFileSdSource(file: string, options: SourceOptions): PeerSource {
  const path = resolve(file);
  const watched = watchFile<PeerTarget[]>({
    files: () => [{ path, by: 'stat' }],
    load: async () => {
      const list = parseFileSd(await readBoundedFile(path, FILE_SD_MAX_BYTES), path);
      return { value: list.targets, problems: list.problems };
    },
    initial: [],
    pollMs: options.pollMs ?? DEFAULT_POLL_MS,
    onWarning: options.onWarning,
  });
  return { name: `file:${path}`, ...watched };
}
