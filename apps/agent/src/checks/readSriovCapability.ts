import type { HostFiles } from './hostFiles';
import { CONFIG_SPACE_SIZE, sriovCapability, type SriovCapability } from './sriovCapability';

/** A function's SR-IOV capability, read from its `config` (one read of at most 4 KiB). */
export function readSriovCapability(files: HostFiles, address: string): { path: string; capability: SriovCapability } {
  const path = files.paths.pciDeviceFile(address, 'config');
  const bytes = files.bytes(path, CONFIG_SPACE_SIZE);
  return { path, capability: bytes === null ? { kind: 'unreadable', bytes: 0 } : sriovCapability(bytes) };
}

/** The capability as evidence: what the config space says. */
export function capabilityText(capability: SriovCapability): string {
  switch (capability.kind) {
    case 'unreadable':
      return `${capability.bytes} bytes readable: the extended config space (from 0x100) needs root`;
    case 'absent':
      return 'no SR-IOV extended capability';
    case 'present':
      return `SR-IOV capability at 0x${capability.offset.toString(16)}: InitialVFs ${capability.initialVfs}, TotalVFs ${capability.totalVfs}`;
  }
}
