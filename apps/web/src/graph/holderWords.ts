import type { Holder, VmState } from '@vfmap/model';

/**
 * Where a holder comes from, in one sentence: the VM's configuration, its running QEMU process
 * (its command line or an open /dev/vfio fd), or both; and, where the live claim differs, the VM
 * whose configuration names the device instead (the running process wins: it is what holds the
 * device now). Null when the agent did not say (older than issue 15).
 */
export function holderSourceWords(holder: Holder, vmOf: (vmId: string) => { name: string; state: VmState } | null): string | null {
  const source = holder.source;
  if (source === undefined) return null;
  const named = (id: string) => {
    const vm = vmOf(id);
    return vm ? `VM ${id} (${vm.name})` : `VM ${id}`;
  };
  let sentence: string;
  if (source === 'both') sentence = 'Named in its configuration, and its running process holds it';
  else if (source === 'config') {
    const state = vmOf(holder.vmId)?.state;
    sentence = state === 'running' || state === 'paused' ? `Named in its configuration; its ${state} process was not found holding it` : 'Named in its configuration';
  }
  else if (holder.configuredVmId && holder.configuredVmId !== holder.vmId) sentence = `Its running process holds it, while the configuration of ${named(holder.configuredVmId)} names it`;
  else if (holder.configuredVmId) sentence = 'Its running process holds it, as its configuration says';
  else sentence = 'Its running process holds it; no VM configuration names it';
  if (holder.ambiguous) sentence += ". The process holds the device's whole IOMMU group, which others share: it may hold another member instead";
  return `${sentence}.`;
}
