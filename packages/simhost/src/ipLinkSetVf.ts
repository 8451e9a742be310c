import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PciAddress } from '@vfmap/model';
import { withKernelLock } from './kernelLock';
import { simPaths } from './simPaths';
import { updateVfSettings, vfSettingsTraits, type SimVfSettings } from './vfSettings';

/** How `ip` ended: its exit status (0: done) and what it wrote to stderr. */
export interface SimIpOutcome {
  exitStatus: number;
  stderr: string;
}

/**
 * What each PF driver's ndo_set_vf_* answers for the settings not every driver can set. igb's are
 * measured on the real 82576 (test/realkernel/README.md, fixtures/realkernel-igb/probe-igb.md:
 * `state` EOPNOTSUPP, `min_tx_rate 10` EINVAL, `proto 802.1ad` EPROTONOSUPPORT, qos accepted);
 * the others are read from their Linux 6.1 drivers, not measured here: ixgbe_ndo_set_vf_bw and
 * i40e_ndo_set_vf_bw refuse any min_tx_rate with EINVAL, ixgbe's, i40e's and mlx5e's set_vf_vlan
 * refuse a protocol other than 802.1Q with EPROTONOSUPPORT; ice sets all of them (802.1ad in its
 * double-VLAN mode) and mlx5 the link state and both rates. igb, ixgbe and i40e refuse a max rate
 * above the link speed with EINVAL (ixgbe also one of 10 Mbps or less).
 */
interface DriverVfFacts {
  linkState: boolean;
  minTxRate: boolean;
  qinq: boolean;
  /** max_tx_rate is bounded by the PF's link speed. */
  maxRateBelowSpeed: boolean;
  /** The smallest non-zero max_tx_rate it takes. */
  maxRateMin: number;
}

const FACTS: Readonly<Record<string, DriverVfFacts>> = {
  igb: { linkState: false, minTxRate: false, qinq: false, maxRateBelowSpeed: true, maxRateMin: 1 },
  ixgbe: { linkState: true, minTxRate: false, qinq: false, maxRateBelowSpeed: true, maxRateMin: 11 },
  i40e: { linkState: true, minTxRate: false, qinq: false, maxRateBelowSpeed: true, maxRateMin: 1 },
  ice: { linkState: true, minTxRate: true, qinq: true, maxRateBelowSpeed: false, maxRateMin: 1 },
  mlx5_core: { linkState: true, minTxRate: true, qinq: false, maxRateBelowSpeed: false, maxRateMin: 1 },
};

/** strerror() as iproute2 prints the kernel's answer. */
const STRERROR = {
  EINVAL: 'Invalid argument',
  EOPNOTSUPP: 'Operation not supported',
  EPROTONOSUPPORT: 'Protocol not supported',
} as const;
type Errno = keyof typeof STRERROR;

/** iproute2 exits 2 when the kernel refused the request, 1 for a device it cannot find, 255 for its own argument errors. */
const refused = (errno: Errno): SimIpOutcome => ({ exitStatus: 2, stderr: `RTNETLINK answers: ${STRERROR[errno]}\n` });
const badArgs = (what: string): SimIpOutcome => ({ exitStatus: 255, stderr: `Error: ${what}\n` });

/** One setting parsed from the arguments after `vf N`, as iproute2's iplink_parse_vf reads them. */
type Setting =
  | { mac: string }
  | { vlan: number; qos: number; proto: '802.1Q' | '802.1ad' }
  | { spoofchk: boolean }
  | { trust: boolean }
  | { state: 'auto' | 'enable' | 'disable' }
  | { maxTxRate: number }
  | { minTxRate: number };

/**
 * `ip link set dev <ifname> vf <N> <one setting>` on the simulated host, taking the same argument
 * array as the real `ip` (the arguments after `ip`): the interface found through sys/class/net,
 * its PCI device and driver; the driver's refusals as the real one answers them (FACTS); what it
 * accepts kept under the kernel lock, where `ip -j -d link show` (ipLinkJson.ts) reads it.
 * One setting per call is all vfmap sends, so that is all this reads.
 */
export function simIpLinkSetVf(root: string, args: readonly string[]): SimIpOutcome {
  const paths = simPaths(root);
  if (args.length < 8 || args[0] !== 'link' || args[1] !== 'set' || args[2] !== 'dev' || args[4] !== 'vf') return badArgs('the simulated ip takes only "link set dev IFNAME vf N SETTING"');
  const ifname = args[3]!;
  const index = /^(0|[1-9][0-9]{0,4})$/.test(args[5]!) ? Number(args[5]) : NaN;
  if (Number.isNaN(index)) return badArgs(`argument "${args[5]}" is wrong: Invalid "vf" value`);
  const setting = parseSetting(args.slice(6));
  if (typeof setting === 'string') return badArgs(setting);

  let deviceDir: string;
  try {
    if (ifname === '' || ifname.includes('/') || ifname === '.' || ifname === '..') throw new Error('not a name');
    deviceDir = realpathSync(join(paths.classNet, ifname, 'device'));
  } catch {
    return { exitStatus: 1, stderr: `Cannot find device "${ifname}"\n` };
  }
  const pf = basename(deviceDir) as PciAddress;
  const driver = driverOf(deviceDir);
  const traits = vfSettingsTraits(driver);
  // A netdev whose driver has no ndo_set_vf_* (or a VF's own netdev): rtnetlink answers EOPNOTSUPP.
  const facts = driver !== null ? FACTS[driver] : undefined;
  if (!traits || !facts) return refused('EOPNOTSUPP');

  return withKernelLock(paths, () => {
    // The driver checks the index against the VFs it has (igb: "vf 7" with 6 VFs, or any with none).
    const numVfs = Number(readAttr(deviceDir, 'sriov_numvfs') ?? 0);
    if (index >= numVfs) return refused('EINVAL');
    const change = accepted(setting, facts, linkSpeed(join(paths.classNet, ifname)));
    if (typeof change === 'string') return refused(change);
    updateVfSettings(paths, pf, index, traits, change);
    return { exitStatus: 0, stderr: '' };
  });
}

