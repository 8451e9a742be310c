import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MIN_TOKEN_LENGTH } from '../auth/writeToken';
import { ConfigError } from '../configFlags';

/** Where a Proxmox cluster keeps the fleet credential: root only, replicated to every node by pmxcfs. */
export function proxmoxCredentialPath(root: string): string {
  return join(root, 'etc/pve/priv/vfmap/fleet.token');
}

/**
 * Makes the Proxmox cluster's fleet credential if no agent has yet: the first one to create the
 * file wins ('wx'), and every agent then reads what is there, so the whole cluster shares one.
 */
export function ensureProxmoxCredential(root: string): string {
  const path = proxmoxCredentialPath(root);
  if (!isDir(join(root, 'etc/pve/priv'))) {
    throw new ConfigError(`--peers proxmox: ${join(root, 'etc/pve/priv')} is not there; is this a Proxmox VE node with pmxcfs running?`);
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return path;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A credential read from its file at each use, so a rotated one is taken without a restart; null
 * when the file is missing, unreadable or too short (the write is then refused, never sent bare).
 */
export function credentialFile(path: string): () => string | null {
  let cached: { mtimeMs: number; value: string | null } | null = null;
  return () => {
    try {
      const { mtimeMs } = statSync(path);
      if (cached?.mtimeMs !== mtimeMs) {
        const value = readFileSync(path, 'utf8').trim();
        cached = { mtimeMs, value: value.length >= MIN_TOKEN_LENGTH ? value : null };
      }
      return cached.value;
    } catch {
      return null;
    }
  };
}
