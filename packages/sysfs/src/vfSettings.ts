import type { Pf, PciAddress, Topology, VfConfig, Warning } from '@vfmap/model';
import type { IpLinkOutput, IpLinkShow } from './ipLinkShow';
import { parseVfInfo, type VfInfoList } from './vfInfo';

/**
 * Each VF's settings (Vf.config) for a scanned topology: one `ip -j -d link show dev <pf>` per PF
 * that has a netdev and VFs — never one per VF — parsed by parseVfInfo. The settings live in the
 * PF's driver and only netlink shows them, so sysfs's fingerprint cannot see them change: what
 * `ip` printed goes into the agent's change check too (vfSettingsDigest).
 */

/** A PF whose VF settings are read: through its (first) netdev. */
export interface VfSettingsTarget {
  pf: PciAddress;
  ifname: string;
}

export type VfSettingsRead = VfSettingsTarget & ({ output: IpLinkOutput } | { error: string });

/**
 * The PFs to ask: those with a netdev (an NVMe PF has none: its VFs keep config null) and with
 * VFs. A PF with no VFs has no settings to show, and enabling VFs changes sysfs's fingerprint.
 */
export function vfSettingsTargets(topology: Pick<Topology, 'pfs'>): VfSettingsTarget[] {
  const out: VfSettingsTarget[] = [];
  for (const pf of topology.pfs) {
    const netdev = pf.netdevs[0];
    if (netdev && (pf.numVfs > 0 || pf.vfs.length > 0)) out.push({ pf: pf.address, ifname: netdev.name });
  }
  return out;
}

export function sameTargets(a: readonly VfSettingsTarget[], b: readonly VfSettingsTarget[]): boolean {
  return a.length === b.length && a.every((t, i) => t.pf === b[i]!.pf && t.ifname === b[i]!.ifname);
}

/** Asks `show` for each target, a few at a time; a failure is kept as its message, never thrown. */
export async function readVfSettings(targets: readonly VfSettingsTarget[], show: IpLinkShow, concurrency = 4): Promise<VfSettingsRead[]> {
  const reads: VfSettingsRead[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const target = targets[i]!;
      try {
        reads[i] = { ...target, output: await show(target.ifname) };
      } catch (err) {
        reads[i] = { ...target, error: err instanceof Error ? err.message : String(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return reads;
}

/**
 * What of the reads the change check compares: each PF's vfinfo_list (not the rest of the link,
 * whose operstate flaps are not worth a rescan, as sysfs's fingerprint skips them), what `ip` said
 * on stderr, or why it failed.
 */
export function vfSettingsDigest(reads: readonly VfSettingsRead[]): string {
  return JSON.stringify(reads.map((r) => ('error' in r ? [r.pf, r.ifname, '!', r.error] : [r.pf, r.ifname, vfinfoOf(r.output.stdout), r.output.stderr])));
}

function vfinfoOf(stdout: string): unknown {
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (Array.isArray(parsed) && parsed.length === 1 && typeof parsed[0] === 'object' && parsed[0] !== null) {
      return (parsed[0] as Record<string, unknown>)['vfinfo_list'] ?? null;
    }
  } catch {
    // Not JSON: the raw text stands for itself.
  }
  return stdout;
}

/**
 * The topology with each read PF's VFs' config filled in, and a warning for what could not be
 * read: `vf-settings-unreadable` (the read failed, its output was not understood, or entries
 * were) and `vf-list-truncated` (the kernel listed fewer VFs than the PF has). A VF without a
 * readable entry keeps config null, as do the VFs of PFs not read (no netdev, or no reader).
 */
export function withVfSettings(topology: Topology, reads: readonly VfSettingsRead[]): Topology {
  if (reads.length === 0) return topology;
  const byPf = new Map(reads.map((r) => [r.pf, r]));
  const warnings: Warning[] = [];
  const pfs = topology.pfs.map((pf) => {
    const read = byPf.get(pf.address);
    if (!read) return pf;
    const configs = configsOf(pf, read, warnings);
    return configs ? { ...pf, vfs: pf.vfs.map((vf) => ({ ...vf, config: configs.get(vf.index) ?? null })) } : pf;
  });
  return { ...topology, pfs, warnings: [...topology.warnings, ...warnings] };
}

function configsOf(pf: Pf, read: VfSettingsRead, warnings: Warning[]): Map<number, VfConfig> | null {
  const which = `PF ${pf.address} (${read.ifname})`;
  const unreadable = (why: string) => warnings.push({ code: 'vf-settings-unreadable', message: `the VF settings of ${which} could not be read: ${why}` });
  if ('error' in read) {
    unreadable(read.error);
    return null;
  }
  let info: VfInfoList;
  try {
    info = parseVfInfo(read.output, read.ifname, pf.numVfs);
  } catch (err) {
    unreadable((err as Error).message);
    return null;
  }
  if (info.problems.length > 0) unreadable(info.problems.join('; '));
  if (info.truncated) {
    warnings.push({
      code: 'vf-list-truncated',
      message: `the VF list of ${which} was cut short: ip listed ${info.entries} of its ${pf.numVfs} VFs (the kernel cuts it for hundreds of VFs; VFs made during the read show so until the next check); the others' settings are not shown`,
    });
  }
  return info.configs;
}
