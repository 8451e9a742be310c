import { shortDeviceName, shortVendorName } from '../format/deviceName';
import { shortSpeed } from '../format/units';
import type { GraphModel } from '../graph/graphModel';
import { linkSpeed } from './findInGraph';
import { FLAG_WORDS, VALUE_KEYS, type ValueKey } from './findQuery';

/**
 * What the search box offers while a word is typed: the keys ("dri" → driver:), and after a key
 * the values this host has ("driver:" → driver:iavf, driver:mlx5_core, driver:vfio-pci). A bare
 * word also offers the values it begins ("mlx" → driver:mlx5_core), so the key need not be known.
 */
export type FindVocabulary = Record<ValueKey, readonly string[]>;

export interface Suggestion {
  /** the word that replaces the one being typed. */
  text: string;
  /** a few words on what it finds. */
  hint: string;
}

export interface Suggestions {
  /** where the word being typed starts in the input. */
  from: number;
  items: Suggestion[];
}

const KEY_HINTS: Record<ValueKey | (typeof FLAG_WORDS)[number], string> = {
  numa: 'NUMA node',
  speed: 'link speed, e.g. 100G or >=25G',
  driver: 'bound driver',
  vendor: 'vendor name or id',
  model: 'part of the pci.ids device name',
  vm: 'held by a VM (name or id)',
  group: 'IOMMU group',
  free: 'free to pass through',
  held: 'held by a VM',
  vfio: 'bound to vfio-pci',
};

export const MAX_SUGGESTIONS = 8;

/** A value with spaces is quoted, so the grammar reads it as one word. */
function word(value: string): string {
  return /\s/.test(value) ? `"${value}"` : value;
}

function sortedStrings(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** The values each key can take on this host, as a person types them. */
export function vocabularyOf(model: GraphModel): FindVocabulary {
  const numa = new Set<number>();
  const speeds = new Set<number>();
  const drivers = new Set<string>();
  const vendors = new Set<string>();
  const models = new Set<string>();
  const groups = new Set<number>();
  for (const pf of model.pfs) {
    const p = pf.pf;
    if (p.numaNode !== null) numa.add(p.numaNode);
    const speed = linkSpeed(p.netdevs);
    if (speed !== null) speeds.add(speed);
    if (p.driver) drivers.add(p.driver);
    const vendor = shortVendorName(p.vendorName);
    if (vendor) vendors.add(vendor.toLowerCase());
    models.add(shortDeviceName(p.deviceName, p.vendorId, p.deviceId));
    for (const vf of pf.vfs) {
      if (vf.vf.numaNode !== null) numa.add(vf.vf.numaNode);
      if (vf.vf.driver) drivers.add(vf.vf.driver);
      if (vf.vf.iommuGroup !== null) groups.add(vf.vf.iommuGroup);
    }
  }
  return {
    numa: [...numa].sort((a, b) => a - b).map(String),
    speed: [...speeds].sort((a, b) => b - a).map((s) => shortSpeed(s)!),
    driver: sortedStrings(drivers),
    vendor: sortedStrings(vendors).map(word),
    model: sortedStrings(models).map(word),
    vm: sortedStrings(model.vms.map((v) => v.vm.name)).map(word),
    group: [...groups].sort((a, b) => a - b).map(String),
  };
}

/**
 * The same vocabulary, worked out the first time a key's values are read: the page makes one per
 * topology, and most topologies are never searched (on `large`, vocabularyOf costs about 20 ms of
 * the first drawing).
 */
export function lazyVocabulary(model: GraphModel): FindVocabulary {
  let vocabulary: FindVocabulary | undefined;
  const values = (key: ValueKey) => (vocabulary ??= vocabularyOf(model))[key];
  const lazy = {} as FindVocabulary;
  for (const key of VALUE_KEYS) Object.defineProperty(lazy, key, { get: () => values(key), enumerable: true });
  return lazy;
}

function startsOrIncludes(values: readonly string[], typed: string): string[] {
  const t = typed.toLowerCase().replace(/"/g, '');
  const starts = values.filter((v) => v.toLowerCase().replace(/"/g, '').startsWith(t));
  const inside = values.filter((v) => !starts.includes(v) && v.toLowerCase().includes(t));
  return [...starts, ...inside];
}

function isValueKey(word: string): word is ValueKey {
  return (VALUE_KEYS as readonly string[]).includes(word);
}

export function suggest(input: string, vocabulary: FindVocabulary): Suggestions {
  const from = Math.max(input.lastIndexOf(' '), input.lastIndexOf('\t')) + 1;
  const typed = input.slice(from);
  const lower = typed.toLowerCase();
  const items: Suggestion[] = [];

  // "numa " (a key word, then a space): its values.
  const previous = input.slice(0, from).trim().split(/\s+/).pop()?.toLowerCase() ?? '';
  if (typed === '' && isValueKey(previous)) {
    for (const v of vocabulary[previous]) items.push({ text: v, hint: KEY_HINTS[previous] });
    return { from, items: items.slice(0, MAX_SUGGESTIONS) };
  }

  const colon = lower.indexOf(':');
  if (colon > 0) {
    const key = lower.slice(0, colon);
    if (!isValueKey(key)) return { from, items: [] };
    const value = typed.slice(colon + 1);
    // "speed:>=" keeps its comparison in front of the values.
    const op = key === 'speed' ? (/^(>=|<=|>|<|=)/.exec(value)?.[1] ?? '') : '';
    for (const v of startsOrIncludes(vocabulary[key], value.slice(op.length))) items.push({ text: `${key}:${op}${v}`, hint: KEY_HINTS[key] });
    return { from, items: items.filter((i) => i.text.toLowerCase() !== lower).slice(0, MAX_SUGGESTIONS) };
  }

  for (const key of VALUE_KEYS) if (key.startsWith(lower)) items.push({ text: `${key}:`, hint: KEY_HINTS[key] });
  for (const flag of FLAG_WORDS) if (flag.startsWith(lower) && flag !== lower) items.push({ text: flag, hint: KEY_HINTS[flag] });
  // A bare word also finds the values it begins: "mlx" → driver:mlx5_core, "e810" → model:E810-C.
  if (lower.length >= 2) {
    for (const key of VALUE_KEYS) {
      if (key === 'numa' || key === 'group') continue;
      for (const v of startsOrIncludes(vocabulary[key], lower)) items.push({ text: `${key}:${v}`, hint: KEY_HINTS[key] });
    }
  }
  return { from, items: items.slice(0, MAX_SUGGESTIONS) };
}

/** The input with the word being typed replaced by the suggestion; a key waits for its value. */
export function applySuggestion(input: string, suggestions: Suggestions, item: Suggestion): string {
  const head = input.slice(0, suggestions.from);
  return `${head}${item.text}${item.text.endsWith(':') ? '' : ' '}`;
}
