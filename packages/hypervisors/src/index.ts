export type { Assignment, AttachResult, Hypervisor, HypervisorSnapshot } from './hypervisor';
export { HypervisorError } from './hypervisor';
export { createHypervisor, type HypervisorOptions } from './createHypervisor';
export { annotateTopology } from './annotateTopology';
