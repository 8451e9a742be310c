export { generateHost, type GeneratedHost } from './generateHost';
export { profiles, profileNames, type HostProfile } from './profiles';
export { createSimKernel } from './simKernel';
