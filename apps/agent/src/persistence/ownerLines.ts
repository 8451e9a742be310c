import { matchLinkFile, normalizeMac, type NetDevFacts } from './linkMatch';
import { parseUnitFile } from './unitFile';

/**
 * Other owners of a PF's VF count and VF settings: each tool's own file format, read as text into
 * findings. Pure: `scanOwners.ts` reads the files. Each finding names the PF when the text does
 * (a PCI address, a netdev name, a MAC, a driver), and never guesses when it does not.
 */

export type OwnerKind =
  | 'sysfs-conf'
  | 'udev-rule'
  | 'systemd-unit'
  | 'rc-local'
  | 'modprobe-max-vfs'
  | 'networkmanager'
  | 'networkd-network'
  | 'ifupdown'
  | 'sriov-operator';

/** Which PF a finding concerns, as far as its text says; all null when it does not say. */
export interface OwnerTarget {
  address: string | null;
  netdev: string | null;
  /** A MAC the file matches the interface by. */
  mac: string | null;
  /** A kernel module whose option applies to every PF it drives (max_vfs=). */
  driver: string | null;
  /** A `[Match]` that rules out every PF vfmap keeps (networkd), as written; null otherwise. */
  otherMatch: string | null;
}

export interface OwnerLine {
  kind: OwnerKind;
  /** Host path of the file. */
  path: string;
  /** 1-based line; null for a finding about a whole file or directory. */
  line: number | null;
  /** The line as written (trimmed, cut at 200 characters). */
  text: string;
  /** What it sets: the VF count, per-VF settings (MAC, VLAN, …), or both. */
  sets: 'count' | 'vf-settings' | 'count-and-vf-settings';
  target: OwnerTarget;
  /** How this owner acts, for people. */
  note: string;
}

const PCI_ADDRESS = /\b([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])\b/i;
const NET_PATH = /(?:^|[\s/"'=])(?:sys\/)?class\/net\/([^/\s"']+)\//;
const IP_LINK_VF = /\bip\s+link\s+set\s+(?:dev\s+)?([^\s"';]+)\s+vf\s+\d+/;
const SRIOV_NUMVFS = /sriov_numvfs/;

export const NO_TARGET: OwnerTarget = { address: null, netdev: null, mac: null, driver: null, otherMatch: null };

function cut(text: string): string {
  const t = text.trim();
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

/** The PF a shell or sysfs line names: a PCI address in a sysfs path, a /sys/class/net/<if>/ path, or `ip link set <if> vf`. */
export function targetInLine(text: string, fallbackNetdev: string | null = null): OwnerTarget {
  const address = PCI_ADDRESS.exec(text)?.[1]?.toLowerCase() ?? null;
  const netdev = NET_PATH.exec(text)?.[1] ?? IP_LINK_VF.exec(text)?.[1] ?? null;
  const usable = (n: string | null) => (n !== null && !/[$*?[`]/.test(n) ? n : null);
  return { ...NO_TARGET, address, netdev: usable(netdev) ?? (address ? null : fallbackNetdev) };
}

/** Lines of a shell script or unit that write sriov_numvfs or set VF settings with ip. */
function scriptLines(kind: OwnerKind, path: string, text: string, note: string, fallbackNetdev: (line: number) => string | null = () => null): OwnerLine[] {
  const out: OwnerLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('#') || line.startsWith(';')) return;
    const count = SRIOV_NUMVFS.test(line);
    const settings = IP_LINK_VF.test(line);
    if (!count && !settings) return;
    out.push({ kind, path, line: i + 1, text: cut(raw), sets: count && settings ? 'count-and-vf-settings' : count ? 'count' : 'vf-settings', target: targetInLine(line, fallbackNetdev(i + 1)), note });
  });
  return out;
}

/** sysfsutils' `/etc/sysfs.conf` and `/etc/sysfs.d/*.conf`: `<path under /sys> = <value>`, applied once at boot. */
export function sysfsConfLines(path: string, text: string): OwnerLine[] {
  const out: OwnerLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    // The attribute starts the line: `mode …` and `owner …` lines (permissions, not values) and comments do not match.
    const m = /^(\S*sriov_numvfs)\s*=\s*(\S+)/.exec(line);
    if (!m) return;
    out.push({
      kind: 'sysfs-conf',
      path,
      line: i + 1,
      text: cut(raw),
      sets: 'count',
      target: targetInLine(`/${m[1]!.replace(/^\/?(sys\/)?/, 'sys/')}`),
      note: `sysfsutils writes ${m[2]} to it once at boot (Proxmox's documented way)`,
    });
  });
  return out;
}

/** udev rules: `ATTR{device/sriov_numvfs}="N"` (or a RUN+= writing it), on add events. */
export function udevRuleLines(path: string, text: string): OwnerLine[] {
  const out: OwnerLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('#') || !SRIOV_NUMVFS.test(line)) return;
    const kernel = /\bKERNELS?=="([^"]+)"/.exec(line)?.[1] ?? null;
    const mac = /\bATTRS?\{address\}=="([^"]+)"/.exec(line)?.[1] ?? null;
    const inLine = targetInLine(line);
    const literal = kernel !== null && !/[*?[]/.test(kernel) ? kernel : null;
    const isAddress = literal !== null && PCI_ADDRESS.test(literal);
    out.push({
      kind: 'udev-rule',
      path,
      line: i + 1,
      text: cut(raw),
      sets: 'count',
      target: {
        address: inLine.address ?? (isAddress ? literal!.toLowerCase() : null),
        netdev: inLine.netdev ?? (!isAddress ? literal : null),
        mac: mac ? normalizeMac(mac) : null,
        driver: null,
        otherMatch: null,
      },
      note: 'udev writes it at the device\'s add event, as vfmap\'s .link file does',
    });
  });
  return out;
}

export function systemdUnitLines(path: string, text: string): OwnerLine[] {
  return scriptLines('systemd-unit', path, text, 'a unit that runs at boot (or whenever started)');
}

export function rcLocalLines(path: string, text: string): OwnerLine[] {
  return scriptLines('rc-local', path, text, 'rc-local.service runs it late at boot');
}

/** `options <module> max_vfs=N[,M…]` in modprobe.d: the driver creates VFs when it loads (old igb/ixgbe way). */
export function modprobeLines(path: string, text: string): OwnerLine[] {
  const out: OwnerLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*options\s+(\S+)\s+.*\bmax_vfs=(\S+)/.exec(raw);
    if (!m) return;
    out.push({
      kind: 'modprobe-max-vfs',
      path,
      line: i + 1,
      text: cut(raw),
      sets: 'count',
      target: { ...NO_TARGET, driver: m[1]!.replace(/-/g, '_') },
      note: `the ${m[1]} driver creates ${m[2]} VFs on every PF it drives when it loads (deprecated in favour of sriov_numvfs)`,
    });
  });
  return out;
}

