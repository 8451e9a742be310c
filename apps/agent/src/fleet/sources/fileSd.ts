import { dirname, extname, resolve } from 'node:path';
import { HYPERVISOR_KINDS, type HypervisorKind } from '@vfmap/model';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { baseUrl, hostPortOf, parseHostPort, type PeerScheme } from './hostPort';
import { normalizeFingerprint, type PeerTarget, type PeerTls } from './peerTarget';
import { parsePeerUrl } from './peerUrl';
import { SourceReadError } from './sourceErrors';
import { describeIssues } from './zodIssues';

export interface FileSdList {
  targets: PeerTarget[];
  /** Groups and targets left out, and why; each names the file. */
  problems: string[];
}

// Prometheus' file_sd shape; label values are strings there too. Unknown keys are ignored.
const Group = z.object({
  targets: z.array(z.string()).nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
});

/** What a group's labels say of its targets; fingerprint/tls/credential apply to each target. */
interface GroupDefaults {
  scheme: PeerScheme;
  name?: string;
  hypervisor: HypervisorKind | null;
  tls: PeerTls;
  credentialFile?: string;
}

/**
 * Reads a Prometheus file_sd target list (JSON or YAML: `[{targets: ["host:port"], labels}]`)
 * into peer targets, so that a fleet can be written down the way Prometheus' scrape targets
 * already are. `file` is the file's absolute path: it picks JSON or YAML by extension (by content
 * otherwise), anchors relative paths in labels, and names the source. A file that cannot be
 * parsed throws a SourceReadError (the caller keeps its last good list); a bad group or target
 * is left out with a problem and the rest is used. The first of duplicated targets wins.
 */
export function parseFileSd(text: string, file: string): FileSdList {
  const decoded = decode(text, file);
  if (!Array.isArray(decoded)) throw new SourceReadError(`${file} is not a list of {targets, labels} groups`, file);
  const problems: string[] = [];
  const targets: PeerTarget[] = [];
  const firstSeen = new Map<string, number>();
  for (const [index, raw] of (decoded as unknown[]).entries()) {
    const where = `${file}: group ${index + 1}`;
    const group = Group.safeParse(raw);
    if (!group.success) {
      problems.push(`${where} left out: ${describeIssues(group.error)}`);
      continue;
    }
    const defaults = groupDefaults(group.data.labels ?? {}, dirname(file));
    if (typeof defaults === 'string') {
      problems.push(`${where} left out: ${defaults}`);
      continue;
    }
    for (const entry of group.data.targets ?? []) {
      const target = toTarget(entry, defaults, file);
      if (typeof target === 'string') {
        problems.push(`${where}: target "${entry}" left out: ${target}`);
        continue;
      }
      const first = firstSeen.get(target.url);
      if (first !== undefined) {
        problems.push(`${where}: target "${entry}" is ${target.url} again (first in group ${first}); the first is kept`);
        continue;
      }
      firstSeen.set(target.url, index + 1);
      targets.push(target);
    }
  }
  return { targets, problems };
}

function decode(text: string, file: string): unknown {
  // An empty file is most often one an editor has just truncated to rewrite: not "no peers".
  if (text.trim() === '') throw new SourceReadError(`${file} is empty (write [] for no targets)`, file);
  const ext = extname(file).toLowerCase();
  const yaml = ext === '.yml' || ext === '.yaml';
  if (ext === '.json' || (!yaml && /^\s*[[{]/.test(text))) {
    try {
      return JSON.parse(text);
    } catch (err) {
      // Without an extension, `[{targets: [a:1]}]` is YAML's flow style: give YAML its turn.
      if (ext === '.json') throw new SourceReadError(`${file} is not JSON: ${(err as Error).message}`, file);
    }
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new SourceReadError(`${file} is not ${yaml ? 'YAML' : 'JSON or YAML'}: ${(err as Error).message}`, file);
  }
}

/** The labels vfmap reads (others are ignored); an empty value counts as absent, as in Prometheus. */
function groupDefaults(all: Record<string, string>, dir: string): GroupDefaults | string {
  const labels = new Map(Object.entries(all).filter(([, value]) => value !== ''));
  const scheme = labels.get('__scheme__') ?? 'https';
  if (scheme !== 'https' && scheme !== 'http') return `__scheme__ is "${scheme}"; it takes https or http`;
  const hypervisor = labels.get('hypervisor') ?? null;
  if (hypervisor !== null && !isHypervisorKind(hypervisor)) return `hypervisor is "${hypervisor}"; it takes ${HYPERVISOR_KINDS.join(', ')}`;
  const tls: PeerTls = {};
  const fingerprint = labels.get('fingerprint');
  if (fingerprint !== undefined) {
    try {
      tls.fingerprint = normalizeFingerprint(fingerprint);
    } catch (err) {
      return `fingerprint: ${(err as Error).message}`;
    }
  }
  const caFile = labels.get('ca_file');
  if (caFile !== undefined) tls.caFile = resolve(dir, caFile);
  const serverName = labels.get('server_name');
  if (serverName !== undefined) tls.serverName = serverName;
  if (scheme === 'http' && (tls.fingerprint || tls.caFile)) return 'it pins a certificate (fingerprint, ca_file) but __scheme__ is http';
  const defaults: GroupDefaults = { scheme, hypervisor, tls };
  const name = labels.get('name');
  if (name !== undefined) defaults.name = name;
  const tokenFile = labels.get('token_file');
  if (tokenFile !== undefined) defaults.credentialFile = resolve(dir, tokenFile);
  return defaults;
}

/** One target, `host:port` or a full URL (whose own scheme and #sha256 pin win over the labels'). */
function toTarget(entry: string, defaults: GroupDefaults, file: string): PeerTarget | string {
  let url: string;
  let fingerprint = defaults.tls.fingerprint;
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
      const peer = parsePeerUrl(entry);
      if (peer.fingerprint && fingerprint && peer.fingerprint !== fingerprint) return 'its #sha256 pin differs from the fingerprint label';
      if (peer.scheme === 'http' && (fingerprint || defaults.tls.caFile)) return 'it speaks http but the group pins a certificate';
      fingerprint = peer.fingerprint ?? fingerprint;
      url = peer.url;
    } else {
      const { host, port } = parseHostPort(entry);
      url = baseUrl(defaults.scheme, host, port);
    }
  } catch (err) {
    return (err as Error).message;
  }
  const tls: PeerTls = { ...defaults.tls };
  if (fingerprint) tls.fingerprint = fingerprint;
  const target: PeerTarget = {
    url,
    name: defaults.name ?? hostPortOf(url),
    source: `file:${file}`,
    hypervisor: defaults.hypervisor,
    tls,
  };
  if (defaults.credentialFile) target.credentialFile = defaults.credentialFile;
  return target;
}

function isHypervisorKind(value: string): value is HypervisorKind {
  return (HYPERVISOR_KINDS as readonly string[]).includes(value);
}
