import { resolve } from 'node:path';
import { createFileSdSource } from './fileSdSource';
import type { PeerTarget } from './peerTarget';
import { peerUrlTarget } from './peerUrl';
import { createProxmoxSource } from './proxmoxSource';
import { PeerSpecError } from './sourceErrors';
import { createStaticSource } from './staticSource';

export interface PeerSource {
  /** 'proxmox', 'file:/abs/path', 'peers' */
  readonly name: string;
  /** The last good list (empty before the first good read). */
  current(): PeerTarget[];
  /** Called when the list changes (deep-compare; not on every poll). Returns the unsubscribe. */
  onChange(listener: (targets: PeerTarget[]) => void): () => void;
  /** Problems of the last read (file missing, bad JSON/YAML…), null when the last read was good. */
  lastError(): string | null;
  /** Resolves once the first read is done (good or not). */
  ready(): Promise<void>;
  close(): void;
}

export interface PeerSourcesSpec {
  /** Each "proxmox" or "file:PATH" (from repeatable --peers / VFMAP_PEERS comma-separated). */
  peers: string[];
  /** --peer URL, repeatable. */
  peerUrls: string[];
}

export interface SourceOptions {
  /** The host root; Proxmox files are ROOT/etc/pve/... */
  root: string;
  /** The port the Proxmox nodes' agents listen on. */
  peerPort: number;
  /** Default 2000. */
  pollMs?: number;
  onWarning?: (message: string) => void;
  /** Default dns.promises.lookup; injectable for tests. */
  resolveName?: (name: string) => Promise<string | null>;
}

/**
 * Turns --peers and --peer into the sources an agent follows to find its fleet: the Proxmox
 * cluster, file_sd lists, and the fixed --peer URLs (one source named 'peers'). Everything is
 * checked before any source starts polling, so a PeerSpecError leaves no timer behind. The same
 * source or URL given twice is used once (a repeated URL with a warning).
 */
export function createPeerSources(spec: PeerSourcesSpec, options: SourceOptions): PeerSource[] {
  const kinds: ({ kind: 'proxmox' } | { kind: 'file'; path: string })[] = [];
  for (const raw of spec.peers) {
    const text = raw.trim();
    if (text === 'proxmox') {
      if (!kinds.some((k) => k.kind === 'proxmox')) kinds.push({ kind: 'proxmox' });
    } else if (text.startsWith('file:') && text.length > 'file:'.length) {
      const path = resolve(text.slice('file:'.length));
      if (!kinds.some((k) => k.kind === 'file' && k.path === path)) kinds.push({ kind: 'file', path });
    } else {
      throw new PeerSpecError(`--peers wants proxmox or file:PATH, got "${raw}"`);
    }
  }

  const fixed: PeerTarget[] = [];
  for (const text of spec.peerUrls) {
    let target: PeerTarget;
    try {
      target = peerUrlTarget(text);
    } catch (err) {
      throw new PeerSpecError(`--peer: ${(err as Error).message}`);
    }
    if (fixed.some((t) => t.url === target.url)) options.onWarning?.(`--peer ${text} is ${target.url} again; the first is kept`);
    else fixed.push(target);
  }

  const sources = kinds.map((k) => (k.kind === 'proxmox' ? createProxmoxSource(options) : createFileSdSource(k.path, options)));
  if (fixed.length > 0) sources.push(createStaticSource('peers', fixed));
  return sources;
}
