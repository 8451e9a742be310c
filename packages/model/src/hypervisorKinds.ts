/**
 * The hypervisors vfmap speaks to, as a plain list: `vfmap scan` checks its --hypervisor flag
 * against it without loading the schemas (topology.ts builds `HypervisorKind` from it).
 */
export const HYPERVISOR_KINDS = ['proxmox', 'libvirt', 'simulated', 'none'] as const;
