import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const LIBVIRT_URI = 'qemu:///system';

function onPath(command: string): string | null {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function sbin(command: string): string | null {
  return onPath(command) ?? ['/usr/sbin', '/sbin'].map((d) => `${d}/${command}`).find((p) => existsSync(p)) ?? null;
}

function connects(): boolean {
  return spawnSync('virsh', ['-c', LIBVIRT_URI, 'version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Why the libvirt tests cannot run here, or null when they can. Outside CI a machine without
 * virsh skips them; on CI (CI=true) a missing virsh is a failure, reported by requireLibvirtd.
 */
export function libvirtSkipReason(): string | null {
  if (onPath('virsh')) return null;
  return process.env.CI === 'true' ? null : 'virsh is not installed (apt install libvirt-clients libvirt-daemon-system qemu-system-x86)';
}

/**
 * Makes sure a libvirtd answers on qemu:///system, starting it (and virtlogd, which starting a
 * domain needs) the way .ci/run does when it is not running. Throws when that fails.
 */
export async function requireLibvirtd(): Promise<void> {
  if (!onPath('virsh')) throw new Error('CI=true but virsh is not installed: the libvirt adapter tests need libvirt-clients and libvirtd');
  const virtlogd = sbin('virtlogd');
  if (virtlogd && !existsSync('/run/libvirt/virtlogd-sock')) spawnSync(virtlogd, ['-d']);
  if (connects()) return;
  const libvirtd = sbin('libvirtd');
  if (!libvirtd) throw new Error(`cannot connect to ${LIBVIRT_URI} and libvirtd is not installed`);
  spawnSync(libvirtd, ['-d']);
  for (let i = 0; i < 100 && !connects(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!connects()) {
    const why = spawnSync('virsh', ['-c', LIBVIRT_URI, 'version'], { encoding: 'utf8' }).stderr;
    throw new Error(`libvirtd does not answer on ${LIBVIRT_URI} after starting it: ${why}`);
  }
}

/** virsh run directly, to set up and to check behind the adapter's back. */
export function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-c', LIBVIRT_URI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tryVirsh(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('virsh', ['-c', LIBVIRT_URI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
