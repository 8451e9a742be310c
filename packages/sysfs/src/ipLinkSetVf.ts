import { execFile } from 'node:child_process';
import type { VfConfigChange, VfSettingName } from '@vfmap/model';

/**
 * One VF setting as iproute2 takes it (`ip link set dev <pf> vf N …`, ip-link(8)): the arguments
 * after `ip`, as an array for execFile — never a shell, so nothing in them can become syntax, and
 * `dev` makes the interface a name even if it looked like a keyword. A VLAN goes with its qos and
 * protocol in one call (IFLA_VF_VLAN_LIST); a rate is `max_tx_rate` / `min_tx_rate` (iproute2
 * fills in the other of the two from the kernel, so each can be set alone; the older `rate` is
 * max_tx_rate only).
 */
export function ipLinkSetVfArgs(ifname: string, vfIndex: number, setting: VfSettingName, change: VfConfigChange): string[] {
  const head = ['link', 'set', 'dev', ifname, 'vf', String(vfIndex)];
  const onOff = (v: boolean | undefined) => (v ? 'on' : 'off');
  switch (setting) {
    case 'mac':
      return [...head, 'mac', need(change.mac, setting)];
    case 'vlan': {
      const args = [...head, 'vlan', String(need(change.vlan, setting))];
      if (change.qos !== undefined) args.push('qos', String(change.qos));
      if (change.vlanProtocol !== undefined) args.push('proto', change.vlanProtocol);
      return args;
    }
    case 'spoofChk':
      return [...head, 'spoofchk', onOff(need(change.spoofChk, setting))];
    case 'trust':
      return [...head, 'trust', onOff(need(change.trust, setting))];
    case 'linkState':
      return [...head, 'state', need(change.linkState, setting)];
    case 'maxTxRateMbps':
      return [...head, 'max_tx_rate', String(need(change.maxTxRateMbps, setting))];
    case 'minTxRateMbps':
      return [...head, 'min_tx_rate', String(need(change.minTxRateMbps, setting))];
  }
}

function need<T>(value: T | undefined, setting: VfSettingName): T {
  if (value === undefined) throw new Error(`the change has no ${setting}`);
  return value;
}

/** How one `ip` run ended. */
export type IpRunOutcome =
  | { ok: true }
  | {
      ok: false;
      /** null: it did not run (not installed) or was killed. */
      exitStatus: number | null;
      stderr: string;
      /** Killed after the timeout. */
      timedOut: boolean;
      /** Why, in words, when not what `ip` said itself (not installed, killed). */
      why: string | null;
    };

/** Runs `ip` with these arguments; the real one, or the simulated kernel's (@vfmap/simhost). */
export type IpRun = (args: readonly string[]) => Promise<IpRunOutcome>;

export interface IpRunOptions {
  /** The `ip` program (default: `ip` on PATH). */
  ip?: string;
  /** Kill it after this long (default 10 s: igb answers in well under a second, even under emulation). */
  timeoutMs?: number;
}

/** The real host's `ip`, in the C locale (its messages are matched to errno names below). */
export function ipRun(options: IpRunOptions = {}): IpRun {
  const ip = options.ip ?? 'ip';
  const timeout = options.timeoutMs ?? 10_000;
  return (args) =>
    new Promise((resolve) => {
      execFile(ip, [...args], { timeout, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LANG: 'C' } }, (err, _stdout, stderr) => {
        if (!err) return resolve({ ok: true });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number | null };
        if (e.code === 'ENOENT') return resolve({ ok: false, exitStatus: null, stderr, timedOut: false, why: `${ip} is not installed or not on PATH (iproute2)` });
        if (e.killed) return resolve({ ok: false, exitStatus: null, stderr, timedOut: true, why: `${ip} did not finish in ${timeout} ms and was killed` });
        resolve({ ok: false, exitStatus: typeof e.code === 'number' ? e.code : null, stderr, timedOut: false, why: null });
      });
    });
}

/**
 * The errno behind `RTNETLINK answers: <strerror>` (iproute2 prints the kernel's error that way),
 * for the messages a PF driver's ndo_set_vf_* answers with; null for anything else.
 */
export function rtnetlinkErrno(stderr: string): string | null {
  const said = /RTNETLINK answers: (.+)/.exec(stderr)?.[1]?.trim();
  return (said !== undefined && STRERROR[said]) || null;
}

const STRERROR: Readonly<Record<string, string>> = {
  'Operation not supported': 'EOPNOTSUPP',
  'Protocol not supported': 'EPROTONOSUPPORT',
  'Invalid argument': 'EINVAL',
  'Numerical result out of range': 'ERANGE',
  'Device or resource busy': 'EBUSY',
  'Operation not permitted': 'EPERM',
  'Permission denied': 'EACCES',
  'No such device': 'ENODEV',
  'Cannot assign requested address': 'EADDRNOTAVAIL',
  'Resource temporarily unavailable': 'EAGAIN',
  'Input/output error': 'EIO',
};
