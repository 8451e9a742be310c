import { readdirSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { vfSettingsOf, type VfConfigChange, type VfSettingName } from '@vfmap/model';
import { simIpLinkSetVf } from '@vfmap/simhost';
import { ipLinkSetVfArgs, ipRun, rtnetlinkErrno, type IpRun, type SysfsPaths } from '@vfmap/sysfs';
import { NoKernelError } from '../errors';
import { VfSettingRefused } from '../operations/errors';
import type { KernelSpec } from './kernelSpec';

/** Applies a VF's settings; see PrivilegedSteps.setVfConfig (helper/helperSteps.ts). */
export type VfSettingsWriter = (pf: string, vfIndex: number, change: VfConfigChange) => Promise<VfSettingName[]>;

/**
 * Where the agent runs `ip link set dev <pf> vf N …`, by the same choice as the kernel it writes
 * to and reads VF settings from (kernel/vfSettingsReader.ts): `real` runs iproute2's `ip`;
 * `simulated` gives the same argument array to the simulated kernel's `ip` (@vfmap/simhost), which
 * answers as the real one does; `none` sets nothing.
 */
export function vfSettingsWriter(spec: KernelSpec, paths: SysfsPaths, options: { timeoutMs?: number; ip?: string } = {}): VfSettingsWriter {
  switch (spec.kind) {
    case 'real':
      return applyVfSettings(ipRun({ ...(options.ip ? { ip: options.ip } : {}), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) }), paths);
    case 'simulated': {
      const { root } = spec;
      return applyVfSettings(async (args) => {
        const { exitStatus, stderr } = simIpLinkSetVf(root, args);
        return exitStatus === 0 ? { ok: true } : { ok: false, exitStatus, stderr, timedOut: false, why: null };
      }, paths);
    }
    case 'none':
      return () => Promise.reject(new NoKernelError('The agent was started without a kernel to write to (--kernel none), so no VF setting was changed.'));
  }
}

/**
 * One `ip` call per setting, in vfSettingsOf order, stopping at the first that fails: a refusal
 * names the setting, the driver, what `ip` said and the settings applied before it (they stay).
 * The PF's netdev is looked up here, from its address in sysfs, not taken from the caller.
 */
export function applyVfSettings(run: IpRun, paths: SysfsPaths): VfSettingsWriter {
  return async (pf, vfIndex, change) => {
    const ifname = pfNetdev(paths, pf);
    const driver = driverOf(paths, pf);
    const applied: VfSettingName[] = [];
    for (const setting of vfSettingsOf(change)) {
      const args = ipLinkSetVfArgs(ifname, vfIndex, setting, change);
      const outcome = await run(args);
      if (!outcome.ok) {
        const errno = rtnetlinkErrno(outcome.stderr);
        const command = ['ip', ...args];
        const said = outcome.why ?? (firstLine(outcome.stderr) || `exit status ${outcome.exitStatus ?? 'unknown'}`);
        const what = settingWords(setting, change);
        const cannot = errno === 'EOPNOTSUPP' || errno === 'EPROTONOSUPPORT' || (errno === 'EINVAL' && setting === 'minTxRateMbps');
        const head = cannot ? `${driver ?? 'The PF\'s driver'} cannot set ${what} on VF ${vfIndex} of ${pf}` : `Setting ${what} on VF ${vfIndex} of ${pf} failed`;
        const before = applied.length > 0 ? `${applied.map((s) => settingWords(s, change)).join(', ')} ${applied.length === 1 ? 'was' : 'were'} applied before it and stay applied` : 'nothing was applied before it';
        throw new VfSettingRefused(`${head} (${command.join(' ')}: ${said}); ${before}.`, {
          pf,
          interface: ifname,
          vfIndex,
          driver,
          setting,
          command,
          exitStatus: outcome.exitStatus,
          errno,
          stderr: outcome.stderr,
          applied: [...applied],
          ...(outcome.timedOut ? { timedOut: true } : {}),
        });
      }
      applied.push(setting);
    }
    return applied;
  };
}

/** A setting in words, as the message says it ("link state", "VLAN protocol 802.1ad"). */
export function settingWords(setting: VfSettingName, change: VfConfigChange): string {
  switch (setting) {
    case 'mac':
      return 'the MAC';
    case 'vlan':
      return change.vlanProtocol === '802.1ad' ? 'VLAN protocol 802.1ad' : change.qos !== undefined ? 'the VLAN and its qos' : 'the VLAN';
    case 'spoofChk':
      return 'spoof checking';
    case 'trust':
      return 'trust';
    case 'linkState':
      return 'the link state';
    case 'maxTxRateMbps':
      return 'a max TX rate';
    case 'minTxRateMbps':
      return 'a min TX rate';
  }
}

/**
 * The PF's netdev, as the topology reader names it (the first under `net/`, in the same order as
 * readNetdevs): the one `ip -j -d link show` reads the VFs' settings through.
 */
export function pfNetdev(paths: SysfsPaths, pf: string): string {
  let names: string[];
  try {
    names = readdirSync(join(paths.pciDevice(pf), 'net'));
  } catch {
    names = [];
  }
  const first = names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))[0];
  if (first === undefined) throw new Error(`${pf} has no network interface (no net/ under its sysfs directory), so its VFs' settings cannot be set`);
  return first;
}

function driverOf(paths: SysfsPaths, pf: string): string | null {
  try {
    return basename(readlinkSync(paths.pciDeviceFile(pf, 'driver')));
  } catch {
    return null;
  }
}

function firstLine(stderr: string): string {
  const line = (stderr.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  // eslint-disable-next-line no-control-regex
  const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}
