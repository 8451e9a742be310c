import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELPER_OPS, HELPER_PCI_ADDRESS_RE, HelperRequest, type HypervisorKind } from '@vfmap/model';
import type { SysfsPaths } from '@vfmap/sysfs';
import { HelperRefused } from './helperErrors';

/**
 * The root side's own checks of every message, made again whatever the HTTP side checked: the
 * HTTP side runs as another user and parses the network's input, so the helper trusts nothing it
 * sends. Only values that passed these checks reach a path (built by sysfsPaths) or an argv.
 */
export interface HelperCheckContext {
  paths: SysfsPaths;
  hypervisor: HypervisorKind;
}

/** One line as a typed message, or a HelperRefused that says why not. */
export function parseHelperMessage(line: string): HelperRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new HelperRefused('not-json', 'the message is not JSON');
  }
  const op = (value as { op?: unknown } | null)?.op;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof op !== 'string' || !(HELPER_OPS as readonly string[]).includes(op)) {
    throw new HelperRefused('unknown-op', `the helper does only ${HELPER_OPS.join(', ')}; ${typeof op === 'string' ? `'${op.slice(0, 40)}'` : 'a message without an op'} is not one of them`);
  }
  const parsed = HelperRequest.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    if (field === 'pf' || field === 'address' || field === 'vf') throw new HelperRefused('bad-address', `${field} is not a PCI address (dddd:bb:dd.f, lower-case hex)`);
    // One element of sriovCapabilities's list (not the list's length).
    if (field === 'addresses' && typeof issue.path[1] === 'number') throw new HelperRefused('bad-address', `addresses.${issue.path[1]} is not a PCI address (dddd:bb:dd.f, lower-case hex)`);
    throw new HelperRefused('invalid-message', `${op}: ${issue.path.join('.') || 'message'}: ${issue.message}`);
  }
  return parsed.data;
}

/** What the message names exists and is in range on this host now. */
export function checkHelperRequest(request: HelperRequest, ctx: HelperCheckContext): void {
  switch (request.op) {
    case 'setNumVfs': {
      const total = totalVfs(ctx.paths, request.pf);
      if (request.count > total) throw new HelperRefused('count-out-of-range', `${request.pf} supports at most ${total} VFs (sriov_totalvfs); ${request.count} were asked for`);
      return;
    }
    case 'attach':
    case 'detach':
      checkDevice(ctx.paths, request.address);
      checkVmId(ctx.hypervisor, request.vmId);
      return;
    case 'setVfConfig':
      checkVfOf(ctx.paths, request.pf, request.vfIndex);
      return;
    case 'writePersistence': {
      const total = totalVfs(ctx.paths, request.pf);
      if (request.desired !== null && request.desired.count > total) {
        throw new HelperRefused('count-out-of-range', `${request.pf} supports at most ${total} VFs (sriov_totalvfs); the desired state says ${request.desired.count}`);
      }
      return;
    }
    case 'listVms':
      // Only Proxmox's listing needs root; the HTTP side lists the others' VMs itself.
      if (ctx.hypervisor !== 'proxmox') throw new HelperRefused('invalid-message', `listVms: the helper lists VMs only for proxmox (qm list needs root); this host's hypervisor is ${ctx.hypervisor}`);
      return;
    case 'runningHolders':
      // A read of /proc with nothing to name: what it answers is facts, parsed again on the HTTP side.
      return;
    case 'sriovCapabilities':
      // Read-only, but each address becomes a path: only PCI functions that exist now.
      for (const address of request.addresses) checkDevice(ctx.paths, address);
      return;
    case 'setVfDriver':
      checkVf(ctx.paths, request.vf);
      if (request.driver !== null && !existsSync(ctx.paths.pciDriver(request.driver))) {
        throw new HelperRefused('driver-not-loaded', `${request.driver} is not loaded on this host (no ${ctx.paths.pciDriver(request.driver)}); load it with modprobe ${request.driver}`);
      }
      return;
    case 'setDriversAutoprobe':
      checkDevice(ctx.paths, request.pf);
      if (!existsSync(ctx.paths.pciDeviceFile(request.pf, 'sriov_drivers_autoprobe'))) throw new HelperRefused('no-such-device', `${request.pf} is not an SR-IOV PF (it has no sriov_drivers_autoprobe)`);
      return;
  }
}

