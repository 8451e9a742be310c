export type {
  Assignment,
  AttachResult,
  ConfigLine,
  PoolClaim,
  Hypervisor,
  HypervisorErrorCode,
  HypervisorErrorDetails,
  HypervisorSnapshot,
  VmStates,
} from './hypervisor';
export { HypervisorError } from './hypervisor';
export { createHypervisor, createVmStateList, type HypervisorOptions } from './createHypervisor';
export { annotateTopology, type AnnotateOptions } from './annotateTopology';
export { parseDomainXml, type DomainXml, type DomainPciDevice } from './parseDomainXml';
export { parseQemuConf, type QemuConf } from './parseQemuConf';
export { parseHostpci, type Hostpci } from './parseHostpci';
export { parsePciMapping, type PciMapping, type PciMappingEntry, type PciMappingFile } from './parsePciMapping';
export { parseQmList, type QmListEntry } from './parseQmList';
export type { ParseResult } from './parseResult';
export type { RunCommand, CommandOutput, RunOptions } from './runCommand';
export { applyRunningHolders } from './applyRunningHolders';
export { readRunningQemus, readCmdline, readFdTargets, readVfioFds } from './readRunningQemus';
export { parseQemuCmdline, splitCmdline, isQemuArgv0, type QemuCmdline } from './parseQemuCmdline';
export { runningPaths, type RunningPaths } from './runningPaths';
export { findDrift, type DriftInput } from './findDrift';
