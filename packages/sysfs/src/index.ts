export { readTopology, type ReadTopologyOptions } from './readTopology';
export { readFingerprint } from './fingerprint';
export { sysfsPaths, type SysfsPaths } from './sysfsPaths';
export { loadPciIds, parsePciIds, type PciIds } from './pciIds';
export { realKernel, SysfsError, type Kernel } from './kernel';