/** NetworkManager keyfiles: `[sriov] total-vfs=` and `vfs=`/`vf.N=`; NM resets the VFs when the profile goes down. */
export function networkManagerLines(path: string, text: string): OwnerLine[] {
  const unit = parseUnitFile(text, path);
  const entries = (section: string) => unit.sections.filter((s) => s.name === section).flatMap((s) => s.entries);
  const ifname = entries('connection').find((e) => e.key === 'interface-name')?.value ?? null;
  const mac = entries('ethernet').find((e) => e.key === 'mac-address')?.value ?? null;
  const target: OwnerTarget = { ...NO_TARGET, netdev: ifname, mac: mac ? normalizeMac(mac) : null };
  const lines = text.split('\n');
  return entries('sriov')
    .filter((e) => e.key === 'total-vfs' || e.key === 'vfs' || /^vf\.\d+$/.test(e.key))
    .map((e) => ({
      kind: 'networkmanager' as const,
      path,
      line: e.line,
      text: cut(lines[e.line - 1] ?? ''),
      sets: e.key === 'total-vfs' ? ('count' as const) : ('vf-settings' as const),
      target,
      note: 'NetworkManager sets it when the profile comes up, and sets the VFs to 0 when it goes down',
    }));
}

/** networkd `.network` files with `SR-IOVVirtualFunctions=` or `[SR-IOV]` sections, applied when networkd configures the link. */
export function networkdLines(path: string, text: string, pfs: readonly NetDevFacts[]): OwnerLine[] {
  const unit = parseUnitFile(text, path);
  const lines = text.split('\n');
  const name = unit.sections.filter((s) => s.name === 'Match').flatMap((s) => s.entries).find((e) => e.key === 'Name' && !/[*?[\s!]/.test(e.value))?.value ?? null;
  // The [Match] section says which interface: test it against the PFs vfmap keeps, as networkd would.
  const results = pfs.map((pf) => ({ pf, kind: matchLinkFile([unit], pf, { allowName: true }).kind }));
  const matched = results.filter((r) => r.kind === 'match').map((r) => r.pf);
  const noneMatch = results.length > 0 && results.every((r) => r.kind === 'no-match' || r.kind === 'ignored');
  const matchText = unit.sections.filter((s) => s.name === 'Match').flatMap((s) => s.entries.map((e) => `${e.key}=${e.value}`)).join(' ');
  const target: OwnerTarget = { ...NO_TARGET, netdev: matched[0]?.name ?? name, otherMatch: noneMatch ? matchText || '(no [Match])' : null };
  const out: OwnerLine[] = [];
  for (const s of unit.sections) {
    for (const e of s.entries) {
      const count = e.key === 'SR-IOVVirtualFunctions';
      if (!count && !(s.name === 'SR-IOV' && e.key === 'VirtualFunction')) continue;
      out.push({
        kind: 'networkd-network',
        path,
        line: e.line,
        text: cut(lines[e.line - 1] ?? ''),
        sets: count ? 'count' : 'vf-settings',
        target,
        note: 'systemd-networkd applies it when it configures the interface (after udev\'s .link file)',
      });
    }
  }
  return out;
}

/** ifupdown's `/etc/network/interfaces`: `pre-up`/`up`/`post-up` commands under an `iface` stanza. */
export function ifupdownLines(path: string, text: string): OwnerLine[] {
  const stanzaAt: Array<string | null> = [];
  let iface: string | null = null;
  for (const raw of text.split('\n')) {
    const m = /^\s*(iface|auto|allow-\S+|mapping|source)\s+(\S+)/.exec(raw);
    if (m) iface = m[1] === 'iface' ? m[2]! : iface;
    stanzaAt.push(iface);
  }
  return scriptLines('ifupdown', path, text, 'ifupdown runs it when the interface comes up', (line) => stanzaAt[line - 1] ?? null).filter((l) =>
    /^\s*(pre-up|up|post-up|down|pre-down|post-down)\s/.test(l.text),
  );
}
