import type { VfConfigChange } from '@vfmap/model';
import type { LinkFile } from './linkFiles';
import { matchLinkFile, type MatchResult, type NetDevFacts } from './linkMatch';
import { LINK_SRIOV_MIN_SYSTEMD } from './systemdVersion';
import type { UnitEntry, UnitFile } from './unitFile';

/** A VF's settings vfmap keeps; rates are taken and reported as not kept (a `.link` file has no rate keys). */
export type VfLinkSettings = Pick<VfConfigChange, 'mac' | 'vlan' | 'qos' | 'vlanProtocol' | 'spoofChk' | 'trust' | 'linkState' | 'maxTxRateMbps' | 'minTxRateMbps'>;

/** What should hold for a PF after every boot. */
export interface DesiredSriov {
  count: number;
  vfs: ReadonlyArray<{ vf: number } & VfLinkSettings>;
}

export interface PlanPf {
  /** PCI address, e.g. 0000:01:00.0. */
  address: string;
  /** Its network interface; null for a PF without one (an NVMe controller). */
  netdev: NetDevFacts | null;
}

export interface PlanInput {
  pf: PlanPf;
  desired: DesiredSriov;
  /** `readLinkFiles(root)`: every `.link` file in udev's order. */
  linkFiles: readonly LinkFile[];
  /** `readSystemdVersion()`; null when unknown. */
  systemdVersion: number | null;
  /** Whether the PF's driver is in the initramfs (`lsinitramfs … | grep /<driver>.ko`); null when not checked. */
  driverInInitramfs: boolean | null;
}

export interface FileWrite {
  path: string;
  content: string;
}

export interface InitramfsAdvice {
  /** Say "run update-initramfs -u" after writing (and after undoing). */
  update: boolean;
  why: string;
}

interface PlanCommon {
  /** The PF's PCI address. */
  pf: string;
  /** vfmap's own files for this PF that no longer apply (a newer pin took over, or the count is 0): remove them. */
  remove: string[];
  /** Things the operator should know: another file's SR-IOV settings overridden, shadowed files, … */
  warnings: string[];
  /** Settings asked for that this path does not keep at boot. */
  notKept: string[];
}

export type PersistencePlan =
  | (PlanCommon & {
      /** A drop-in for the file that already applies to the PF, or a new file for it before the default. */
      kind: 'link-drop-in' | 'link-file';
      write: FileWrite;
      /** The file udev applies to the PF now, whose name and policies stay in force. */
      matchedFile: string | null;
      why: string;
      initramfs: InitramfsAdvice;
      undo: string[];
    })
  | (PlanCommon & {
      /** Nothing to keep (count 0): only vfmap's own files to remove. */
      kind: 'nothing';
      why: string;
      initramfs: InitramfsAdvice;
      undo: string[];
    })
  | (PlanCommon & {
      /** `.link` cannot keep it here: the `vfmap apply-desired` unit sets the count at boot. */
      kind: 'apply-desired';
      reason: 'systemd-too-old' | 'systemd-unknown' | 'no-netdev' | 'cannot-tell-match' | 'no-name-before';
      why: string;
      unit: 'vfmap-apply-desired.service';
    });

export const VFMAP_DROP_IN = 'vfmap-sriov.conf';
const OWN_FILE_PREFIX = '70-vfmap-';
const ETC = '/etc/systemd/network';
const DEFAULT_LINK = '99-default.link';

/** vfmap's own files: `70-vfmap-<if>.link`, or `<N>-vfmap-<if>.link` when written before a catch-all file. */
function isOwnFile(f: LinkFile): boolean {
  return /^\d+-vfmap-.+\.link$/.test(f.name);
}

function allFiles(f: LinkFile): UnitFile[] {
  return [f.main, ...f.dropIns];
}

/** Files other than vfmap's own drop-in: what an admin or the distribution says. */
function theirFiles(f: LinkFile): UnitFile[] {
  return [f.main, ...f.dropIns.filter((d) => !d.path.endsWith(`/${VFMAP_DROP_IN}`))];
}

/**
 * Whether a file is a pin for this one interface (so a drop-in on it touches nothing else), rather
 * than a catch-all such as 99-default.link or a `Driver=igb` file, where a drop-in would give every
 * interface it matches this PF's VFs.
 */
