import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PciAddress } from '@vfmap/model';
import { simPaths } from './simPaths';
import { readPfVfSettings, vfSettingsOf, vfSettingsTraits, type SimVfSettings, type VfSettingsTraits } from './vfSettings';

/** `ip` failed as the real one does (exit status 1, its message on stderr). */
export class SimIpError extends Error {
  override name = 'SimIpError';
}

/**
 * What `ip -j -d link show dev <ifname>` prints on the simulated host (iproute2 6.1 over the
 * kernel's RTM_NEWLINK): the interface found through sys/class/net, its PCI device, and — for a
 * netdev whose driver keeps VF settings — one `vfinfo_list` entry per VF (sriov_numvfs of the
 * device, IFLA_NUM_VF), from vfSettings.ts, with the keys iproute2 leaves out left out (VLAN 0,
 * 802.1Q, query_rss_en a driver does not report). The agent reads it with the same parser as the
 * real `ip`'s output. Throws SimIpError ("Device "x" does not exist.") for an unknown interface.
 */
export function simIpLinkShow(root: string, ifname: string): { stdout: string; stderr: string } {
  const paths = simPaths(root);
  let netDir: string;
  try {
    if (ifname === '' || ifname.includes('/') || ifname === '.' || ifname === '..') throw new Error('not a name');
    netDir = realpathSync(join(paths.classNet, ifname));
  } catch {
    throw new SimIpError(`Device "${ifname}" does not exist.`);
  }
  const attr = (dir: string, name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const operstate = attr(netDir, 'operstate') ?? 'unknown';
  const link: Record<string, unknown> = {
    ifindex: Number(attr(netDir, 'ifindex') ?? 0),
    ifname,
    flags: operstate === 'up' ? ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'] : ['BROADCAST', 'MULTICAST'],
    mtu: Number(attr(netDir, 'mtu') ?? 1500),
    operstate: operstate.toUpperCase(),
    link_type: 'ether',
    address: attr(netDir, 'address') ?? '00:00:00:00:00:00',
    broadcast: 'ff:ff:ff:ff:ff:ff',
  };
  let deviceDir: string | null = null;
  try {
    deviceDir = realpathSync(join(netDir, 'device'));
  } catch {
    // A virtual interface: no parent device, no VF list.
  }
  if (deviceDir !== null) {
    const address = basename(deviceDir) as PciAddress;
    link['parentbus'] = 'pci';
    link['parentdev'] = address;
    const traits = vfSettingsTraits(driverOf(deviceDir));
    // rtnl_fill_vf(): IFLA_VFINFO_LIST only when the driver has ndo_get_vf_config; one entry per VF.
    if (traits) {
      const numVfs = Number(attr(deviceDir, 'sriov_numvfs') ?? 0);
      const kept = readPfVfSettings(paths, address);
      link['vfinfo_list'] = Array.from({ length: numVfs }, (_, vf) => vfInfoEntry(vf, vfSettingsOf(kept, vf, traits), traits));
    }
  }
  return { stdout: `${JSON.stringify([link])}\n`, stderr: '' };
}

function driverOf(deviceDir: string): string | null {
  try {
    return basename(readlinkSync(join(deviceDir, 'driver')));
  } catch {
    return null;
  }
}

/** One VF as iproute2's print_vfinfo() prints it in JSON, keys in its order. */
function vfInfoEntry(vf: number, s: SimVfSettings, traits: VfSettingsTraits): Record<string, unknown> {
  const vlan: Record<string, unknown> = {};
  if (s.vlan !== 0) vlan['vlan'] = s.vlan;
  if (s.qos !== 0) vlan['qos'] = s.qos;
  if (s.vlanProtocol !== '802.1Q') vlan['protocol'] = s.vlanProtocol;
  return {
    vf,
    link_type: 'ether',
    address: s.mac,
    broadcast: 'ff:ff:ff:ff:ff:ff',
    vlan_list: [vlan],
    ...(s.maxTxRate !== 0 ? { tx_rate: s.maxTxRate } : {}),
    rate: { max_tx: s.maxTxRate, min_tx: s.minTxRate },
    spoofchk: s.spoofChk,
    link_state: s.linkState,
    trust: s.trust,
    ...(traits.reportsQueryRss ? { query_rss_en: s.queryRss } : {}),
  };
}
