import { MacAddress, VfConfig, VfLinkState, type VlanProtocol } from '@vfmap/model';

/**
 * A PF's VF settings as `ip -j -d link show dev <pf>` prints them (iproute2's print_vfinfo(),
 * the kernel's IFLA_VFINFO_LIST), per VF index. Pure: the caller runs `ip` (or the simulated
 * kernel prints the same JSON), this reads what it printed.
 *
 * What iproute2 leaves out, and what that means here (checked against the igb captures in
 * fixtures/realkernel-igb/ip-link/):
 * - `vlan_list[{vlan, qos, protocol}]`: each key is left out when 0, or 802.1Q for the protocol,
 *   so `[{}]` is no VLAN. Older kernels without IFLA_VF_VLAN_LIST get `vlan`/`qos` on the entry,
 *   also left out when 0.
 * - `spoofchk`, `trust`, `query_rss_en`: left out when the driver reports -1 (does not say): null.
 * - `link_state`, `rate{max_tx,min_tx}`, `address`: left out only when the kernel did not send
 *   them: null. `tx_rate` is the legacy max rate, used when `rate` is missing.
 * - `address` 00:00:00:00:00:00 is "no MAC set" (null); a non-Ethernet VF (InfiniBand) has no
 *   MAC in the model's sense: null too.
 * - Keys it does not know (`link_type`, `broadcast`, `"node guid"`, `stats`...) are ignored.
 * - `vfinfo_list` is there for every netdev whose driver has ndo_get_vf_config, `[]` with no VFs;
 *   a driver without it has none at all (`reported: false`).
 * - The kernel cuts the list short when the message would be too large (hundreds of VFs); `ip`
 *   says so only on stderr ("Truncated VF list: <ifname>"). The VFs past the cut have no entry.
 *
 * A value that is there but not what iproute2 prints makes that VF's entry unreadable (a
 * problem, no config): never a guess. Output that is not `ip -j` JSON at all throws VfInfoError.
 */
export interface VfInfoList {
  /** The PF's driver reports VF settings (the JSON has `vfinfo_list`). */
  reported: boolean;
  /** Each VF's settings by index; a VF without a (readable) entry is not in it. */
  configs: Map<number, VfConfig>;
  /** Fewer entries than the PF has VFs (sriov_numvfs), or `ip` said "Truncated VF list". */
  truncated: boolean;
  /** How many entries the list had. */
  entries: number;
  /** Entries that could not be read, each naming its VF (or position). */
  problems: string[];
}

export class VfInfoError extends Error {
  override name = 'VfInfoError';
}

export interface VfInfoInput {
  stdout: string;
  /** What `ip` wrote to stderr: where it says the list was cut short. */
  stderr?: string;
}

const NO_MAC = '00:00:00:00:00:00';

/** Reads `ip -j -d link show dev <ifname>`'s output for a PF that has `numVfs` VFs (its sriov_numvfs). */
export function parseVfInfo(output: VfInfoInput, ifname: string, numVfs: number): VfInfoList {
  const link = theLink(output.stdout, ifname);
  const list = link['vfinfo_list'];
  const truncatedSaid = /^Truncated VF list\b/m.test(output.stderr ?? '');
  if (list === undefined) return { reported: false, configs: new Map(), truncated: truncatedSaid, entries: 0, problems: [] };
  if (!Array.isArray(list)) throw new VfInfoError(`ip -j -d link show dev ${ifname}: vfinfo_list is not a list`);

  const configs = new Map<number, VfConfig>();
  const problems: string[] = [];
  list.forEach((entry: unknown, position) => {
    if (!isObject(entry) || !Number.isInteger(entry['vf']) || (entry['vf'] as number) < 0) {
      problems.push(`entry ${position} of ${ifname}'s vfinfo_list has no VF number`);
      return;
    }
    const vf = entry['vf'] as number;
    if (configs.has(vf)) {
      problems.push(`${ifname}'s vfinfo_list lists VF ${vf} twice`);
      configs.delete(vf);
      return;
    }
    const read = readEntry(entry);
    if (typeof read === 'string') problems.push(`VF ${vf} of ${ifname}: ${read}`);
    else configs.set(vf, read);
  });
  return { reported: true, configs, truncated: truncatedSaid || list.length < numVfs, entries: list.length, problems };
}