function pinsOneInterface(f: LinkFile): boolean {
  const match = theirFiles(f).flatMap((u) => u.sections.filter((s) => s.name === 'Match').flatMap((s) => s.entries));
  const last = new Map<string, UnitEntry>();
  for (const e of match) last.set(e.key, e);
  const literal = (e: UnitEntry | undefined) => e !== undefined && e.value !== '' && !e.value.startsWith('!') && !/[*?[\s]/.test(e.value);
  return ['PermanentMACAddress', 'MACAddress', 'Path', 'OriginalName'].some((k) => literal(last.get(k)));
}

function yesNo(b: boolean): string {
  return b ? 'yes' : 'no';
}

/** The `[SR-IOV]` sections for the desired VFs (systemd.link(5)); what a `.link` cannot say goes to notKept. */
export function sriovSections(desired: DesiredSriov, notKept: string[]): string[] {
  const out: string[] = [];
  for (const v of [...desired.vfs].sort((a, b) => a.vf - b.vf)) {
    if (v.vf >= desired.count) {
      notKept.push(`VF ${v.vf}: its settings are not kept, the count is ${desired.count}`);
      continue;
    }
    const lines: string[] = [];
    if (v.mac !== undefined) lines.push(`MACAddress=${v.mac}`);
    // VLANId= takes 1…4095; VLAN 0 is "no VLAN", which is what a new VF has anyway.
    if (v.vlan !== undefined && v.vlan > 0) {
      lines.push(`VLANId=${v.vlan}`);
      if (v.qos !== undefined && v.qos > 0) lines.push(`QualityOfService=${v.qos}`);
      if (v.vlanProtocol !== undefined) lines.push(`VLANProtocol=${v.vlanProtocol}`);
    }
    if (v.spoofChk !== undefined) lines.push(`MACSpoofCheck=${yesNo(v.spoofChk)}`);
    if (v.trust !== undefined) lines.push(`Trust=${yesNo(v.trust)}`);
    // udev sends a VF's settings in one netlink message and the kernel stops at the first one the
    // driver refuses (igb refuses any link state): "auto", what every new VF has, is left out.
    if (v.linkState !== undefined && v.linkState !== 'auto') lines.push(`LinkState=${yesNo(v.linkState === 'enable')}`);
    if (v.maxTxRateMbps !== undefined || v.minTxRateMbps !== undefined) notKept.push(`VF ${v.vf}: TX rates (a .link file has no setting for them)`);
    if (lines.length > 0) out.push('', '[SR-IOV]', `VirtualFunction=${v.vf}`, ...lines);
  }
  return out;
}

function header(pf: PlanPf, what: string, undo: string): string[] {
  const nd = pf.netdev!;
  return [
    `# Written by vfmap: ${what} of PF ${pf.address} (${nd.name}${nd.permanentMac ? `, permanent MAC ${nd.permanentMac}` : ''}).`,
    '# udev applies it when the PF appears (systemd >= 251). vfmap rewrites this file; edit through vfmap.',
    `# Undo: ${undo}`,
  ];
}

/** The [Link] lines of the file the new one shadows, SR-IOV ones left out: the PF keeps its name, altnames and MAC policy. */
function copiedLinkLines(f: LinkFile | null): string[] {
  if (!f) return [];
  return theirFiles(f)
    .flatMap((u) => u.sections.filter((s) => s.name === 'Link').flatMap((s) => s.entries))
    .filter((e) => e.key !== 'SR-IOVVirtualFunctions')
    .map((e) => `${e.key}=${e.value}`);
}

/** A name that sorts before `before` (and before 99-default.link): 70-vfmap-<if>.link, or <N-1>-vfmap-<if>.link. */
function newFileName(ifname: string, before: string | null): string | null {
  const preferred = `${OWN_FILE_PREFIX}${ifname}.link`;
  if (before === null || preferred < before) return preferred;
  const m = /^(\d+)/.exec(before);
  if (!m || Number(m[1]) === 0) return null;
  const n = String(Number(m[1]) - 1).padStart(m[1]!.length, '0');
  return `${n}-vfmap-${ifname}.link`;
}

/** SR-IOV settings already in a file (and its drop-ins), each with what becomes of it. */
function existingSriov(f: LinkFile, fate: { section: string; count: string }): string[] {
  const notes: string[] = [];
  for (const u of theirFiles(f)) {
    for (const s of u.sections) {
      if (s.name === 'SR-IOV') notes.push(`${u.path}:${s.line}: an [SR-IOV] section (${fate.section})`);
      for (const e of s.entries) if (e.key === 'SR-IOVVirtualFunctions') notes.push(`${u.path}:${e.line}: SR-IOVVirtualFunctions=${e.value} (${fate.count})`);
    }
  }
  return notes;
}

function initramfsFor(kind: 'file' | 'drop-in', driver: string | null, inInitramfs: boolean | null): InitramfsAdvice {
  if (kind === 'drop-in') {
    return {
      update: false,
      why: "not needed: Debian's udev initramfs hook copies only *.link files, not *.link.d drop-ins; the PF keeps its pinned name there, and the root's udev applies the drop-in when systemd-udev-trigger replays the add events",
    };
  }
  if (inInitramfs === false) {
    return { update: false, why: `not needed: the PF's driver (${driver ?? 'unknown'}) is not in the initramfs, so udev there never sees the PF` };
  }
  return {
    update: true,
    why: `run update-initramfs -u: Debian's udev initramfs hook copies /etc/systemd/network/*.link into the initramfs, and ${
      inInitramfs ? `the PF's driver (${driver}) is in it` : "vfmap did not check whether the PF's driver is in it"
    }; until it is rebuilt the initramfs applies its old copy of the .link files (and after an undo, its copy of this one)`,
  };
}

function fallback(input: PlanInput, reason: Extract<PersistencePlan, { kind: 'apply-desired' }>['reason'], why: string, warnings: string[] = []): PersistencePlan {
  const notKept = input.desired.vfs.some((v) => v.vf < input.desired.count)
    ? ['the per-VF settings (MAC, VLAN, trust, …): vfmap apply-desired sets only the count today']
    : [];
  return { kind: 'apply-desired', pf: input.pf.address, reason, why, unit: 'vfmap-apply-desired.service', remove: [], warnings, notKept };
}

/**
 * Decide how to keep a PF's VF count and VF settings across reboots the way the platform does:
 * a drop-in for the `.link` file that pins the PF, or a new `.link` file for it sorting before the
 * catch-all one whose name policies it copies. udev applies only the first matching `.link` file.
 */
export function planLinkPersistence(input: PlanInput): PersistencePlan {
  const { pf, desired, linkFiles } = input;
  if (pf.netdev === null) return fallback(input, 'no-netdev', `PF ${pf.address} has no network interface (an NVMe controller, …): a .link file cannot match it`);
  if (input.systemdVersion === null) return fallback(input, 'systemd-unknown', "the host's systemd version is not known; .link files keep SR-IOV settings only from systemd 251 on");
  if (input.systemdVersion < LINK_SRIOV_MIN_SYSTEMD) {
    return fallback(input, 'systemd-too-old', `systemd ${input.systemdVersion} is older than 251: its .link files have no SR-IOVVirtualFunctions= or [SR-IOV]`);
  }
  const nd = pf.netdev;
  const warnings: string[] = [];
  const notKept: string[] = [];

  // The first file that matches, leaving out vfmap's own new files (they are what is being decided).
  let first: { file: LinkFile; result: MatchResult } | null = null;
  const undecided: string[] = [];
  const ownMatching: LinkFile[] = [];
  for (const f of linkFiles) {
    if (f.masked) continue;
    const result = matchLinkFile(theirFiles(f), nd);
    if (isOwnFile(f)) {
      if (result.kind === 'match') ownMatching.push(f);
      continue;
    }
    if (result.kind === 'match') {
      first = { file: f, result };
      break;
    }
    if (result.kind === 'cannot-tell') {
      undecided.push(...result.keys.map((k) => `${k.path}:${k.line}: ${k.key}= — ${k.why}`));
    }
  }
  if (undecided.length > 0) {
    return fallback(
      input,
      'cannot-tell-match',
      `vfmap cannot tell whether ${undecided.length === 1 ? 'a .link file' : 'some .link files'} sorting before ${first ? first.file.path : 'any matching one'} apply to ${nd.name}, so it does not guess which file udev uses`,
      undecided,
    );
  }
  // Drop-ins vfmap wrote on files that are no longer the one udev applies.
  const staleDropIns = linkFiles.filter((f) => f !== first?.file).flatMap((f) => f.dropIns.filter((d) => d.path.endsWith(`/${VFMAP_DROP_IN}`) && matchLinkFile([f.main], nd).kind === 'match')).map((d) => d.path);

  if (desired.count === 0) {
    const remove = [...ownMatching.map((f) => f.path), ...(first ? first.file.dropIns.filter((d) => d.path.endsWith(`/${VFMAP_DROP_IN}`)).map((d) => d.path) : []), ...staleDropIns];
    return {
      kind: 'nothing',
      pf: pf.address,
      why: 'the count is 0, which is what the PF has at every boot: nothing to keep (a file saying 0 would destroy VFs another tool creates)',
      remove,
      warnings,
      notKept,
      initramfs: initramfsFor(ownMatching.length > 0 ? 'file' : 'drop-in', nd.driver, input.driverInInitramfs),
      undo: [],
    };
  }

  if (first && pinsOneInterface(first.file)) {
    const path = `${ETC}/${first.file.name}.d/${VFMAP_DROP_IN}`;
    warnings.push(...existingSriov(first.file, { section: "vfmap's drop-in comes later and overrides the same VirtualFunction=", count: "vfmap's drop-in overrides it" }));
    const undo = `rm ${path} (and rmdir ${ETC}/${first.file.name}.d if it is empty); the VFs stay until the next boot.`;
    const content = [...header(pf, `keeps ${desired.count} VFs`, undo), '[Link]', `SR-IOVVirtualFunctions=${desired.count}`, ...sriovSections(desired, notKept), ''].join('\n');
    return {
      kind: 'link-drop-in',
      pf: pf.address,
      write: { path, content },
      matchedFile: first.file.path,
      why: `${first.file.path} pins ${nd.name} and is the first .link file that matches it, so udev applies only that file: the settings go in a drop-in beside it`,
      initramfs: initramfsFor('drop-in', nd.driver, input.driverInInitramfs),
      undo: [undo],
      remove: [...ownMatching.map((f) => f.path), ...staleDropIns.filter((p) => p !== path)],
      warnings,
      notKept,
    };
  }

  if (nd.permanentMac === null) {
    return fallback(input, 'no-name-before', `${nd.name} reports no permanent MAC, so vfmap cannot write a .link file that matches it alone`);
  }
  const shadowed = first?.file ?? null;
  const own = ownMatching[0];
  const name = own && (shadowed === null || own.name < shadowed.name) ? own.name : newFileName(nd.name, shadowed?.name ?? null);
  if (name === null) return fallback(input, 'no-name-before', `no file name sorts before ${shadowed!.path}, the file that matches ${nd.name} now`);
  const path = `${ETC}/${name}`;
  const initramfs = initramfsFor('file', nd.driver, input.driverInInitramfs);
  const undo = `rm ${path}${initramfs.update ? ', then update-initramfs -u' : ''}; the VFs stay until the next boot.`;
  if (shadowed) {
    if (shadowed.name !== DEFAULT_LINK) warnings.push(`${shadowed.path} matches more interfaces than ${nd.name}: vfmap writes a file for ${nd.name} alone that copies its [Link] settings`);
    warnings.push(...existingSriov(shadowed, { section: 'no longer applied to this PF', count: 'no longer applied to this PF' }));
  }
  const copied = copiedLinkLines(shadowed);
  const content = [
    ...header(pf, `keeps ${desired.count} VFs`, undo),
    shadowed ? `# The [Link] settings are copied from ${[shadowed.path, ...shadowed.dropIns.map((d) => d.path)].join(', ')}, which it replaces for this PF.` : '# No other .link file matches this PF: its name stays the kernel\'s.',
    '[Match]',
    `PermanentMACAddress=${nd.permanentMac}`,
    '',
    '[Link]',
    ...copied,
    `SR-IOVVirtualFunctions=${desired.count}`,
    ...sriovSections(desired, notKept),
    '',
  ].join('\n');
  return {
    kind: 'link-file',
    pf: pf.address,
    write: { path, content },
    matchedFile: shadowed?.path ?? null,
    why: shadowed
      ? `only ${shadowed.path} matches ${nd.name}, and a drop-in there would apply to every interface it matches: a file for ${nd.name} alone (by permanent MAC) sorts before it and keeps its name policies`
      : `no .link file matches ${nd.name}: a file for it alone (by permanent MAC) keeps the settings`,
    initramfs,
    undo: [undo],
    remove: [...ownMatching.map((f) => f.path).filter((p) => p !== path), ...staleDropIns],
    warnings,
    notKept,
  };
}
