import { stat } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { PMXCFS_MAX_BYTES } from './pveClusterPaths';
import { readBoundedFile } from './readBoundedFile';

/** How often a source looks at its files when not told: a new node shows within two seconds. */
export const DEFAULT_POLL_MS = 2000;

export interface WatchedPath {
  path: string;
  /**
   * How a change shows. 'stat': mtime, ctime, size or inode (an editor that renames a new file
   * into place changes the inode). 'content': the text itself — pmxcfs' generated files
   * (.members, .vmlist) report mtime 0 and a computed size, so `"online": 1` becoming 0 shows in
   * no stat field; they are small (at most 1 MiB), so reading them at each poll is cheap.
   */
  by: 'stat' | 'content';
}

/** What one read gave. */
export interface Loaded<T> {
  value: T;
  /** Parts of the read that were left out (a bad group, a name that did not resolve). */
  problems: string[];
  /** Read again at the next poll even if no file changed (a name may resolve later). */
  retry?: boolean;
}

export interface WatchedFileOptions<T> {
  /** Asked at each poll: the set can follow the last read (the certificates of the nodes it listed). */
  files: () => WatchedPath[];
  /** Reads and parses; throws (a message naming the file) to keep the last good value. */
  load: () => Promise<Loaded<T>>;
  initial: T;
  pollMs: number;
  onWarning?: ((message: string) => void) | undefined;
}

export interface WatchedFile<T> {
  /** The last good value (`initial` before the first good read). */
  current(): T;
  /** Called when a read gives a value that differs (deep compare) from the last good one. */
  onChange(listener: (value: T) => void): () => void;
  /** The problems of the last read, joined; null when it had none. */
  lastError(): string | null;
  /** Resolves once the first read is done, good or not: a server's first answer waits for it. */
  ready(): Promise<void>;
  close(): void;
}

/**
 * Follows files by polling `stat` (or the text, for pmxcfs' files) every `pollMs` and re-reads
 * them when they change: fs.watch misses changes on FUSE (pmxcfs) and loses a file an editor
 * renames into place. A failed read keeps the last good value, as Prometheus' file_sd does, and
 * is tried again at each poll; a warning is given once per new problem, not at every poll. The
 * timer is unref'd so that an idle agent can still exit.
 */
export function watchFile<T>(options: WatchedFileOptions<T>): WatchedFile<T> {
  const listeners = new Set<(value: T) => void>();
  let value = options.initial;
  let problems: string[] = [];
  let seen: string | null = null;
  let again = true;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function report(now: string[]): void {
    const before = new Set(problems);
    problems = now;
    for (const message of now) if (!before.has(message)) options.onWarning?.(message);
  }

  async function poll(): Promise<void> {
    const signature = JSON.stringify(await Promise.all(options.files().map(signatureOf)));
    if (signature === seen && !again) return;
    seen = signature;
    let loaded: Loaded<T>;
    try {
      loaded = await options.load();
    } catch (err) {
      if (closed) return;
      again = true;
      report([err instanceof Error ? err.message : String(err)]);
      return;
    }
    if (closed) return;
    again = loaded.retry === true;
    report(loaded.problems);
    if (isDeepStrictEqual(loaded.value, value)) return;
    value = loaded.value;
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (err) {
        options.onWarning?.(`a peer list listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  let firstRead: () => void = () => {};
  const first = new Promise<void>((resolve) => (firstRead = resolve));

  // A chain of timeouts, not an interval: a slow read (a name lookup) never piles up.
  function run(): void {
    poll()
      .catch((err: unknown) => options.onWarning?.(`polling failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        firstRead();
        if (closed) return;
        timer = setTimeout(run, options.pollMs);
        timer.unref();
      });
  }
  run();

  return {
    current: () => value,
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    lastError: () => (problems.length > 0 ? problems.join('; ') : null),
    ready: () => first,
    close() {
      closed = true;
      firstRead();
      listeners.clear();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

async function signatureOf(file: WatchedPath): Promise<string> {
  try {
    if (file.by === 'content') return `text:${await readBoundedFile(file.path, PMXCFS_MAX_BYTES)}`;
    const s = await stat(file.path);
    return `stat:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch (err) {
    return `error:${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}
