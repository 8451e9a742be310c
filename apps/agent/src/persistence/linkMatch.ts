import { globMatches } from './glob';
import { sectionsNamed, type UnitEntry, type UnitFile } from './unitFile';

/**
 * What udev knows about a network interface when it picks its `.link` file (at the add event,
 * before anything renamed it or changed its MAC). A null is "vfmap does not know": a file that
 * tests it cannot be decided, and says so.
 */
export interface NetDevFacts {
  /** The interface's name now. */
  name: string;
  /**
   * The name the kernel gives it at boot (`OriginalName=` is tested against that): known when it was
   * not renamed (`name_assign_type` 1, enumerated by the kernel), null when udev or someone renamed it.
   */
  kernelName: string | null;
  /** Its permanent (burnt-in) MAC, lower case; null when the driver reports none. */
  permanentMac: string | null;
  /** Its MAC now: `MACAddress=` is tested against the permanent one first, as it is at the add event. */
  mac: string | null;
  /** The kernel driver (udev's ID_NET_DRIVER), e.g. `igb`. */
  driver: string | null;
  /** udev's ID_PATH, e.g. `pci-0000:01:00.0`. */
  path: string | null;
  /** The device type as `networkctl list` shows it: `ether` for an Ethernet NIC. */
  type: string | null;
  /** udev properties, for `Property=`; null when not read. */
  properties: Record<string, string> | null;
}

export type MatchResult =
  | { kind: 'match' }
  | { kind: 'no-match'; key: string; line: number; path: string }
  /** A key vfmap does not evaluate (or facts it lacks) and no key ruled the file out: vfmap cannot tell. */
  | { kind: 'cannot-tell'; keys: Array<{ key: string; line: number; path: string; why: string }> }
  /** No key in [Match]: udev ignores such a file ("To match all interfaces, add OriginalName=*"). */
  | { kind: 'ignored' };

/** Keys that test the host, not the interface: vfmap does not evaluate them. */
const HOST_CONDITIONS = new Set(['Host', 'Virtualization', 'KernelCommandLine', 'KernelVersion', 'Credential', 'Architecture', 'Firmware']);

interface Located extends UnitEntry {
  path: string;
}

