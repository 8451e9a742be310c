/**
 * The host page's search box, as a grammar: what an operator types ("numa:1 free", "driver:mlx5_core",
 * "speed:>=25G", "e810", "3b:02") turned into typed terms, every one of which must hold. What it
 * cannot read is said back ("numa:x": a NUMA node is a number) instead of matching nothing.
 *
 *   numa:N | numa N | numaN            the VF's (or its PF's) NUMA node
 *   speed:100G | speed:>=25G | <10G    its port's link speed; M, G or T (no unit: G); = > >= < <=
 *   100G | >=25G                       a bare speed is a speed term
 *   driver:X | vendor:X | model:X      part of the bound driver, the vendor's name or id, the
 *                                      pci.ids device name or id ("model:E810", "vendor:8086")
 *   vm:X                               held by the VM with id X, or whose name contains X
 *   group:N                            in IOMMU group N
 *   free | held | vfio                 free to pass through; held by a VM; bound to vfio-pci
 *   anything else                      part of a PCI address, an interface name, a MAC, a driver,
 *                                      vendor or model name, or a VM's name
 *
 * A key word followed by a space and its value ("numa 1", "driver mlx5_core") reads as key:value.
 * "quoted words" stay one value (vm:"web 01").
 */

export type SpeedOp = '=' | '>' | '>=' | '<' | '<=';

export type FindTerm =
  | { key: 'numa'; node: number; source: string }
  | { key: 'speed'; op: SpeedOp; mbps: number; source: string }
  | { key: 'driver' | 'vendor' | 'model' | 'vm'; value: string; source: string }
  | { key: 'group'; group: number; source: string }
  | { key: 'free' | 'held' | 'vfio'; source: string }
  | { key: 'text'; value: string; source: string };

export interface FindError {
  /** the words as typed. */
  source: string;
  /** what was not understood, and what would be. */
  message: string;
}

export interface FindQuery {
  terms: FindTerm[];
  errors: FindError[];
}

/** Keys that take a value, in the order suggestions offer them. */
export const VALUE_KEYS = ['numa', 'speed', 'driver', 'vendor', 'model', 'vm', 'group'] as const;
export type ValueKey = (typeof VALUE_KEYS)[number];
/** Words that are a whole term. */
export const FLAG_WORDS = ['free', 'held', 'vfio'] as const;

const EXAMPLES: Record<ValueKey, string> = {
  numa: 'a NUMA node is a number, like numa:1',
  speed: 'a speed is a number with M, G or T, like speed:100G or speed:>=25G',
  driver: 'say which driver, like driver:mlx5_core',
  vendor: 'say which vendor, like vendor:intel',
  model: 'say which model, like model:E810',
  vm: 'say which VM, by name or id, like vm:101',
  group: 'an IOMMU group is a number, like group:12',
};

function isValueKey(word: string): word is ValueKey {
  return (VALUE_KEYS as readonly string[]).includes(word);
}

/** Words split at spaces; a double-quoted run is one word (its quotes kept for the key split). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
      current += ch;
      started = true;
    } else if (/\s/.test(ch) && !quoted) {
      if (started) tokens.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) tokens.push(current);
  return tokens;
}

function unquote(value: string): string {
  return value.replace(/"/g, '').trim();
}

const SPEED = /^(>=|<=|>|<|=)?(\d+(?:\.\d+)?)(t|tb|tbe|g|gb|gbe|gbit|gbps|gb\/s|m|mb|mbe|mbit|mbps|mb\/s)?$/i;

/** "100G" → 100000 Mb/s with "=", ">=25G", "<10G", "2.5G", "1000M"; null when it is no speed. */
export function parseSpeed(text: string, unitRequired: boolean): { op: SpeedOp; mbps: number } | null {
  const m = SPEED.exec(text.trim());
  if (!m) return null;
  const unit = (m[3] ?? '').toLowerCase();
  if (unit === '' && unitRequired) return null;
  const factor = unit.startsWith('t') ? 1_000_000 : unit.startsWith('m') ? 1 : 1000;
  return { op: (m[1] as SpeedOp | undefined) ?? '=', mbps: Math.round(Number(m[2]) * factor) };
}

