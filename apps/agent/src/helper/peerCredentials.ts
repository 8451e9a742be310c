import { execFile } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PeerCredentials {
  pid: number;
  uid: number;
}

/**
 * Who is at the other end of an accepted Unix socket connection. Node has no SO_PEERCRED, so it
 * is found the way `ss` finds it, through the kernel's sock_diag: our socket's inode (from
 * /proc/self/fd) names its peer's inode in `ss -xpn`, and that line names the process holding the
 * peer; /proc/<pid>/status gives its real uid. The answer is the process holding the socket now
 * (SO_PEERCRED gives the one that connected); a descriptor passed on to another process would show
 * both, and is refused. null when it cannot be told: the caller refuses then.
 */
export async function peerCredentials(socket: Socket, ss = 'ss'): Promise<PeerCredentials | null> {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return null;
  const link = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
  const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
  if (!inode) return null;
  const { stdout } = await run(ss, ['-xpnH'], { maxBuffer: 16 << 20, timeout: 5000 });
  const rows = stdout.split('\n').map((line) => line.trim().split(/\s+/));
  // u_str ESTAB 0 0 <local path or *> <local inode> <peer path or *> <peer inode> users:(("node",pid=1,fd=3))
  const ours = rows.find((r) => r[5] === inode);
  const peerInode = ours?.[7];
  if (!peerInode) return null;
  const peer = rows.filter((r) => r[5] === peerInode);
  if (peer.length !== 1) return null;
  const pids = [...(peer[0]!.slice(8).join(' ').matchAll(/pid=(\d+)/g))].map((m) => Number(m[1]));
  const unique = [...new Set(pids)];
  if (unique.length !== 1) return null;
  const pid = unique[0]!;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  // Uid: real effective saved filesystem — all four must be the same user.
  const uids = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(status);
  if (!uids) return null;
  const [real, effective, saved, fs] = uids.slice(1).map(Number);
  if (real !== effective || real !== saved || real !== fs) return null;
  return { pid, uid: real! };
}
