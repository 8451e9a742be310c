import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type WatchedFile, watchFile } from './watchedFile';

let dir: string;
let watched: WatchedFile<string> | null = null;
const warnings: string[] = [];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function watchText(path: string, load = vi.fn(async () => ({ value: (await readFile(path, 'utf8')).trim(), problems: [] }))) {
  watched = watchFile({ files: () => [{ path, by: 'stat' }], load, initial: '', pollMs: 20, onWarning: (m) => warnings.push(m) });
  return { w: watched, load };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vfmap-watch-'));
  warnings.length = 0;
});
afterEach(() => {
  watched?.close();
  watched = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('watchFile', () => {
  it('reads again only when stat says the file changed', async () => {
    const path = join(dir, 'f');
    writeFileSync(path, 'one');
    const { w, load } = watchText(path);
    await vi.waitFor(() => expect(w.current()).toBe('one'));
    await pause(120);
    expect(load).toHaveBeenCalledTimes(1);
    writeFileSync(path, 'two!');
    await vi.waitFor(() => expect(w.current()).toBe('two!'));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('stops calling a listener that unsubscribed, and one failing listener does not stop the others', async () => {
    const path = join(dir, 'f');
    writeFileSync(path, 'one');
    const { w } = watchText(path);
    const gone = vi.fn();
    const stays = vi.fn();
    w.onChange(() => {
      throw new Error('boom');
    });
    const unsubscribe = w.onChange(gone);
    w.onChange(stays);
    await vi.waitFor(() => expect(stays).toHaveBeenCalledWith('one'));
    expect(gone).toHaveBeenCalledTimes(1);
    expect(warnings).toEqual(['a peer list listener failed: boom']);
    unsubscribe();
    writeFileSync(path, 'three');
    await vi.waitFor(() => expect(stays).toHaveBeenCalledWith('three'));
    expect(gone).toHaveBeenCalledTimes(1);
  });

  it('tries a failed read again at each poll, warning only once', async () => {
    const path = join(dir, 'f');
    writeFileSync(path, 'one');
    let fail = true;
    const load = vi.fn(async () => {
      if (fail) throw new Error(`${path} is locked`);
      return { value: 'read', problems: [] };
    });
    const { w } = watchText(path, load);
    await vi.waitFor(() => expect(load.mock.calls.length).toBeGreaterThan(3));
    expect(w.lastError()).toBe(`${path} is locked`);
    expect(warnings).toEqual([`${path} is locked`]);
    fail = false;
    await vi.waitFor(() => expect(w.current()).toBe('read'));
    expect(w.lastError()).toBeNull();
  });

  it('lets an idle process exit while it polls', () => {
    const path = join(dir, 'f');
    writeFileSync(path, 'one');
    const script = `
      import { watchFile } from ${JSON.stringify(join(import.meta.dirname, 'watchedFile.ts'))};
      import { readFile } from 'node:fs/promises';
      const w = watchFile({ files: () => [{ path: ${JSON.stringify(path)}, by: 'stat' }], load: async () => ({ value: await readFile(${JSON.stringify(path)}, 'utf8'), problems: [] }), initial: '', pollMs: 20 });
      setTimeout(() => console.log('read ' + w.current()), 200);
    `;
    const tsx = join(import.meta.dirname, '../../../../../node_modules/.bin/tsx');
    const child = spawnSync(tsx, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(child.error).toBeUndefined();
    expect(child.stdout.trim()).toBe('read one');
    expect(child.status).toBe(0);
  });
});