const NUMBER = /^\d+$/;
/** A key-looking prefix that is no hex: "colour:red" is an unknown key, "3b:02" and "de:ad" are not. */
const UNKNOWN_KEY = /^([a-z_-]*[g-z_-][a-z_-]*):/i;

function valueTerm(key: ValueKey, rawValue: string, source: string): FindTerm | FindError {
  const value = unquote(rawValue);
  if (value === '') return { source, message: `"${source}" needs a value: ${EXAMPLES[key]}` };
  switch (key) {
    case 'numa':
      return NUMBER.test(value) ? { key, node: Number(value), source } : { source, message: `"${source}" is not understood: ${EXAMPLES.numa}` };
    case 'group':
      return NUMBER.test(value) ? { key, group: Number(value), source } : { source, message: `"${source}" is not understood: ${EXAMPLES.group}` };
    case 'speed': {
      const speed = parseSpeed(value, false);
      return speed ? { key, ...speed, source } : { source, message: `"${source}" is not understood: ${EXAMPLES.speed}` };
    }
    default:
      return { key, value: value.toLowerCase(), source };
  }
}

function isError(x: FindTerm | FindError): x is FindError {
  return 'message' in x;
}

export function parseFindQuery(text: string): FindQuery {
  const terms: FindTerm[] = [];
  const errors: FindError[] = [];
  const add = (x: FindTerm | FindError) => (isError(x) ? errors.push(x) : terms.push(x));
  const tokens = tokenize(text);

  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i]!;
    const word = raw.toLowerCase();
    const next = tokens[i + 1];

    const colon = raw.indexOf(':');
    const keyPart = colon > 0 ? word.slice(0, colon) : null;
    if (keyPart !== null && isValueKey(keyPart)) {
      add(valueTerm(keyPart, raw.slice(colon + 1), raw));
      continue;
    }
    if (keyPart !== null && !raw.startsWith('"') && UNKNOWN_KEY.test(raw)) {
      errors.push({ source: raw, message: `"${keyPart}:" is not a key this search knows: use ${VALUE_KEYS.map((k) => `${k}:`).join(', ')}` });
      continue;
    }

    // "numa 1", "driver mlx5_core": a key word, then its value.
    if (isValueKey(word)) {
      if (next === undefined) {
        errors.push({ source: raw, message: `"${raw}" needs a value: ${EXAMPLES[word]}` });
      } else {
        add(valueTerm(word, next, `${raw} ${next}`));
        i++;
      }
      continue;
    }
    const glued = /^numa(\d+)$/i.exec(raw);
    if (glued) {
      terms.push({ key: 'numa', node: Number(glued[1]), source: raw });
      continue;
    }
    if (word === 'free' || word === 'held' || word === 'vfio') {
      terms.push({ key: word, source: raw });
      continue;
    }
    const speed = parseSpeed(raw, true);
    if (speed) {
      terms.push({ key: 'speed', ...speed, source: raw });
      continue;
    }
    const value = unquote(raw).toLowerCase();
    if (value !== '') terms.push({ key: 'text', value, source: raw });
  }
  return { terms, errors };
}

/** "numa:1 free" → "NUMA 1 · free": what was understood, for the line under the box. */
export function describeTerm(term: FindTerm): string {
  switch (term.key) {
    case 'numa':
      return `NUMA ${term.node}`;
    case 'speed':
      return `speed ${term.op === '=' ? '' : term.op}${speedWords(term.mbps)}`;
    case 'group':
      return `IOMMU group ${term.group}`;
    case 'free':
      return 'free';
    case 'held':
      return 'held by a VM';
    case 'vfio':
      return 'bound to vfio-pci';
    case 'text':
      return `"${term.value}"`;
    default:
      return `${term.key} ${term.value}`;
  }
}

function speedWords(mbps: number): string {
  if (mbps >= 1000) return `${Number((mbps / 1000).toFixed(1))}G`;
  return `${mbps}M`;
}
