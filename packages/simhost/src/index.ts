export { generateHost, type GeneratedHost, type GenerateOptions } from './generateHost';
export { profiles, profileNames, type HostProfile } from './profiles';
export { createSimKernel, settleSimKernel, REAL_KERNEL_TIMING, type SimKernel, type SimKernelOptions } from './simKernel';
export type { NumvfsIntent } from './numvfsIntent';
export { tempRoot } from './tempRoot';
export type { ErrnoError } from './errno';
export { FAULT_ERRNOS, FaultSpecError, faultFile, parseFault, readFaults, setFaults, type Fault, type FaultErrno } from './faults';
export { simIpLinkShow, SimIpError } from './ipLinkJson';
export { SimVfSettings, readVfSettingsFile, updateVfSettings, vfSettingsTraits, type VfSettingsTraits } from './vfSettings';
