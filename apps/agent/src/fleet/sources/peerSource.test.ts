import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPeerSources, type PeerSource } from './peerSource';
import { PeerSpecError } from './sourceErrors';

let root: string;
let sources: PeerSource[] = [];
const warnings: string[] = [];
const options = () => ({ root, peerPort: 7300, pollMs: 20, onWarning: (m: string) => warnings.push(m) });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vfmap-sources-'));
  warnings.length = 0;
});
afterEach(() => {
  for (const s of sources) s.close();
  sources = [];
  rmSync(root, { recursive: true, force: true });
});

describe('createPeerSources', () => {
  it('makes one source per --peers entry, and one named peers for the --peer URLs', async () => {
    mkdirSync(join(root, 'etc/pve'), { recursive: true });
    writeFileSync(join(root, 'etc/pve/.members'), JSON.stringify({ nodename: 'pve1', cluster: { name: 'lab', quorate: 1 }, nodelist: { pve1: { id: 1, online: 1, ip: '10.0.0.1' }, pve2: { id: 2, online: 1, ip: '10.0.0.2' } } }));
    const file = join(root, 'peers.json');
    writeFileSync(file, '[{"targets":["kvm1:7300"]}]');
    sources = createPeerSources({ peers: ['proxmox', `file:${file}`], peerUrls: ['https://kvm9:7300', 'http://127.0.0.1:7301'] }, options());
    expect(sources.map((s) => s.name)).toEqual(['proxmox', `file:${file}`, 'peers']);
    await vi.waitFor(() => expect(sources.map((s) => s.current().map((t) => t.url))).toEqual([['https://10.0.0.2:7300'], ['https://kvm1:7300'], ['https://kvm9:7300', 'http://127.0.0.1:7301']]));
    expect(sources[2]?.current().map((t) => [t.name, t.source])).toEqual([
      ['kvm9:7300', 'peer'],
      ['127.0.0.1:7301', 'peer'],
    ]);
  });

  it('names a file source by its absolute path', () => {
    sources = createPeerSources({ peers: ['file:relative/peers.yml'], peerUrls: [] }, options());
    expect(sources.map((s) => s.name)).toEqual([`file:${resolve('relative/peers.yml')}`]);
  });

  it('uses a source or a URL given twice once, warning of the repeated URL', () => {
    sources = createPeerSources({ peers: ['proxmox', ' proxmox', 'file:/a.json', 'file:/b/../a.json'], peerUrls: ['https://kvm9:7300', 'https://KVM9:7300/'] }, options());
    expect(sources.map((s) => s.name)).toEqual(['proxmox', 'file:/a.json', 'peers']);
    expect(sources[2]?.current()).toHaveLength(1);
    expect(warnings).toEqual(['--peer https://KVM9:7300/ is https://kvm9:7300 again; the first is kept']);
  });

  it('has no source at all when given none', () => {
    expect(createPeerSources({ peers: [], peerUrls: [] }, options())).toEqual([]);
  });

  it('refuses an unknown --peers entry, naming it', () => {
    for (const entry of ['consul', 'file:', 'File:/x', '']) {
      expect(() => createPeerSources({ peers: ['proxmox', entry], peerUrls: [] }, options()), entry).toThrow(PeerSpecError);
      expect(() => createPeerSources({ peers: [entry], peerUrls: [] }, options()), entry).toThrow(`--peers wants proxmox or file:PATH, got "${entry}"`);
    }
  });

  it('refuses a bad --peer URL, saying it came from --peer', () => {
    expect(() => createPeerSources({ peers: [], peerUrls: ['https://kvm9:7300/api'] }, options())).toThrow(PeerSpecError);
    expect(() => createPeerSources({ peers: [], peerUrls: ['kvm9:7300'] }, options())).toThrow(/^--peer: "kvm9:7300" is not a peer URL/);
  });
});
