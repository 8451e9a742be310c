import { checkPaths } from './checkPaths';
import { hostFiles, type HostFiles } from './hostFiles';
import { CONFIG_SPACE_SIZE, sriovCapability, type SriovCapability } from './sriovCapability';

/**
 * What the root helper read of the config spaces, by address (the privilege split: the HTTP side
 * reads only their first 64 bytes); where it has an answer, the checks take it instead of reading.
 */
export type KnownCapabilities = ReadonlyMap<string, SriovCapability>;

/**
 * A function's SR-IOV capability, read from its `config` (one read of at most 4 KiB), or what
 * the root helper read of it (`known`). The path is the evidence's either way.
 */
export function readSriovCapability(files: HostFiles, address: string, known: KnownCapabilities | null = null): { path: string; capability: SriovCapability } {
  const path = files.paths.pciDeviceFile(address, 'config');
  const told = known?.get(address);
  if (told) return { path, capability: told };
  const bytes = files.bytes(path, CONFIG_SPACE_SIZE);
  return { path, capability: bytes === null ? { kind: 'unreadable', bytes: 0 } : sriovCapability(bytes) };
}

/** The root helper's read (sriovCapabilities): each address's capability, in the order asked. */
export function readSriovCapabilities(root: string, addresses: readonly string[]): Array<{ address: string; capability: SriovCapability }> {
  const files = hostFiles(checkPaths(root));
  return addresses.map((address) => ({ address, capability: readSriovCapability(files, address).capability }));
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
