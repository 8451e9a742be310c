import type { SystemUser } from './systemUser';

/**
 * Becomes `user` for good, as daemons do after start: its supplementary groups first (initgroups:
 * www-data for /etc/pve, libvirt for virsh), then its group, then its uid — in that order, since
 * after setuid there is no right left to change groups. Then checks that root cannot be had back.
 * The HTTP side calls this before it reads its first request; spawn's own uid option would drop
 * the supplementary groups (libuv calls setgroups(0, NULL)).
 */
export function dropPrivileges(user: SystemUser): void {
  const proc = process as unknown as PosixProcess;
  if (process.getuid?.() !== 0) throw new Error(`dropping to ${user.name} needs root; running as uid ${process.getuid?.()}`);
  if (user.uid === 0) throw new Error(`the HTTP side must not run as root (--user ${user.name} has uid 0)`);
  proc.initgroups(user.name, user.gid);
  proc.setgid(user.gid);
  proc.setuid(user.uid);
  if (proc.getuid() !== user.uid || proc.geteuid() !== user.uid || proc.getgid() !== user.gid) throw new Error(`could not become ${user.name}`);
  let regained = false;
  try {
    proc.setuid(0);
    regained = true;
  } catch {
    // EPERM: as it must be.
  }
  if (regained) throw new Error('setuid(0) succeeded after dropping privileges');
}

/** The POSIX-only members of process (typed as optional by @types/node, absent on Windows). */
interface PosixProcess {
  initgroups(user: string, extraGroup: number): void;
  setgid(id: number): void;
  setuid(id: number): void;
  getuid(): number;
  geteuid(): number;
  getgid(): number;
}
