import { renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let counter = 0;

/**
 * Replaces a file's contents the way a reader can never catch half-written: the new bytes go to a
 * fresh file in `scratchDir` (same filesystem), which is renamed over the old name. The new inode
 * also frees the name from any hard link it shared with a sibling's attribute.
 */
export function replaceFile(path: string, content: string | Buffer, mode: number, scratchDir: string): void {
  // pid and thread id: the agent writes from worker threads, and several processes may share a tree.
  const tmp = join(scratchDir, `${process.pid}.${threadId}.${++counter}.${basename(path)}`);
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}
