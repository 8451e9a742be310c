import type { Duplex } from 'node:stream';
import { HELPER_MAX_MESSAGE_BYTES } from '@vfmap/model';

/**
 * Newline-delimited messages over a stream, with a cap: a line longer than `maxBytes` (newline
 * included) is never buffered whole — `onOversize` is called once and the reading stops, since
 * what follows cannot be framed any more. Used by both sides of the helper socket.
 */
export function readLines(stream: Duplex, onLine: (line: string) => void, onOversize: () => void, maxBytes = HELPER_MAX_MESSAGE_BYTES): void {
  let buffered: Buffer[] = [];
  let size = 0;
  let stopped = false;
  stream.on('data', (chunk: Buffer) => {
    if (stopped) return;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      size += end - start;
      if (size + (nl === -1 ? 0 : 1) > maxBytes) {
        stopped = true;
        buffered = [];
        stream.pause();
        onOversize();
        return;
      }
      buffered.push(chunk.subarray(start, end));
      if (nl === -1) return;
      const line = Buffer.concat(buffered).toString('utf8');
      buffered = [];
      size = 0;
      start = nl + 1;
      onLine(line);
      if (stopped) return;
    }
  });
}

/** One message, as one line. */
export function writeLine(stream: Duplex, message: unknown): void {
  stream.write(`${JSON.stringify(message)}\n`);
}
