import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** `.link` files carry SR-IOV settings (`SR-IOVVirtualFunctions=`, `[SR-IOV]`) from systemd 251 on. */
export const LINK_SRIOV_MIN_SYSTEMD = 251;

/**
 * The major version in `systemctl --version` ("systemd 252 (252.30-1~deb12u2)") or
 * `udevadm --version` ("252", "252.30-1~deb12u2"); null when the text says none.
 */
export function parseSystemdVersion(text: string): number | null {
  const first = text.trim().split('\n')[0] ?? '';
  const m = /^(?:systemd\s+)?(\d+)(?:[.\s~+-]|$)/.exec(first.trim());
  return m ? Number(m[1]) : null;
}

export type RunVersion = (file: string, args: string[]) => Promise<string>;

const runWithExecFile: RunVersion = async (file, args) => (await promisify(execFile)(file, args, { timeout: 10_000 })).stdout;

/** The host's systemd version: systemctl first, udevadm when there is no systemctl (a container); null when neither answers. */
export async function readSystemdVersion(run: RunVersion = runWithExecFile): Promise<number | null> {
  for (const [file, args] of [['systemctl', ['--version']], ['udevadm', ['--version']]] as const) {
    try {
      const v = parseSystemdVersion(await run(file, [...args]));
      if (v !== null) return v;
    } catch {
      // not installed, or it failed: try the next one
    }
  }
  return null;
}
