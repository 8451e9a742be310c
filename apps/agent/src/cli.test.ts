import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHost, profiles } from '@vfmap/simhost';
import { tempDir } from './testing/simAgent';

const cli = join(import.meta.dirname, 'cli.ts');
const tsx = join(import.meta.dirname, '../../../node_modules/.bin/tsx');

let root: string;
let stateDir: string;
beforeAll(() => {
  root = tempDir('vfmap-cli-');
  stateDir = tempDir('vfmap-cli-state-');
  generateHost(root, profiles['qemu-q35']!);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

function withoutTokenSettings(): NodeJS.ProcessEnv {
  const { VFMAP_TOKEN: _t, VFMAP_TOKEN_FILE: _f, ...env } = process.env;
  return env;
}

/** Runs `vfmap agent` until it says it listens, then stops it; returns what it printed and logged. */
function runAgentOnce(): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [cli, 'agent', '--single-process', '--root', root, '--kernel', 'simulated', '--state-dir', stateDir, '--listen', '127.0.0.1:0', '--hypervisor', 'simulated', '--log-level', 'info'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: withoutTokenSettings(),
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vfmap agent did not start:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('listening on') && !child.killed) setTimeout(() => child.kill('SIGTERM'), 200);
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

describe('vfmap agent', () => {
  it('prints the write token it makes at the first start on stdout, once, and never logs it', async () => {
    const first = await runAgentOnce();
    const token = readFileSync(join(stateDir, 'token'), 'utf8').trim();
    expect(first.stdout).toContain(`Write token (made now in ${join(stateDir, 'token')}, shown only this once; the page asks for it): ${token}\n`);
    expect(first.stderr).toContain('"msg":"agent listening"');
    expect(first.stderr).toContain('"kernel":"simulated"');
    expect(first.stderr).not.toContain(token);

    const second = await runAgentOnce();
    expect(second.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\//);
    expect(second.stdout).not.toContain('Write token');
    expect(second.stdout).not.toContain(token);
    expect(readFileSync(join(stateDir, 'token'), 'utf8').trim()).toBe(token);
  }, 120_000);
});

describe('vfmap apply-desired', () => {
  it('says there is nothing to do before any count was set, and exits 0', async () => {
    const { stdout } = await promisify(execFile)(tsx, [cli, 'apply-desired', '--root', root, '--kernel', 'simulated', '--state-dir', stateDir, '--hypervisor', 'simulated']);
    expect(stdout).toBe(`no desired VF counts in ${stateDir} yet: nothing to do\n`);
  });
});
