import { open } from 'node:fs/promises';

const CHUNK = 64 * 1024;

/**
 * The last `count` lines of a text file, newest (last) first, reading backwards from the end in
 * chunks: an audit log grows for years and a request for the latest 50 entries should not read it
 * all. Lines are split on the newline byte, which never occurs inside a UTF-8 sequence, so a chunk
 * boundary cannot cut a character in two. A missing file has no lines.
 */
export async function readLastLines(path: string, count: number, chunkSize = CHUNK): Promise<string[]> {
  if (count <= 0) return [];
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const lines: string[] = [];
    let position = size;
    // Bytes before the first newline seen so far: the (possibly partial) line that ends there.
    let carry = Buffer.alloc(0);
    let skippedFinalNewline = false;
    while (position > 0 && lines.length < count) {
      const length = Math.min(chunkSize, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      let buf = Buffer.concat([chunk, carry]);
      if (!skippedFinalNewline) {
        // The file's last newline ends the last line; it does not start an empty one.
        if (buf.length > 0 && buf[buf.length - 1] === 0x0a) buf = buf.subarray(0, buf.length - 1);
        skippedFinalNewline = true;
      }
      let end = buf.length;
      for (let i = buf.length - 1; i >= 0 && lines.length < count; i--) {
        if (buf[i] === 0x0a) {
          lines.push(buf.subarray(i + 1, end).toString('utf8'));
          end = i;
        }
      }
      carry = Buffer.from(buf.subarray(0, end));
    }
    if (position === 0 && lines.length < count && carry.length > 0) lines.push(carry.toString('utf8'));
    return lines.filter((line) => line.length > 0);
  } finally {
    await handle.close();
  }
}
