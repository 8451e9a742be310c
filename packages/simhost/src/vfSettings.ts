import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PciAddress } from '@vfmap/model';
import { replaceFile } from './replaceFile';
import type { SimPaths } from './simPaths';

/**
 * Each VF's settings as the PF's driver keeps them (the kernel's `struct ifla_vf_info`, filled by
 * the driver's ndo_get_vf_config): what `ip link set <pf> vf N …` changes and `ip -j -d link show`
 * prints (ipLinkJson.ts). They belong to the PF's driver, so they are born with the VFs, with the
 * driver's defaults (sriov_enable), and die with them (sriov_disable, or a PF driver whose remove()
 * disables SR-IOV). Kept per PF in ROOT/var/lib/vfmap-sim/vf-settings/<pf address>.json (a reader
 * of one PF parses only its VFs: 256 of them on the `large` profile), replaced whole by rename;
 * changed only under the kernel lock (a writer of `ip link set … vf` uses updateVfSettings).
 */
export const SimVfSettings = z.object({
  /** 00:00:00:00:00:00 until one is set (igb: "until set by the PF"). */
  mac: z.string(),
  vlan: z.number().int().min(0).max(4095),
  qos: z.number().int().min(0).max(7),
  vlanProtocol: z.enum(['802.1Q', '802.1ad']),
  /** Mbps; 0 is no limit / no guarantee. */
  maxTxRate: z.number().int().nonnegative(),
  minTxRate: z.number().int().nonnegative(),
  spoofChk: z.boolean(),
  trust: z.boolean(),
  linkState: z.enum(['auto', 'enable', 'disable']),
  queryRss: z.boolean(),
});
export type SimVfSettings = z.infer<typeof SimVfSettings>;

/** One PF's VFs' settings, by VF index. */
export const PfVfSettings = z.array(SimVfSettings);
export type PfVfSettings = z.infer<typeof PfVfSettings>;

/** What a PF driver's ndo_get_vf_config reports, and the VF settings it starts VFs with. */
export interface VfSettingsTraits {
  /** Its default for a new VF. */
  spoofChk: boolean;
  /** It fills rss_query_en (ixgbe); the others leave the kernel's -1 and `ip` leaves the key out. */
  reportsQueryRss: boolean;
}

/**
 * The PF drivers with ndo_get_vf_config (Linux 6.1): only their netdevs have a vfinfo_list. igb's
 * is from the real 82576 (fixtures/realkernel-igb/ip-link/: spoofchk on, trust off, link_state
 * auto, rates 0, no query_rss_en); the others from their drivers' ndo_get_vf_config (mlx5 starts
 * VFs with spoof checking off).
 */
const TRAITS: Readonly<Record<string, VfSettingsTraits>> = {
  igb: { spoofChk: true, reportsQueryRss: false },
  ixgbe: { spoofChk: true, reportsQueryRss: true },
  i40e: { spoofChk: true, reportsQueryRss: false },
  ice: { spoofChk: true, reportsQueryRss: false },
  mlx5_core: { spoofChk: false, reportsQueryRss: false },
};

/** The PF driver's traits; null for a driver that keeps no VF settings (nvme, pci-pf-stub, VF drivers). */
export function vfSettingsTraits(driver: string | null): VfSettingsTraits | null {
  return (driver !== null && TRAITS[driver]) || null;
}

export function defaultVfSettings(traits: VfSettingsTraits): SimVfSettings {
  return {
    mac: '00:00:00:00:00:00', vlan: 0, qos: 0, vlanProtocol: '802.1Q', maxTxRate: 0, minTxRate: 0,
    spoofChk: traits.spoofChk, trust: false, linkState: 'auto', queryRss: false,
  };
}

const dirOf = (paths: SimPaths) => join(paths.simState, 'vf-settings');
const fileOf = (paths: SimPaths, pf: PciAddress) => join(dirOf(paths), `${pf}.json`);

/** What the PF's driver keeps for its VFs; [] when it keeps nothing (no VFs). */
export function readPfVfSettings(paths: SimPaths, pf: PciAddress): PfVfSettings {
  let text: string;
  try {
    text = readFileSync(fileOf(paths, pf), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return PfVfSettings.parse(JSON.parse(text));
}

function writePfVfSettings(paths: SimPaths, pf: PciAddress, list: PfVfSettings): void {
  mkdirSync(dirOf(paths), { recursive: true });
  replaceFile(fileOf(paths, pf), `${JSON.stringify(list)}\n`, 0o644, paths.simState);
}

/** The settings of VF `index`: as kept, or the driver's defaults for a VF with none kept yet. */
export function vfSettingsOf(kept: PfVfSettings, index: number, traits: VfSettingsTraits): SimVfSettings {
  return kept[index] ?? defaultVfSettings(traits);
}

/** sriov_enable(): the driver allocates its per-VF data for `count` new VFs, with its defaults. */
export function createVfSettings(paths: SimPaths, pf: PciAddress, driver: string | null, count: number): void {
  const traits = vfSettingsTraits(driver);
  if (traits) writePfVfSettings(paths, pf, Array.from({ length: count }, () => defaultVfSettings(traits)));
  else dropVfSettings(paths, pf);
}

/** sriov_disable(): the VFs are gone and so is what the driver kept for them. */
export function dropVfSettings(paths: SimPaths, pf: PciAddress): void {
  rmSync(fileOf(paths, pf), { force: true });
}

/**
 * Changes VF `index`'s settings (what `ip link set <pf> vf N …` does once the driver accepted it;
 * refusing what the driver cannot do is the caller's job). Call under the kernel lock.
 */
export function updateVfSettings(paths: SimPaths, pf: PciAddress, index: number, traits: VfSettingsTraits, change: Partial<SimVfSettings>): SimVfSettings {
  const list = readPfVfSettings(paths, pf);
  const next = SimVfSettings.parse({ ...vfSettingsOf(list, index, traits), ...change });
  for (let i = list.length; i < index; i++) list.push(defaultVfSettings(traits));
  list[index] = next;
  writePfVfSettings(paths, pf, list);
  return next;
}
