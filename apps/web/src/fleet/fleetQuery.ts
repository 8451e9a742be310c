import { shortSpeed } from '../format/units';

/**
 * The fleet search box: an operator's words ("free E810 VF on NUMA 1, 100G") turned into the
 * query of GET /api/v1/fleet/vfs, with a line saying what was understood, so a word taken the
 * wrong way shows at once.
 *
 * Grammar (words split at spaces and commas, case-insensitive; "quoted words" stay together):
 *   free | available | unused                    free=true
 *   held | assigned | used | taken | not free    free=false (held or not assignable)
 *   numa:N | numa N | numa=N | node N | numaN    numaNode=N
 *   speed:25G | speed:>=25G | >=25G | 25G | 25GbE | 100Gb/s | 1000M | 2.5G    minSpeedMbps
 *   host:pve2 | host pve2                        host=pve2
 *   vendor:intel | vendor intel                  vendor=intel
 *   model:E810 | device:E810 | model E810        device=E810
 *   pf:0000:3b:00.0 | 0000:3b | 3b:00.0          pf=<PCI address prefix> (domain 0000 added)
 *   vf, vfs, on, with, a, any, the, at, least…   ignored
 *   a known vendor's name or id (intel, 8086…)   vendor
 *   any other word                               part of the model text (device)
 */
export interface FleetQuery {
  /** true: free VFs only; false: only VFs that are not free; null: every VF. */
  free: boolean | null;
  vendor: string | null;
  device: string | null;
  numaNode: number | null;
  minSpeedMbps: number | null;
  pf: string | null;
  host: string | null;
}

export interface ParsedFleetQuery {
  query: FleetQuery;
  /** what was understood, in words: "free VFs · model E810 · NUMA 1 · ≥100G". */
  summary: string;
}

export const EMPTY_QUERY: FleetQuery = { free: null, vendor: null, device: null, numaNode: null, minSpeedMbps: null, pf: null, host: null };

const FILLER = new Set([
  'vf', 'vfs', 'virtual', 'function', 'functions', 'sr-iov', 'sriov',
  'on', 'with', 'a', 'an', 'any', 'the', 'of', 'in', 'at', 'least', 'and', 'for', 'me', 'to', 'from',
  'find', 'show', 'list', 'get', 'give', 'all', 'some', 'i', 'need', 'want', 'that', 'are', 'is', 'which', 'where',
  'nic', 'nics', 'card', 'cards', 'port', 'ports', 'or', 'more', 'faster', 'than', 'above', 'over', 'min', 'minimum',
  'link', 'links', 'speed', 'numa', 'node', 'host', 'hostname', 'vendor', 'model', 'device', 'pf', 'address', 'state', '+', '&', '-',
]);

const FREE_WORDS = new Set(['free', 'available', 'unused', 'idle', 'unassigned', 'spare']);
const HELD_WORDS = new Set(['held', 'assigned', 'used', 'taken', 'busy', 'allocated', 'in-use', 'nonfree', 'non-free', '!free']);
const NEGATIONS = new Set(['not', 'no', 'non']);

/** Vendors of SR-IOV NICs by the word a person types, and their PCI vendor ids. */
const VENDOR_WORDS = new Set([
  'intel', 'mellanox', 'nvidia', 'broadcom', 'amd', 'xilinx', 'marvell', 'qlogic', 'cavium', 'chelsio', 'emulex',
  'huawei', 'solarflare', 'netronome', 'pensando', 'cisco', 'amazon', 'aquantia', 'realtek', 'fungible', 'google',
]);
const VENDOR_IDS = new Set(['8086', '15b3', '14e4', '1022', '10ee', '1d6a', '1077', '177d', '1425', '10df', '19e5', '1924', '19ee', '1dd8', '1137', '1d0f', '10ec']);

type Key = 'numa' | 'speed' | 'host' | 'vendor' | 'model' | 'pf' | 'state';
const KEYS: Record<string, Key> = {
  numa: 'numa',
  node: 'numa',
  speed: 'speed',
  link: 'speed',
  host: 'host',
  hostname: 'host',
  vendor: 'vendor',
  model: 'model',
  device: 'model',
  pf: 'pf',
  address: 'pf',
  state: 'state',
};

