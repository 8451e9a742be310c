import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHost, profiles } from '@vfmap/simhost';
import { CRASH_HOST, crashLoop, crashSeed, interruptedCount, type CrashSubject } from '../testing/crashLoop';
import { tempDir, TOKEN } from '../testing/simAgent';

/**
 * Crash safety, as a user meets it: the agent as shipped (the esbuild bundle, sysfs written from
 * its worker thread, one process: --single-process) over a simulated host, SIGKILLed at a seeded
 * random moment of a count change or an assignment, 50 times, and started again each time. After
 * every restart: the state and audit files parse, the audit has no half line, an operation that
 * was under way is audited as interrupted with what the kernel shows now, the desired count is the
 * one of the last write that was done, and the next write on the PF works (testing/crashLoop.ts).
 * VFMAP_CRASH_SEED replays a run. The split agent's loop: helper/crashSplit.api.test.ts.
 */
const ITERATIONS = 50;
const SEED = crashSeed();

let bundleDir: string;
let root: string;
let stateDir: string;
let agent: { child: ChildProcess; url: string; exited: Promise<void> } | null = null;
let stderr = '';

function startAgentProcess(): Promise<NonNullable<typeof agent>> {
  const { VFMAP_TOKEN_FILE: _f, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [join(bundleDir, 'vfmap.js'), 'agent', '--root', root, '--kernel', 'simulated', '--state-dir', stateDir, '--listen', '127.0.0.1:0', '--hypervisor', 'simulated', '--host-id', CRASH_HOST, '--log-level', 'warn', '--single-process'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, VFMAP_TOKEN: TOKEN } },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http\S+?)\/?\n/.exec(out);
      if (m) resolve({ child, url: m[1]!, exited });
    });
    child.once('exit', (code) => reject(new Error(`the agent exited ${code} before it listened:\n${out}\n${stderr.slice(-3000)}`)));
  });
}

async function killAgent(): Promise<void> {
  if (!agent) return;
  agent.child.kill('SIGKILL');
  await agent.exited;
  agent = null;
}

const subject: CrashSubject = {
  async start() {
    agent = await startAgentProcess();
    return agent.url;
  },
  async kill() {
    await killAgent();
    return '';
  },
  log: () => stderr,
};

beforeAll(async () => {
  bundleDir = tempDir('vfmap-crash-bundle-');
  root = tempDir('vfmap-crash-host-');
  stateDir = tempDir('vfmap-crash-state-');
  await promisify(execFile)(process.execPath, [join(import.meta.dirname, '../../build.mjs'), '--outdir', bundleDir]);
  generateHost(root, profiles.minimal!);
}, 60_000);

afterAll(async () => {
  await killAgent();
  for (const dir of [bundleDir, root, stateDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL during writes, 50 times', () => {
  it('leaves parseable state, a whole-line audit with the interrupted operation, the desired count of the last write done, and a PF that takes the next write', async () => {
    const { outcomes, seconds } = await crashLoop({ iterations: ITERATIONS, seed: SEED, root, stateDir, subject });
    console.log(`crash loop, seed ${SEED}: ${ITERATIONS} kills in ${seconds} s; outcomes ${JSON.stringify(outcomes)}`);
    // The kills landed in every phase: some before the operation acted, some while it was under way.
    expect(interruptedCount(outcomes), JSON.stringify(outcomes)).toBeGreaterThanOrEqual(3);
  }, 150_000);
});
