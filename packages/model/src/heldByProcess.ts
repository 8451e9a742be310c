import type { Holder, Vm } from './topology';

/** What a refused release says of a VF a running process holds (the `vf-held-by-process` problem's fields). */
export interface HeldByProcess {
  pid: number | null;
  configuredVmId: string | null;
  /** The problem's `detail`: who holds it, whose configuration names it, what to stop. */
  detail: string;
}

/** The pid of a running holder: its `via` is "<how> pid <N>", and a process nothing names has vmId `pid:<N>`. */
export function processIdOf(holder: Holder): number | null {
  const m = /\bpid[ :](\d+)$/.exec(holder.via) ?? /^pid:(\d+)$/.exec(holder.vmId);
  return m ? Number(m[1]) : null;
}

/**
 * The words for releasing `address` while a running process holds it and no configuration of that
 * process's VM names it (a hand-started QEMU, a device hot-plugged by hand, a pool pick): taking
 * it out of a configuration would free nothing, so the agent writes nothing and names the
 * process to stop. Shared with the page tests' fake agent, which must say the same.
 */
export function describeHeldByProcess(address: string, holder: Holder, vms: readonly Vm[]): HeldByProcess {
  const pid = processIdOf(holder);
  const configuredVmId = holder.configuredVmId ?? null;
  const proc = pid === null ? `the process ${holder.via}` : `QEMU process ${pid}`;
  const known = vms.some((v) => v.id === holder.vmId);
  const who = known ? `${proc} of VM ${holder.vmName} (${holder.vmId})` : holder.vmName === `pid:${pid}` ? proc : `${proc} (${holder.vmName})`;
  const stop = known ? `Stop VM ${holder.vmName} (${holder.vmId}), or take the device out of it by hand,` : `Stop ${pid === null ? 'that process' : `process ${pid}`}`;
  const configured = configuredVmId === null ? null : (vms.find((v) => v.id === configuredVmId) ?? null);
  const config =
    configuredVmId === null
      ? 'no VM configuration names it, so there is no configuration to take it out of'
      : `the configuration of VM ${configured ? `${configured.name} (${configuredVmId})` : configuredVmId} names it, but that VM does not hold it; taking it out of that configuration would not free it`;
  return { pid, configuredVmId, detail: `${address} is held by ${who}, and ${config}. ${stop} to free it; nothing was written.` };
}