/** systemd's hw_addr parser takes `aa:bb:…`, `aa-bb-…` and `aabb.ccdd.eeff`; compare them one way. */
export function normalizeMac(text: string): string | null {
  const hex = text.toLowerCase().replace(/[:.-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

/** Split a list value on whitespace, honouring double quotes (`Property="A=b c"`). */
function words(value: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

/**
 * A list key's patterns over all its lines: an empty assignment resets the list, and a list that
 * starts with "!" inverts every pattern on that line (systemd's config_parse_match_strv).
 */
function patterns(entries: Located[]): string[] {
  let list: string[] = [];
  for (const e of entries) {
    if (e.value === '') {
      list = [];
      continue;
    }
    const invert = e.value.startsWith('!');
    list.push(...words(invert ? e.value.slice(1) : e.value).map((w) => (invert ? `!${w}` : w)));
  }
  return list;
}

/** systemd's net_condition_test_strv: any positive pattern must match, no negative one may. */
function testStrv(list: string[], value: string | null): boolean {
  let match = false;
  let positive = false;
  for (const p of list) {
    const invert = p.startsWith('!');
    const pattern = invert ? p.slice(1) : p;
    if (!invert) positive = true;
    if (value !== null && globMatches(pattern, value)) {
      if (invert) return false;
      match = true;
    }
  }
  return positive ? match : true;
}

/** `Property=KEY=GLOB …`: all must hold; a leading "!" on a line inverts the whole test. */
function testProperties(entries: Located[], props: Record<string, string>): boolean {
  let list: Array<{ invert: boolean; items: string[] }> = [];
  for (const e of entries) {
    if (e.value === '') list = [];
    else {
      const invert = e.value.startsWith('!');
      list.push({ invert, items: words(invert ? e.value.slice(1) : e.value) });
    }
  }
  return list.every(({ invert, items }) => {
    const all = items.every((item) => {
      const eq = item.indexOf('=');
      const key = eq < 0 ? item : item.slice(0, eq);
      const value = props[key];
      return value !== undefined && (eq < 0 || globMatches(item.slice(eq + 1), value));
    });
    return invert ? !all : all;
  });
}

function macList(entries: Located[]): Array<string | null> {
  let list: Array<string | null> = [];
  for (const e of entries) {
    if (e.value === '') list = [];
    else list.push(...words(e.value).map(normalizeMac));
  }
  return list;
}

/** True when every string matches the list: only `*` patterns (99-default's `OriginalName=*`). */
function matchesAnything(list: string[]): boolean {
  return list.length > 0 && list.every((p) => /^\*+$/.test(p));
}

export interface MatchOptions {
  /** `.network` files may test the current name with `Name=` (a `.link` file may not). */
  allowName?: boolean;
}

/**
 * Whether a `.link` file (with its drop-ins, whose [Match] lines udev merges in) applies to the
 * interface: every key present must hold. A key vfmap cannot evaluate makes the answer
 * "cannot tell" unless another key already rules the file out.
 */
export function matchLinkFile(files: readonly UnitFile[], facts: NetDevFacts, options: MatchOptions = {}): MatchResult {
  const byKey = new Map<string, Located[]>();
  for (const file of files) {
    for (const s of sectionsNamed([file], 'Match')) {
      for (const e of s.entries) {
        const list = byKey.get(e.key) ?? [];
        list.push({ ...e, path: file.path });
        byKey.set(e.key, list);
      }
    }
  }
  // An empty assignment alone leaves the list empty: such a key tests nothing.
  const effective = [...byKey].filter(([, entries]) => entries.some((e) => e.value !== ''));
  if (effective.length === 0) return { kind: 'ignored' };

  const unknown: Array<{ key: string; line: number; path: string; why: string }> = [];
  for (const [key, entries] of effective) {
    const at = entries[entries.length - 1]!;
    const undecided = (why: string) => unknown.push({ key, line: at.line, path: at.path, why });
    const fail = (): MatchResult => ({ kind: 'no-match', key, line: at.line, path: at.path });
    switch (key) {
      case 'OriginalName': {
        const list = patterns(entries);
        if (facts.kernelName !== null) {
          if (!testStrv(list, facts.kernelName)) return fail();
        } else if (!matchesAnything(list)) undecided(`the interface was renamed, so the name the kernel gives ${facts.name} at boot is not known`);
        break;
      }
      case 'Name': {
        if (!options.allowName) {
          undecided('Name= is not a [Match] key of .link files');
          break;
        }
        if (!testStrv(patterns(entries), facts.name)) return fail();
        break;
      }
      case 'MACAddress':
      case 'PermanentMACAddress': {
        const mac = key === 'MACAddress' ? (facts.permanentMac ?? facts.mac) : facts.permanentMac;
        if (mac === null) {
          undecided(`the interface's ${key === 'MACAddress' ? 'MAC' : 'permanent MAC'} is not known`);
          break;
        }
        const list = macList(entries);
        if (list.length > 0 && !list.includes(mac)) return fail();
        break;
      }
      case 'Driver':
      case 'Path':
      case 'Type': {
        const value = key === 'Driver' ? facts.driver : key === 'Path' ? facts.path : facts.type;
        if (value === null) {
          undecided(`the interface's ${key.toLowerCase()} is not known`);
          break;
        }
        if (!testStrv(patterns(entries), value)) return fail();
        break;
      }
      case 'Kind':
        // A physical NIC has no netdev kind (bond, vlan, … have one): only negative patterns hold.
        if (!testStrv(patterns(entries), null)) return fail();
        break;
      case 'Property':
        if (facts.properties === null) undecided("the interface's udev properties are not known");
        else if (!testProperties(entries, facts.properties)) return fail();
        break;
      default:
        undecided(HOST_CONDITIONS.has(key) ? `${key}= tests the host, and vfmap does not evaluate it` : `${key}= is a [Match] key vfmap does not know`);
    }
  }
  return unknown.length > 0 ? { kind: 'cannot-tell', keys: unknown } : { kind: 'match' };
}
