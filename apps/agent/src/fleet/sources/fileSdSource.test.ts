import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileSdSource } from './fileSdSource';
import type { PeerSource } from './peerSource';
import type { PeerTarget } from './peerTarget';

let dir: string;
let source: PeerSource | null = null;
const start = (file: string) => (source = createFileSdSource(file, options()));
const warnings: string[] = [];
const options = () => ({ root: '/', peerPort: 7300, pollMs: 20, onWarning: (m: string) => warnings.push(m) });
const urls = (s: PeerSource) => s.current().map((t) => t.url);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vfmap-filesd-'));
  warnings.length = 0;
});
afterEach(() => {
  source?.close();
  source = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('a file_sd source', () => {
  it('is named for the absolute path and lists what the file says', async () => {
    const file = join(dir, 'peers.json');
    writeFileSync(file, JSON.stringify([{ targets: ['a:7300', 'b:7300'], labels: { token_file: 'fleet.token' } }]));
    const s = start(file);
    expect(s.name).toBe(`file:${file}`);
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://a:7300', 'https://b:7300']));
    expect(s.current()[0]).toMatchObject({ source: `file:${file}`, credentialFile: join(dir, 'fleet.token') });
    expect(s.lastError()).toBeNull();
  });

  it('calls back once with the new list when the file is rewritten, not at every poll', async () => {
    const file = join(dir, 'peers.yaml');
    writeFileSync(file, '- targets: [a:7300]\n');
    const s = start(file);
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://a:7300']));
    const seen: PeerTarget[][] = [];
    s.onChange((targets) => seen.push(targets));
    writeFileSync(file, '- targets: [a:7300, c:7300]\n');
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    await pause(150);
    expect(seen.map((list) => list.map((t) => t.url))).toEqual([['https://a:7300', 'https://c:7300']]);
  });

  it('sees a new file renamed into place, as editors and config tools write', async () => {
    const file = join(dir, 'peers.json');
    writeFileSync(file, '[{"targets":["a:7300"]}]');
    const s = start(file);
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://a:7300']));
    writeFileSync(join(dir, 'peers.json.tmp'), '[{"targets":["b:7300"]}]');
    renameSync(join(dir, 'peers.json.tmp'), file);
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://b:7300']));
  });

  it('keeps the last good list while the file is broken, says why once, and takes the fixed file', async () => {
    const file = join(dir, 'peers.json');
    writeFileSync(file, '[{"targets":["a:7300"]}]');
    const s = start(file);
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://a:7300']));
    const changes = vi.fn();
    s.onChange(changes);

    writeFileSync(file, '[{"targets":["a:7300", "b:7300"]');
    await vi.waitFor(() => expect(s.lastError()).toMatch(new RegExp(`^${file} is not JSON`)));
    await pause(100);
    expect(urls(s)).toEqual(['https://a:7300']);
    expect(changes).not.toHaveBeenCalled();
    expect(warnings.filter((w) => w.includes('is not JSON'))).toHaveLength(1);

    writeFileSync(file, '[{"targets":["a:7300", "b:7300"]}]');
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://a:7300', 'https://b:7300']));
    expect(s.lastError()).toBeNull();
    expect(changes).toHaveBeenCalledTimes(1);
  });

  it('uses the good groups of a file with a bad one and says what was left out', async () => {
    const file = join(dir, 'peers.json');
    writeFileSync(file, JSON.stringify([{ targets: ['a:7300'], labels: { fingerprint: 'nope' } }, { targets: ['b:7300'] }]));
    const s = start(file);
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://b:7300']));
    expect(s.lastError()).toMatch(/group 1 left out: fingerprint/);
    expect(warnings).toEqual([s.lastError()]);
  });

  it('starts empty with an error for a missing file and picks it up when it appears', async () => {
    const file = join(dir, 'later/peers.json');
    const s = start(file);
    await vi.waitFor(() => expect(s.lastError()).toBe(`cannot read ${file}: no such file`));
    expect(s.current()).toEqual([]);
    mkdirSync(join(dir, 'later'));
    writeFileSync(file, '[{"targets":["a:7300"]}]');
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://a:7300']));
    expect(s.lastError()).toBeNull();
  });

  it('keeps the last good list when the file is deleted', async () => {
    const file = join(dir, 'peers.json');
    writeFileSync(file, '[{"targets":["a:7300"]}]');
    const s = start(file);
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://a:7300']));
    rmSync(file);
    await vi.waitFor(() => expect(s.lastError()).toMatch(/no such file/));
    expect(urls(s)).toEqual(['https://a:7300']);
  });

  it('stops reading when closed', async () => {
    const file = join(dir, 'peers.json');
    writeFileSync(file, '[{"targets":["a:7300"]}]');
    const s = start(file);
    await vi.waitFor(() => expect(urls(s)).toEqual(['https://a:7300']));
    s.close();
    writeFileSync(file, '[{"targets":["b:7300", "c:7300"]}]');
    await pause(120);
    expect(urls(s)).toEqual(['https://a:7300']);
  });
});
