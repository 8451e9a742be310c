import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../configFlags';
import { loadWriteToken, tokenId } from './writeToken';

const dir = mkdtempSync(join(tmpdir(), 'vfmap-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the write token', () => {
  it('is made at the first start in the state directory, mode 0600, and read back later', () => {
    const stateDir = join(dir, 'state');
    const first = loadWriteToken({ stateDir });
    expect(first).toMatchObject({ source: 'state-dir', path: join(stateDir, 'token'), created: true, warnings: [] });
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(statSync(first.path!).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(first.path!, 'utf8')).toBe(`${first.value}\n`);

    const again = loadWriteToken({ stateDir });
    expect(again).toMatchObject({ value: first.value, created: false });
    expect(loadWriteToken({ stateDir: join(dir, 'other') }).value).not.toBe(first.value);
  });

  it('comes from VFMAP_TOKEN or from --token-file instead, and is never made then', () => {
    const stateDir = join(dir, 'unused');
    expect(loadWriteToken({ token: 'from-the-environment-1234', stateDir })).toMatchObject({ value: 'from-the-environment-1234', source: 'environment', created: false, path: null });
    const file = join(dir, 'given-token');
    writeFileSync(file, 'from-a-file-abcdefghijkl\n', { mode: 0o600 });
    expect(loadWriteToken({ tokenFile: file, stateDir })).toMatchObject({ value: 'from-a-file-abcdefghijkl', source: 'file', created: false });
    expect(() => statSync(stateDir)).toThrow();
  });

  it('warns about a token file others can read, and refuses short, missing or doubly given tokens', () => {
    const open = join(dir, 'open-token');
    writeFileSync(open, 'readable-by-everyone-123\n', { mode: 0o644 });
    expect(loadWriteToken({ tokenFile: open, stateDir: dir }).warnings[0]).toContain('mode 0644');
    expect(() => loadWriteToken({ token: 'short', stateDir: dir })).toThrow(/at least 16/);
    expect(() => loadWriteToken({ tokenFile: join(dir, 'absent'), stateDir: dir })).toThrow(ConfigError);
    expect(() => loadWriteToken({ token: 'from-the-environment-1234', tokenFile: open, stateDir: dir })).toThrow(/give one/);
  });

  it('is named in the audit log by a digest, never by its value', () => {
    expect(tokenId('from-the-environment-1234')).toMatch(/^token:[0-9a-f]{8}$/);
    expect(tokenId('from-the-environment-1234')).not.toContain('environment');
  });
});
