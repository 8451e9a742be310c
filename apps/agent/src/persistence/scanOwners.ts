import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetDevFacts } from './linkMatch';
import {
  ifupdownLines,
  modprobeLines,
  networkdLines,
  networkManagerLines,
  NO_TARGET,
  rcLocalLines,
  sysfsConfLines,
  systemdUnitLines,
  udevRuleLines,
  type OwnerLine,
} from './ownerLines';

/** A PF whose VFs vfmap keeps at boot: what the findings are compared with. */
export interface KeptPf {
  address: string;
  netdev: NetDevFacts | null;
  driver: string | null;
}

export interface OwnerFinding extends OwnerLine {
  /**
   * Whether it sets what vfmap keeps for one of `kept`: `yes` (it names that PF, or its driver),
   * `no` (it names another), `maybe` (it does not say which PF, and vfmap keeps some).
   */
  competes: 'yes' | 'no' | 'maybe';
  /** The kept PF it names (its PCI address), when it does. */
  pf: string | null;
}

/** Where each owner keeps its files (host paths; the scan reads them under its root). */
export const OWNER_PLACES = {
  sysfsConf: ['/etc/sysfs.conf'],
  sysfsD: ['/etc/sysfs.d'],
  udevRules: ['/etc/udev/rules.d', '/run/udev/rules.d', '/lib/udev/rules.d', '/usr/lib/udev/rules.d'],
  systemdUnits: ['/etc/systemd/system'],
  rcLocal: ['/etc/rc.local'],
  modprobe: ['/etc/modprobe.d', '/run/modprobe.d'],
  networkManager: ['/etc/NetworkManager/system-connections', '/run/NetworkManager/system-connections'],
  networkd: ['/etc/systemd/network', '/run/systemd/network', '/usr/lib/systemd/network', '/lib/systemd/network'],
  ifupdown: ['/etc/network/interfaces'],
  ifupdownD: ['/etc/network/interfaces.d'],
  sriovOperator: ['/etc/sriov-operator'],
} as const;

async function names(root: string, dir: string, accept: (name: string) => boolean = () => true): Promise<string[]> {
  try {
    return (await readdir(join(root, dir))).filter(accept).sort().map((n) => `${dir}/${n}`);
  } catch {
    return [];
  }
}

async function text(root: string, path: string): Promise<string | null> {
  try {
    if (!(await stat(join(root, path))).isFile()) return null;
    return await readFile(join(root, path), 'utf8');
  } catch {
    return null;
  }
}

/** The kept PF a finding names, by PCI address, netdev name, MAC or driver. */
function keptPfFor(line: OwnerLine, kept: readonly KeptPf[]): KeptPf[] {
  const t = line.target;
  return kept.filter(
    (pf) =>
      (t.address !== null && t.address === pf.address) ||
      (t.netdev !== null && t.netdev === pf.netdev?.name) ||
      (t.mac !== null && (t.mac === pf.netdev?.permanentMac || t.mac === pf.netdev?.mac)) ||
      (t.driver !== null && t.driver === pf.driver?.replace(/-/g, '_')),
  );
}

function judge(line: OwnerLine, kept: readonly KeptPf[]): OwnerFinding {
  const t = line.target;
  const says = t.address !== null || t.netdev !== null || t.mac !== null || t.driver !== null || t.otherMatch !== null;
  const hits = keptPfFor(line, kept);
  if (hits.length > 0) return { ...line, competes: 'yes', pf: hits[0]!.address };
  return { ...line, competes: says || kept.length === 0 ? 'no' : 'maybe', pf: null };
}

/**
 * Everything else on the host that sets a VF count or VF settings, under `root` (a host's `/`, or a
 * test's tree): sysfsutils, udev rules, units, rc.local, max_vfs, NetworkManager, networkd
 * `.network` files, ifupdown, the SR-IOV network operator. Each finding says whether it competes
 * with what vfmap keeps for the `kept` PFs.
 */
export async function scanOwners(root: string, kept: readonly KeptPf[]): Promise<OwnerFinding[]> {
  const lines: OwnerLine[] = [];
  const each = async (paths: string[], parse: (path: string, text: string) => OwnerLine[]) => {
    for (const p of paths) {
      const t = await text(root, p);
      if (t !== null) lines.push(...parse(p, t));
    }
  };
  const inDirs = async (dirs: readonly string[], accept: (n: string) => boolean) => (await Promise.all(dirs.map((d) => names(root, d, accept)))).flat();

  await each([...OWNER_PLACES.sysfsConf, ...(await inDirs(OWNER_PLACES.sysfsD, (n) => n.endsWith('.conf')))], sysfsConfLines);
  await each(await inDirs(OWNER_PLACES.udevRules, (n) => n.endsWith('.rules')), udevRuleLines);
  // Units and their drop-ins; the *.wants/ directories only hold links to these.
  const units = await inDirs(OWNER_PLACES.systemdUnits, (n) => /\.(service|timer|path)$/.test(n));
  const unitDropIns = (await inDirs(OWNER_PLACES.systemdUnits, (n) => n.endsWith('.d'))).map((d) => names(root, d, (n) => n.endsWith('.conf')));
  await each([...units, ...(await Promise.all(unitDropIns)).flat()], systemdUnitLines);
  await each([...OWNER_PLACES.rcLocal], rcLocalLines);
  await each(await inDirs(OWNER_PLACES.modprobe, (n) => n.endsWith('.conf')), modprobeLines);
  await each(await inDirs(OWNER_PLACES.networkManager, () => true), networkManagerLines);
  const netdevs = kept.flatMap((pf) => (pf.netdev ? [pf.netdev] : []));
  await each(await inDirs(OWNER_PLACES.networkd, (n) => n.endsWith('.network')), (p, t) => networkdLines(p, t, netdevs));
  await each([...OWNER_PLACES.ifupdown, ...(await inDirs(OWNER_PLACES.ifupdownD, (n) => !n.startsWith('.')))], ifupdownLines);
  for (const p of await inDirs(OWNER_PLACES.sriovOperator, () => true)) {
    lines.push({
      kind: 'sriov-operator',
      path: p,
      line: null,
      text: p,
      sets: 'count-and-vf-settings',
      target: NO_TARGET,
      note: "the SR-IOV network operator's config daemon owns this node's VFs and undoes other changes",
    });
  }
  return lines.map((l) => judge(l, kept));
}
