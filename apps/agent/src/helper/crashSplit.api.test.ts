import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { generateHost, profiles } from '@vfmap/simhost';
import { itNeeds, root as asRoot } from '../../../../test/needs';
import { CRASH_HOST, crashLoop, crashSeed, interruptedCount, type CrashSubject } from '../testing/crashLoop';
import { tempDir, TOKEN } from '../testing/simAgent';

/**
 * The crash loop (testing/crashLoop.ts) over the split agent as it runs on a host: the bundle's
 * `vfmap agent` started as root, so that it stays root as the helper and runs the HTTP side as
 * nobody over a socketpair. At a seeded random moment of a count change or an assignment either
 * the root helper or the HTTP side (drawn from the seed) is SIGKILLed, 50 times. The other one
 * must notice and exit, non-zero, within SURVIVOR_EXIT_MS — its supervisor (systemd) then starts
 * the pair again — and the request in flight must end (an answer or a closed connection). Then the
 * pair is started again and every invariant of the loop is checked. VFMAP_CRASH_SEED replays a run.
 */
const ITERATIONS = 50;
const SEED = crashSeed();
/** How long the surviving side may take to see the other one gone and exit. */
const SURVIVOR_EXIT_MS = 5_000;

let bundleDir: string;
let root: string;
let stateDir: string;
let log = '';
/** Every process group started (the helper leads one; its HTTP side is in it): none may outlive the file. */
const groups = new Set<number>();

interface Pair {
  helper: ChildProcess;
  helperPid: number;
  httpPid: number;
  url: string;
  /** The helper's exit code (null: a signal). */
  helperExit: Promise<number | null>;
  /** Both processes are gone: the helper exited and the pipes it shares with the HTTP side closed. */
  gone: Promise<void>;
}
let pair: Pair | null = null;

function startPair(): Promise<Pair> {
  const { VFMAP_TOKEN_FILE: _f, ...env } = process.env;
  const helper = spawn(
    process.execPath,
    [join(bundleDir, 'vfmap.js'), 'agent', '--root', root, '--kernel', 'simulated', '--state-dir', stateDir, '--listen', '127.0.0.1:0', '--hypervisor', 'simulated', '--host-id', CRASH_HOST, '--log-level', 'warn', '--user', 'nobody'],
    // Its own process group, so that afterAll can end whatever of it is left.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, VFMAP_TOKEN: TOKEN }, detached: true },
  );
  groups.add(helper.pid!);
  const helperExit = new Promise<number | null>((resolve) => helper.once('exit', (code) => resolve(code)));
  const closed = (s: NodeJS.ReadableStream) => new Promise<void>((resolve) => s.once('close', () => resolve()));
  const gone = Promise.all([helperExit, closed(helper.stdout!), closed(helper.stderr!)]).then(() => undefined);
  return new Promise((resolve, reject) => {
    let out = '';
    helper.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    helper.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const pids = /the root helper is pid (\d+), the HTTP side pid (\d+)/.exec(out);
      const listening = /listening on (http\S+?)\/? \(HTTP side/.exec(out);
      if (pids && listening) resolve({ helper, helperPid: Number(pids[1]), httpPid: Number(pids[2]), url: listening[1]!, helperExit, gone });
    });
    helper.once('exit', (code) => reject(new Error(`the split agent exited ${code} before it listened:\n${out}\n${log.slice(-3000)}`)));
  });
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)))]).finally(() => clearTimeout(timer));
}

/** The processes of these groups that are still running (zombies are not). */
function livingIn(pgids: Set<number>): number[] {
  const living: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read past its last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && pgids.has(Number(pgrp))) living.push(Number(name));
  }
  return living;
}

const subject: CrashSubject = {
  async start() {
    pair = await startPair();
    return pair.url;
  },
  async kill(rng) {
    const p = pair!;
    pair = null;
    const which = rng() < 0.5 ? 'helper' : 'http-side';
    const logBefore = log.length;
    process.kill(which === 'helper' ? p.helperPid : p.httpPid, 'SIGKILL');
    await within(p.gone, SURVIVOR_EXIT_MS, `the ${which === 'helper' ? 'HTTP side' : 'root helper'} did not exit within ${SURVIVOR_EXIT_MS} ms of the ${which}'s SIGKILL`);
    if (which === 'http-side') expect(await p.helperExit, 'the helper exits non-zero without its HTTP side').not.toBe(0);
    else expect(log.slice(logBefore), 'the HTTP side says why it stops').toContain('the root helper is gone; stopping');
    return which;
  },
  log: () => log,
};

beforeAll(async () => {
  if (process.getuid?.() !== 0) return;
  bundleDir = tempDir('vfmap-crashsplit-bundle-');
  root = tempDir('vfmap-crashsplit-host-');
  stateDir = tempDir('vfmap-crashsplit-state-');
  await promisify(execFile)(process.execPath, [join(import.meta.dirname, '../../build.mjs'), '--outdir', bundleDir]);
  generateHost(root, profiles.minimal!);
  // The HTTP side runs as nobody: it reads the bundle and the tree (the helper hands it the state directory).
  chmodSync(bundleDir, 0o755);
  chmodSync(root, 0o755);
}, 60_000);

afterAll(() => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }
  for (const dir of [bundleDir, root, stateDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL of the root helper or the HTTP side during writes, 50 times', () => {
  itNeeds(
    [asRoot],
    'the other side exits, the request in flight ends, and after the restart the state, audit and desired count hold',
    async () => {
      const { outcomes, seconds } = await crashLoop({ iterations: ITERATIONS, seed: SEED, root, stateDir, subject });
      console.log(`split crash loop, seed ${SEED}: ${ITERATIONS} kills in ${seconds} s; outcomes ${JSON.stringify(outcomes)}`);
      expect(interruptedCount(outcomes), JSON.stringify(outcomes)).toBeGreaterThanOrEqual(3);
      // Both sides were killed while an operation was under way.
      expect(outcomes['helper: interrupted'], JSON.stringify(outcomes)).toBeGreaterThanOrEqual(1);
      expect(outcomes['http-side: interrupted'], JSON.stringify(outcomes)).toBeGreaterThanOrEqual(1);

      // Stopped as systemd stops it (SIGTERM to the helper), the last pair leaves no process behind.
      const last = pair!;
      pair = null;
      last.helper.kill('SIGTERM');
      await within(last.gone, SURVIVOR_EXIT_MS, 'the split agent did not stop on SIGTERM');
      expect(livingIn(groups)).toEqual([]);
    },
    180_000,
  );
});