/** What the driver keeps for the setting, or the errno it refuses it with. */
function accepted(s: Setting, facts: DriverVfFacts, speedMbps: number | null): Partial<SimVfSettings> | Errno {
  if ('mac' in s) {
    // ndo_set_vf_mac: is_valid_ether_addr(), or all zeros to remove the administratively set MAC.
    const first = parseInt(s.mac.slice(0, 2), 16);
    return (first & 1) === 1 ? 'EINVAL' : { mac: s.mac };
  }
  if ('vlan' in s) {
    if (s.proto === '802.1ad' && !facts.qinq) return 'EPROTONOSUPPORT';
    return { vlan: s.vlan, qos: s.qos, vlanProtocol: s.proto };
  }
  if ('spoofchk' in s) return { spoofChk: s.spoofchk };
  if ('trust' in s) return { trust: s.trust };
  if ('state' in s) return facts.linkState ? { linkState: s.state } : 'EOPNOTSUPP';
  if ('maxTxRate' in s) {
    if (s.maxTxRate !== 0 && s.maxTxRate < facts.maxRateMin) return 'EINVAL';
    if (s.maxTxRate !== 0 && facts.maxRateBelowSpeed && speedMbps !== null && s.maxTxRate > speedMbps) return 'EINVAL';
    return { maxTxRate: s.maxTxRate };
  }
  if (s.minTxRate !== 0 && !facts.minTxRate) return 'EINVAL';
  return { minTxRate: s.minTxRate };
}

function parseSetting(rest: readonly string[]): Setting | string {
  const [kw, value, ...more] = rest;
  if (value === undefined) return 'Command line is not complete. Try option "help"';
  const num = (max: number) => (/^[0-9]+$/.test(value) && Number(value) <= max ? Number(value) : NaN);
  const onOff = (name: string) => (value === 'on' ? true : value === 'off' ? false : `argument "${value}" is wrong: Invalid "${name}" value`);
  const single = <T>(s: T): T | string => (more.length === 0 ? s : `the simulated ip takes one setting per call; "${more[0]}" follows ${kw}`);
  switch (kw) {
    case 'mac':
      return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(value) ? single({ mac: value.toLowerCase() }) : `"${value}" is not a valid MAC address`;
    case 'vlan': {
      const vlan = num(4095);
      if (Number.isNaN(vlan)) return `argument "${value}" is wrong: Invalid "vlan" value`;
      let qos = 0;
      let proto: '802.1Q' | '802.1ad' = '802.1Q';
      for (let i = 0; i < more.length; i += 2) {
        const v = more[i + 1];
        if (more[i] === 'qos' && v !== undefined && /^[0-7]$/.test(v)) qos = Number(v);
        else if (more[i] === 'proto' && (v === '802.1Q' || v === '802.1ad')) proto = v;
        else return `argument "${v ?? ''}" is wrong: Invalid "${more[i]}" value`;
      }
      return { vlan, qos, proto };
    }
    case 'spoofchk': {
      const v = onOff('spoofchk');
      return typeof v === 'string' ? v : single({ spoofchk: v });
    }
    case 'trust': {
      const v = onOff('trust');
      return typeof v === 'string' ? v : single({ trust: v });
    }
    case 'state':
      return value === 'auto' || value === 'enable' || value === 'disable' ? single({ state: value }) : `argument "${value}" is wrong: Invalid "state" value`;
    case 'max_tx_rate':
    case 'rate': {
      const rate = num(4_294_967_295);
      return Number.isNaN(rate) ? `Invalid "max tx rate" value` : single({ maxTxRate: rate });
    }
    case 'min_tx_rate': {
      const rate = num(4_294_967_295);
      return Number.isNaN(rate) ? `Invalid "min tx rate" value` : single({ minTxRate: rate });
    }
    default:
      return `argument "${kw ?? ''}" is wrong: unknown vf setting`;
  }
}

function readAttr(dir: string, name: string): string | null {
  try {
    return readFileSync(join(dir, name), 'utf8').trim();
  } catch {
    return null;
  }
}

/** The PF's link speed in Mbps; null when it does not say (link down reads -1 or fails). */
function linkSpeed(netDir: string): number | null {
  const speed = Number(readAttr(netDir, 'speed'));
  return Number.isInteger(speed) && speed > 0 ? speed : null;
}

function driverOf(deviceDir: string): string | null {
  try {
    return basename(readlinkSync(join(deviceDir, 'driver')));
  } catch {
    return null;
  }
}
