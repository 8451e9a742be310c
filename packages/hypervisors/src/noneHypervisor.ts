import { HypervisorError, type Hypervisor } from './hypervisor';

/** No hypervisor on this host: no VMs, and nothing to give a VF to. */
export function noneHypervisor(): Hypervisor {
  const refuse = () =>
    Promise.reject(new HypervisorError('this agent runs without a hypervisor (--hypervisor none); there is no VM to give a VF to', { code: 'unsupported' }));
  return {
    kind: 'none',
    snapshot: () => Promise.resolve({ vms: [], assignments: [], warnings: [] }),
    fingerprint: () => Promise.resolve('none'),
    attach: refuse,
    detach: refuse,
  };
}