const SPEED = /^(?:(>=|≥|>|=)\s*)?(\d+(?:\.\d+)?)\s*(g|gb|gbe|gbit|gbps|gb\/s|gbit\/s|m|mb|mbe|mbit|mbps|mb\/s|mbit\/s)?$/i;
const PCI_WITH_DOMAIN = /^[0-9a-f]{4}:[0-9a-f]{2}(?::[0-9a-f]{2}(?:\.[0-7]?)?)?:?$/i;
const PCI_WITHOUT_DOMAIN = /^[0-9a-f]{2}:[0-9a-f]{2}(?:\.[0-7]?)?$/i;

export function parseFleetQuery(text: string): ParsedFleetQuery {
  const query: FleetQuery = { ...EMPTY_QUERY };
  const modelWords: string[] = [];
  const vendorWords: string[] = [];
  const tokens = tokenize(text);

  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i]!;
    const word = raw.toLowerCase();
    const next = tokens[i + 1];

    const kv = /^([a-z]+)\s*(?::|=|>=|≥|>)\s*(.*)$/i.exec(raw);
    const kvKey = kv ? KEYS[kv[1]!.toLowerCase()] : undefined;
    if (kv && kvKey) {
      // "numa:1", "speed:>=25G", "host: pve2" (the value in the next word). The API knows only a
      // lowest speed, so "speed:25G", "speed>=25G" and "speed>25G" all ask for 25G or faster.
      let value = kv[2]!;
      if (value === '' && next !== undefined) {
        value = next;
        i++;
      }
      apply(kvKey, value);
      continue;
    }

    // "NUMA 1", "host pve2", "model E810": a key word, then its value.
    const key = KEYS[word];
    if (key && next !== undefined && acceptsValue(key, next)) {
      apply(key, next);
      i++;
      continue;
    }

    const glued = /^(?:numa|node)(\d+)$/i.exec(raw);
    if (glued) {
      query.numaNode = Number(glued[1]);
      continue;
    }
    if (NEGATIONS.has(word) && next !== undefined && FREE_WORDS.has(next.toLowerCase())) {
      query.free = false;
      i++;
      continue;
    }
    if (FREE_WORDS.has(word)) {
      query.free = true;
      continue;
    }
    if (HELD_WORDS.has(word)) {
      query.free = false;
      continue;
    }
    // "100 G": a number with its unit in the next word.
    if (/^(>=|≥|>)?\d+(\.\d+)?$/.test(raw) && next !== undefined && /^(g|gb|gbe|gbps|gb\/s|m|mb|mbps|mb\/s)$/i.test(next)) {
      apply('speed', raw + next);
      i++;
      continue;
    }
    if (isSpeed(raw)) {
      apply('speed', raw);
      continue;
    }
    if (isPciPrefix(raw)) {
      apply('pf', raw);
      continue;
    }
    if (FILLER.has(word)) continue;
    if (VENDOR_WORDS.has(word) || VENDOR_IDS.has(word)) vendorWords.push(raw);
    else modelWords.push(raw);
  }

  if (vendorWords.length > 0) query.vendor = joinText(query.vendor, vendorWords);
  if (modelWords.length > 0) query.device = joinText(query.device, modelWords);
  return { query, summary: summarize(query) };

  function apply(key: Key, value: string): void {
    const v = value.trim();
    if (v === '') return;
    switch (key) {
      case 'numa': {
        const n = /^\d+$/.test(v) ? Number(v) : NaN;
        if (Number.isInteger(n)) query.numaNode = n;
        break;
      }
      case 'speed': {
        const mbps = speedMbps(v);
        if (mbps !== null) query.minSpeedMbps = mbps;
        break;
      }
      case 'host':
        query.host = v;
        break;
      case 'vendor':
        query.vendor = joinText(query.vendor, [v]);
        break;
      case 'model':
        query.device = joinText(query.device, [v]);
        break;
      case 'pf':
        query.pf = pciPrefix(v);
        break;
      case 'state': {
        const w = v.toLowerCase();
        if (FREE_WORDS.has(w)) query.free = true;
        else if (HELD_WORDS.has(w) || w === 'unavailable') query.free = false;
        else if (w === 'any' || w === 'all') query.free = null;
        break;
      }
    }
  }
}