/** The one link object `ip -j … show dev <ifname>` prints, as an array of one. */
function theLink(stdout: string, ifname: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (err) {
    const excerpt = stdout.trim().slice(0, 80);
    throw new VfInfoError(`ip -j -d link show dev ${ifname} printed no JSON (${(err as Error).message})${excerpt ? `: "${excerpt}"` : ''}`);
  }
  if (!Array.isArray(parsed) || parsed.length !== 1 || !isObject(parsed[0])) {
    throw new VfInfoError(`ip -j -d link show dev ${ifname} printed JSON that is not one link (an array of one object)`);
  }
  const link = parsed[0];
  if (link['ifname'] !== undefined && link['ifname'] !== ifname) {
    throw new VfInfoError(`ip -j -d link show dev ${ifname} answered for ${JSON.stringify(link['ifname'])}`);
  }
  return link;
}

/** One `vfinfo_list` entry as a VfConfig, or what is wrong with it. */
function readEntry(entry: Record<string, unknown>): VfConfig | string {
  const mac = readMac(entry);
  if (typeof mac === 'object' && mac !== null) return mac.problem;
  const vlan = readVlan(entry);
  if (typeof vlan === 'string') return vlan;
  const rate = readRate(entry);
  if (typeof rate === 'string') return rate;
  const flags: Record<'spoofchk' | 'trust' | 'query_rss_en', boolean | null> = { spoofchk: null, trust: null, query_rss_en: null };
  for (const key of ['spoofchk', 'trust', 'query_rss_en'] as const) {
    const value = entry[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') return `${key} is ${JSON.stringify(value)}, not true or false`;
    flags[key] = value;
  }
  let linkState: VfLinkState | null = null;
  if (entry['link_state'] !== undefined) {
    const parsed = VfLinkState.safeParse(entry['link_state']);
    if (!parsed.success) return `link_state is ${JSON.stringify(entry['link_state'])}, not auto, enable or disable`;
    linkState = parsed.data;
  }
  const config = VfConfig.safeParse({
    mac,
    ...vlan,
    spoofChk: flags.spoofchk,
    trust: flags.trust,
    linkState,
    ...rate,
    queryRss: flags.query_rss_en,
  });
  if (!config.success) return config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return config.data;
}

function readMac(entry: Record<string, unknown>): string | null | { problem: string } {
  const address = entry['address'];
  if (address === undefined) return null;
  // An InfiniBand VF's address is 20 bytes (with its GUIDs beside): not a MAC.
  if (entry['link_type'] !== undefined && entry['link_type'] !== 'ether') return null;
  if (typeof address !== 'string') return { problem: `address is ${JSON.stringify(address)}, not a MAC address` };
  const mac = address.toLowerCase();
  if (!MacAddress.safeParse(mac).success) return { problem: `address "${address}" is not a MAC address` };
  return mac === NO_MAC ? null : mac;
}

function readVlan(entry: Record<string, unknown>): { vlan: number; qos: number; vlanProtocol: VlanProtocol } | string {
  const list = entry['vlan_list'];
  let info: Record<string, unknown> = entry;
  if (list !== undefined) {
    if (!Array.isArray(list) || list.length > 1 || (list.length === 1 && !isObject(list[0]))) {
      return `vlan_list is ${JSON.stringify(list)}, not a list of one VLAN`;
    }
    info = (list[0] as Record<string, unknown> | undefined) ?? {};
  }
  const vlan = info['vlan'] ?? 0;
  const qos = info['qos'] ?? 0;
  if (typeof vlan !== 'number' || typeof qos !== 'number') return `vlan ${JSON.stringify(vlan)} / qos ${JSON.stringify(qos)} are not numbers`;
  const protocol = info['protocol'];
  if (protocol !== undefined && protocol !== '802.1Q' && protocol !== '802.1ad') {
    return `VLAN protocol ${JSON.stringify(protocol)} is neither 802.1Q nor 802.1ad`;
  }
  return { vlan, qos, vlanProtocol: protocol ?? '802.1Q' };
}

function readRate(entry: Record<string, unknown>): { maxTxRateMbps: number | null; minTxRateMbps: number | null } | string {
  const rate = entry['rate'];
  if (rate === undefined) {
    const legacy = entry['tx_rate'];
    if (legacy !== undefined && typeof legacy !== 'number') return `tx_rate is ${JSON.stringify(legacy)}, not a number`;
    return { maxTxRateMbps: legacy ?? null, minTxRateMbps: null };
  }
  if (!isObject(rate)) return `rate is ${JSON.stringify(rate)}, not {max_tx, min_tx}`;
  const max = rate['max_tx'];
  const min = rate['min_tx'];
  if ((max !== undefined && typeof max !== 'number') || (min !== undefined && typeof min !== 'number')) {
    return `rate is ${JSON.stringify(rate)}: max_tx and min_tx are not numbers`;
  }
  return { maxTxRateMbps: max ?? null, minTxRateMbps: min ?? null };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
