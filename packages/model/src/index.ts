export * from './pciAddress';
export * from './topology';
export * from './problem';
export * from './events';
export * from './simulatedHypervisor';
export * from './vfState';
export * from './operations';
export * from './audit';