/** Words, split at spaces, commas and semicolons; "double quotes" keep words together. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /([^\s,;"]*)"([^"]*)"?|[^\s,;]+/g;
  for (const m of text.matchAll(re)) {
    const token = m[2] !== undefined ? (m[1] ?? '') + m[2] : m[0];
    if (token.trim() !== '') tokens.push(token.trim());
  }
  return tokens;
}

function acceptsValue(key: Key, value: string): boolean {
  switch (key) {
    case 'numa':
      return /^\d+$/.test(value);
    case 'speed':
      return SPEED.test(value);
    case 'state':
      return FREE_WORDS.has(value.toLowerCase()) || HELD_WORDS.has(value.toLowerCase());
    case 'pf':
      return isPciPrefix(value);
    default:
      // "host with", "model on": a filler word is not a value.
      return !FILLER.has(value.toLowerCase()) && !FREE_WORDS.has(value.toLowerCase()) && !HELD_WORDS.has(value.toLowerCase());
  }
}

/** A speed with a unit ("25G", ">=10GbE", "1000Mb/s"); a bare number is a speed only after "speed". */
function isSpeed(word: string): boolean {
  const m = SPEED.exec(word);
  return m !== null && m[3] !== undefined;
}

function speedMbps(value: string): number | null {
  const m = SPEED.exec(value);
  if (!m) return null;
  const n = Number(m[2]);
  const unit = (m[3] ?? 'g').toLowerCase();
  // A bare number after "speed:" is in Gb/s when small ("speed:25"), in Mb/s when large ("speed:25000").
  const mbps = unit.startsWith('m') || (m[3] === undefined && n >= 1000) ? n : n * 1000;
  return Number.isFinite(mbps) && mbps > 0 ? Math.round(mbps) : null;
}

function isPciPrefix(word: string): boolean {
  return PCI_WITH_DOMAIN.test(word) || PCI_WITHOUT_DOMAIN.test(word);
}

/** "3B:00.0" → "0000:3b:00.0": the PF's address as the agent writes it, domain first. */
function pciPrefix(value: string): string {
  const v = value.toLowerCase().replace(/:$/, '');
  return PCI_WITHOUT_DOMAIN.test(v) ? `0000:${v}` : v;
}

function joinText(before: string | null, words: string[]): string {
  return [before, ...words].filter((w): w is string => w !== null && w !== '').join(' ');
}

/** "free VFs · vendor intel · model E810 · NUMA 1 · ≥100G · host pve2 · PF 0000:3b:00.0…" */
export function summarize(query: FleetQuery): string {
  const parts = [query.free === true ? 'free VFs' : query.free === false ? 'VFs not free (held or not assignable)' : 'all VFs'];
  if (query.vendor !== null) parts.push(`vendor ${query.vendor}`);
  if (query.device !== null) parts.push(`model ${query.device}`);
  if (query.numaNode !== null) parts.push(`NUMA ${query.numaNode}`);
  if (query.minSpeedMbps !== null) parts.push(`≥${shortSpeed(query.minSpeedMbps)}`);
  if (query.host !== null) parts.push(`host ${query.host}`);
  if (query.pf !== null) parts.push(`PF ${query.pf}${/\.[0-7]$/.test(query.pf) ? '' : '…'}`);
  return parts.join(' · ');
}

export function isEmptyQuery(query: FleetQuery): boolean {
  return Object.values(query).every((v) => v === null);
}

/** How many VFs one search lists; `total` says how many matched. */
export const FLEET_SEARCH_LIMIT = 200;

/** The query string of GET /api/v1/fleet/vfs for a query. */
export function fleetVfParams(query: FleetQuery, limit = FLEET_SEARCH_LIMIT): URLSearchParams {
  const params = new URLSearchParams();
  if (query.free !== null) params.set('free', String(query.free));
  if (query.vendor !== null) params.set('vendor', query.vendor);
  if (query.device !== null) params.set('device', query.device);
  if (query.numaNode !== null) params.set('numaNode', String(query.numaNode));
  if (query.minSpeedMbps !== null) params.set('minSpeedMbps', String(query.minSpeedMbps));
  if (query.pf !== null) params.set('pf', query.pf);
  if (query.host !== null) params.set('host', query.host);
  params.set('limit', String(limit));
  return params;
}
