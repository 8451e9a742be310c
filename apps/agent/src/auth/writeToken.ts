import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../configFlags';

/** Shorter tokens are refused: a bearer token is the only thing between the network and the kernel. */
export const MIN_TOKEN_LENGTH = 16;

export interface WriteToken {
  value: string;
  /** How the audit log names it: "token:" and the first 8 hex digits of its SHA-256, never the token. */
  id: string;
  source: 'environment' | 'file' | 'state-dir';
  /** The file it came from or was written to; null for VFMAP_TOKEN. */
  path: string | null;
  /** Made at this start: the CLI prints it once. */
  created: boolean;
  /** Something an operator should fix (a token file others can read). */
  warnings: string[];
}

export function tokenId(value: string): string {
  return `token:${createHash('sha256').update(value).digest('hex').slice(0, 8)}`;
}

/**
 * The token writes must carry: VFMAP_TOKEN, else the file --token-file names, else
 * `<stateDir>/token`, made at the first start (32 random bytes, base64url, mode 0600).
 */
export function loadWriteToken(options: { token?: string | undefined; tokenFile?: string | undefined; stateDir: string }): WriteToken {
  if (options.token !== undefined && options.tokenFile !== undefined) {
    throw new ConfigError('both VFMAP_TOKEN and --token-file (VFMAP_TOKEN_FILE) give a write token; give one');
  }
  if (options.token !== undefined) return make(options.token, 'environment', null, false, []);
  if (options.tokenFile !== undefined) return fromFile(options.tokenFile, 'file');

  const path = join(options.stateDir, 'token');
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString('base64url');
  try {
    // 'wx': never overwrite, so two agents starting at once agree on the first one's token.
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return make(value, 'state-dir', path, true, []);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fromFile(path, 'state-dir');
}

function fromFile(path: string, source: 'file' | 'state-dir'): WriteToken {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the token file ${path}: ${(err as Error).message}`);
  }
  const warnings: string[] = [];
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) warnings.push(`the token file ${path} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it`);
  return make(text.trim(), source, path, false, warnings);
}

function make(value: string, source: WriteToken['source'], path: string | null, created: boolean, warnings: string[]): WriteToken {
  if (value.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`the write token${path ? ` in ${path}` : ' in VFMAP_TOKEN'} has ${value.length} characters; it needs at least ${MIN_TOKEN_LENGTH}`);
  }
  if (/\s/.test(value)) throw new ConfigError(`the write token${path ? ` in ${path}` : ''} contains whitespace`);
  return { value, id: tokenId(value), source, path, created, warnings };
}
