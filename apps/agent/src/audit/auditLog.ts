import { open, type FileHandle } from 'node:fs/promises';
import { AuditEntry, type AuditPage } from '@vfmap/model';
import { readLastLines } from './readLastLines';

/**
 * The agent's record of every write it was asked for: `<stateDir>/audit.jsonl`, one JSON object
 * per line (AuditEntry). Each append opens the file with O_APPEND, writes the line in one
 * write(2), fsyncs and closes, so an entry the API has answered for survives a crash, lines of
 * concurrent appends never mix, and a log rotated away (rename, or logrotate's copytruncate) is
 * simply started again at the next append.
 */
export class AuditLog {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(AuditEntry.parse(entry))}\n`;
    // One append at a time: the order in the file is the order operations finished in.
    const done = this.queue.then(async () => {
      const handle = await open(this.path, 'a+', 0o600);
      try {
        // A line torn by a crash has no newline: start on a fresh line, so only the torn one is lost.
        await handle.write((await endsInsideLine(handle)) ? `\n${line}` : line);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  /**
   * At start: drops a last line without its newline — an append cut off by a power cut (a killed
   * process never tears one write(2) of a line, but a machine that loses power may keep part of
   * it). Returns the bytes dropped. The operation it told of never got its answer.
   */
  repair(): Promise<number> {
    const done = this.queue.then(async () => {
      let handle: FileHandle;
      try {
        handle = await open(this.path, 'r+');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw err;
      }
      try {
        const { size } = await handle.stat();
        const keep = await endOfLastWholeLine(handle, size);
        if (keep === size) return 0;
        await handle.truncate(keep);
        await handle.sync();
        return size - keep;
      } finally {
        await handle.close();
      }
    });
    this.queue = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /** The latest `limit` entries, newest first. A line that does not parse (torn by a crash) is counted and skipped. */
  async recent(limit: number): Promise<AuditPage> {
    const lines = await readLastLines(this.path, limit);
    const entries: AuditEntry[] = [];
    let unreadable = 0;
    for (const line of lines) {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        unreadable++;
        continue;
      }
      const parsed = AuditEntry.safeParse(json);
      if (parsed.success) entries.push(parsed.data);
      else unreadable++;
    }
    return { entries, unreadable };
  }
}

async function endsInsideLine(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/** The length of the file up to and including its last newline (0 when it has none). */
async function endOfLastWholeLine(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const length = Math.min(chunk.length, end);
    const start = end - length;
    await handle.read(chunk, 0, length, start);
    const at = chunk.subarray(0, length).lastIndexOf(0x0a);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}
