import { readFileSync } from 'node:fs';
import type { Host } from '@vfmap/model';
import type { SysfsPaths } from './sysfsPaths';

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The kernel's hostname, else /etc/hostname's, else "localhost". The kernel says `(none)` while no
 * hostname is set (a minimal guest), which is no name.
 */
export function readHostname(paths: SysfsPaths): string {
  const kernel = readOptional(paths.procHostname)?.trim();
  if (kernel && kernel !== '(none)') return kernel;
  const etc = readOptional(paths.etcHostname)
    ?.split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  return etc ?? 'localhost';
}

/** The running kernel's release (`uname -r`); null when ROOT has no /proc (a snapshot). */
export function readKernelRelease(paths: SysfsPaths): string | null {
  return readOptional(paths.procOsRelease)?.trim() || null;
}

export function readHost(paths: SysfsPaths, options: { hostId?: string; iommuEnabled: boolean; collectedAt: Date }): Host {
  const hostname = readHostname(paths);
  return {
    id: options.hostId ?? hostname,
    hostname,
    kernel: readKernelRelease(paths),
    iommu: { enabled: options.iommuEnabled },
    hypervisor: 'none',
    collectedAt: options.collectedAt.toISOString(),
  };
}
