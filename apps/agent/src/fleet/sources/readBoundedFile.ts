import { open } from 'node:fs/promises';
import { SourceReadError } from './sourceErrors';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a directory on its path is a file',
};

/**
 * Reads a text file of at most `maxBytes`, counting what it reads rather than trusting the size
 * `stat` gives: pmxcfs computes the size of its own files (.members) at each `stat`, and a file
 * can grow between the two calls. Errors become SourceReadError naming the file.
 */
export async function readBoundedFile(path: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new SourceReadError(`cannot read ${path}: ${reason(err)}`, path, (err as NodeJS.ErrnoException).code);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new SourceReadError(`${path} is larger than ${formatBytes(maxBytes)}; not read`, path);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    if (err instanceof SourceReadError) throw err;
    throw new SourceReadError(`cannot read ${path}: ${reason(err)}`, path, (err as NodeJS.ErrnoException).code);
  } finally {
    await handle.close();
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? code ?? (err as Error).message;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
