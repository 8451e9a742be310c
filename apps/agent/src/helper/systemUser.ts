import { readFileSync } from 'node:fs';
import { ConfigError } from '../configFlags';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

export const DEFAULT_USER = 'vfmap';
export const FALLBACK_USER = 'nobody';

/**
 * The HTTP side's user from /etc/passwd (Node has no getpwnam; the packaged `vfmap` user is a
 * local system user, as www-data is). `--user` not given: `vfmap`, else `nobody`. A user given and
 * not found is an error, never a silent fallback.
 */
export function resolveUser(given: string | undefined, passwd = '/etc/passwd'): SystemUser {
  const users = readPasswd(passwd);
  if (given !== undefined) {
    const user = users.get(given);
    if (!user) throw new ConfigError(`--user ${given}: no such user in ${passwd}`);
    return user;
  }
  const user = users.get(DEFAULT_USER) ?? users.get(FALLBACK_USER);
  if (!user) throw new ConfigError(`neither ${DEFAULT_USER} nor ${FALLBACK_USER} is in ${passwd}: give the HTTP side's user with --user`);
  return user;
}

function readPasswd(path: string): Map<string, SystemUser> {
  const users = new Map<string, SystemUser>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (!name || uid === undefined || gid === undefined || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) continue;
    users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  return users;
}
