import type { VmStates } from './hypervisor';
import { parseQmList, vmStateOfQmStatus } from './parseQmList';
import type { Qm } from './qm';

/**
 * The VMs' states as `qm list` gives them. Proxmox's qm runs only as root, so the split agent's
 * HTTP side does not call this itself: its root helper does, for a `listVms` message.
 */
export async function qmVmStates(qm: Qm): Promise<VmStates> {
  return new Map(parseQmList(await qm.list()).map((e) => [e.vmid, vmStateOfQmStatus(e.status)]));
}