/**
 * driver_override decides which driver may bind: the helper writes it only on a VF (a function
 * with a physfn link), never on a PF or another device the host itself may need (a disk, the NIC
 * it is reached through).
 */
function checkVf(paths: SysfsPaths, address: string): void {
  checkDevice(paths, address);
  if (!existsSync(paths.pciDeviceFile(address, 'physfn'))) throw new HelperRefused('not-a-vf', `${address} is not a VF (it has no physfn link); the helper changes the driver of VFs only`);
}

function checkDevice(paths: SysfsPaths, address: string): void {
  // Checked again here, not only by the schema: this is the line that keeps a path out of a path.
  if (!HELPER_PCI_ADDRESS_RE.test(address)) throw new HelperRefused('bad-address', `'${address}' is not a PCI address`);
  if (!existsSync(paths.pciDevice(address))) throw new HelperRefused('no-such-device', `no PCI device ${address} on this host`);
}

/**
 * A VF setting goes through the PF's netdev to an existing VF: the PF has a `net/` interface and
 * at least vfIndex + 1 VFs now (the change itself was parsed again with VfConfigChange, so a
 * multicast MAC or VLAN 5000 never reaches `ip`).
 */
function checkVfOf(paths: SysfsPaths, pf: string, vfIndex: number): void {
  checkDevice(paths, pf);
  let netdevs: string[];
  try {
    netdevs = readdirSync(join(paths.pciDevice(pf), 'net'));
  } catch {
    netdevs = [];
  }
  if (netdevs.length === 0) throw new HelperRefused('no-such-device', `${pf} has no network interface, so its VFs have no settings to set`);
  let numVfs: number;
  try {
    numVfs = Number(readFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), 'utf8').trim());
  } catch {
    throw new HelperRefused('no-such-device', `${pf} is not an SR-IOV PF (it has no sriov_numvfs)`);
  }
  if (!(vfIndex < numVfs)) throw new HelperRefused('no-such-device', `${pf} has ${numVfs} VFs; there is no VF ${vfIndex}`);
}

function totalVfs(paths: SysfsPaths, pf: string): number {
  checkDevice(paths, pf);
  let text: string;
  try {
    text = readFileSync(paths.pciDeviceFile(pf, 'sriov_totalvfs'), 'utf8');
  } catch {
    throw new HelperRefused('no-such-device', `${pf} is not an SR-IOV PF (it has no sriov_totalvfs)`);
  }
  const total = Number(text.trim());
  if (!Number.isInteger(total) || total < 0) throw new HelperRefused('no-such-device', `${pf}'s sriov_totalvfs reads '${text.trim().slice(0, 20)}'`);
  return total;
}

/**
 * A VM id as the hypervisor spells them: Proxmox's are numbers from 100 (qm refuses others);
 * libvirt's are a domain name or UUID. The ids go into an argv, never a shell, but a name that
 * starts with `-` would be read as an option.
 */
const VM_ID_RULES: Record<HypervisorKind, RegExp> = {
  proxmox: /^[1-9][0-9]{2,8}$/,
  // libvirt allows nearly any domain name; not a leading '-', not '/', no control characters.
  libvirt: /^(?!-)[^/\x00-\x1f\x7f]{1,128}$/,
  simulated: /^[A-Za-z0-9_][A-Za-z0-9_.+:-]{0,63}$/,
  none: /^[A-Za-z0-9_][A-Za-z0-9_.+:-]{0,63}$/,
};

function checkVmId(kind: HypervisorKind, vmId: string): void {
  if (!VM_ID_RULES[kind].test(vmId)) throw new HelperRefused('bad-vm-id', `'${vmId.slice(0, 64)}' is not a ${kind} VM id`);
}
