import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import type { CheckEvidence } from '@vfmap/model';
import type { CheckPaths } from './checkPaths';

/**
 * Lenient, synchronous reads of a few small files: a check reads a handful of them, and a file
 * that is missing or vanishes is a fact ("(absent)"), never an error.
 */
export interface HostFiles {
  readonly paths: CheckPaths;
  /** The file's text without its trailing newline; null when it cannot be read. */
  text(path: string): string | null;
  /** A directory's entries, sorted; null when it is not there. */
  names(path: string): string[] | null;
  /** Up to `max` bytes from the start of a file; null when it cannot be read. */
  bytes(path: string, max: number): Buffer | null;
  exists(path: string): boolean;
  /** Evidence of a read: the path as the host names it and what it held. */
  evidence(path: string, value: string | null): CheckEvidence;
}

const EVIDENCE_MAX = 300;

export function hostFiles(paths: CheckPaths): HostFiles {
  return {
    paths,
    text(path) {
      try {
        return readFileSync(path, 'utf8').replace(/\n$/, '');
      } catch {
        return null;
      }
    },
    names(path) {
      try {
        return readdirSync(path).sort();
      } catch {
        return null;
      }
    },
    bytes(path, max) {
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch {
        return null;
      }
      try {
        const buffer = Buffer.alloc(max);
        let got = 0;
        // sysfs `config` answers in pieces; read until the end or `max`.
        for (;;) {
          const n = readSync(fd, buffer, got, max - got, got);
          if (n === 0) break;
          got += n;
          if (got >= max) break;
        }
        return buffer.subarray(0, got);
      } catch {
        return null;
      } finally {
        closeSync(fd);
      }
    },
    exists: (path) => existsSync(path),
    evidence(path, value) {
      const shown = value === null ? '(absent)' : value.length > EVIDENCE_MAX ? `${value.slice(0, EVIDENCE_MAX)}…` : value;
      return { path: paths.shown(path), value: shown };
    },
  };
}
