import { readSystemdVersion } from './systemdVersion';

/** The systemd of a simulated host: Debian bookworm's and Proxmox VE 8's, whose .link files keep SR-IOV settings. */
export const SIMULATED_SYSTEMD = 252;

/**
 * Where the systemd version comes from, by what the agent writes to: the machine's own systemd
 * (asked once) for the real kernel; the simulated host's for a simulated one; none for a captured
 * tree (another machine's, whose version is not known).
 */
export function systemdVersionSource(kernel: 'real' | 'simulated' | 'none'): () => Promise<number | null> {
  if (kernel === 'simulated') return () => Promise.resolve(SIMULATED_SYSTEMD);
  if (kernel === 'none') return () => Promise.resolve(null);
  let asked: Promise<number | null> | null = null;
  return () => (asked ??= readSystemdVersion());
}
