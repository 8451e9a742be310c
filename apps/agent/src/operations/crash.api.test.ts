import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, SIMULATED_HYPERVISOR_STATE_PATH, SimulatedHypervisorState, Topology, type Pf } from '@vfmap/model';
import { generateHost, profiles } from '@vfmap/simhost';
import { DesiredNumVfsFile } from '../desired/desiredNumVfs';
import { tempDir, TOKEN } from '../testing/simAgent';

/**
 * Crash safety, as a user meets it: the agent as shipped (the esbuild bundle, sysfs written from
 * its worker thread) over a simulated host, SIGKILLed at a seeded random moment of a count change
 * or an assignment, 50 times, and started again each time. After every restart: the state and
 * audit files parse, the audit has no half line, an operation that was under way is audited as
 * interrupted with what the kernel shows now, the desired count is the one of the last write that
 * was done, and the next write on the PF works. VFMAP_CRASH_SEED replays a run.
 */
const ITERATIONS = 50;
const PF = '0000:01:00.0';
const SEED = Number(process.env.VFMAP_CRASH_SEED ?? Date.now() % 1_000_000_000);

let bundleDir: string;
let root: string;
let stateDir: string;
let agent: { child: ChildProcess; url: string; exited: Promise<void> } | null = null;
let stderr = '';

/** mulberry32: a small seeded generator, so a failing run replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function startAgentProcess(): Promise<NonNullable<typeof agent>> {
  const { VFMAP_TOKEN_FILE: _f, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [join(bundleDir, 'vfmap.js'), 'agent', '--root', root, '--kernel', 'simulated', '--state-dir', stateDir, '--listen', '127.0.0.1:0', '--hypervisor', 'simulated', '--host-id', 'crash', '--log-level', 'warn', '--single-process'],
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

const api = (path: string) => `${agent!.url}/api/v1/hosts/crash${path}`;

async function topology(): Promise<{ topology: Topology; etag: string }> {
  const res = await fetch(api('/topology'));
  return { topology: Topology.parse(await res.json()), etag: res.headers.get('etag')! };
}

const pfOf = (t: Topology): Pf => t.pfs.find((p) => p.address === PF)!;

type Op = { kind: 'numvfs'; count: number } | { kind: 'assign'; vf: string; vmId: string } | { kind: 'release'; vf: string };

function send(op: Op, etag: string): Promise<Response> {
  const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'If-Match': etag };
  if (op.kind === 'numvfs') return fetch(api(`/pfs/${PF}/numvfs`), { method: 'PUT', headers, body: JSON.stringify({ count: op.count, force: true }) });
  if (op.kind === 'assign') return fetch(api(`/vfs/${op.vf}/assignment`), { method: 'POST', headers, body: JSON.stringify({ vmId: op.vmId }) });
  return fetch(api(`/vfs/${op.vf}/assignment`), { method: 'DELETE', headers });
}

/** A count change, or an assignment change of one of the PF's VFs: whatever the PF's state allows. */
function pick(rng: () => number, pf: Pf): Op {
  const free = pf.vfs.filter((v) => !v.holder);
  const spare = pf.vfs.filter((v) => v.holder?.vmId === '101');
  const r = rng();
  if (r < 0.5 || pf.vfs.length === 0) {
    const others = Array.from({ length: pf.totalVfs + 1 }, (_, n) => n).filter((n) => n !== pf.numVfs);
    return { kind: 'numvfs', count: others[Math.floor(rng() * others.length)]! };
  }
  if (spare.length > 0 && (r < 0.75 || free.length === 0)) return { kind: 'release', vf: spare[0]!.address };
  if (free.length > 0) return { kind: 'assign', vf: free[Math.floor(rng() * free.length)]!.address, vmId: '101' };
  return { kind: 'numvfs', count: pf.numVfs === 0 ? 4 : 0 };
}

/** The opposite write, on the same PF: what "the next write works" is checked with. */
function follow(op: Op, pf: Pf): Op {
  if (op.kind === 'numvfs') return { kind: 'numvfs', count: pf.numVfs === 3 ? 5 : 3 };
  const vf = pf.vfs.find((v) => v.address === op.vf);
  if (vf?.holder?.vmId === '101') return { kind: 'release', vf: vf.address };
  if (vf && !vf.holder) return { kind: 'assign', vf: vf.address, vmId: '101' };
  return { kind: 'numvfs', count: pf.numVfs === 0 ? 3 : 0 };
}

function auditLines(): string[] {
  const path = join(stateDir, 'audit.jsonl');
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  // No half line: every line ends with its newline.
  expect(text === '' || text.endsWith('\n'), 'the audit log ends with a whole line').toBe(true);
  return text.split('\n').slice(0, -1);
}

function desiredCount(): number | undefined {
  const path = join(stateDir, 'desired-numvfs.json');
  if (!existsSync(path)) return undefined;
  return DesiredNumVfsFile.parse(JSON.parse(readFileSync(path, 'utf8'))).pfs[PF]?.count;
}

function kernelCount(): { numvfs: number; virtfns: number } {
  const dir = join(root, 'sys/bus/pci/devices', PF);
  return { numvfs: Number(readFileSync(join(dir, 'sriov_numvfs'), 'utf8')), virtfns: readdirSync(dir).filter((n) => /^virtfn\d+$/.test(n)).length };
}

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
    const rng = random(SEED);
    const outcomes: Record<string, number> = {};
    let desired: number | undefined;
    const started = performance.now();
    let iteration = 0;
    try {
      agent = await startAgentProcess();
      // How long each kind takes here, unkilled (the quickest of three, past the first runs' JIT):
      // the kills are spread over it.
      const span: Record<Op['kind'], number> = { numvfs: Infinity, assign: Infinity, release: Infinity };
      for (let round = 0; round < 3; round++) {
        for (const op of [{ kind: 'numvfs', count: round === 1 ? 3 : 2 }, { kind: 'assign', vf: '0000:01:10.2', vmId: '101' }, { kind: 'release', vf: '0000:01:10.2' }] as const) {
          const t = performance.now();
          expect((await send(op, '*')).status).toBe(200);
          span[op.kind] = Math.min(span[op.kind], performance.now() - t);
        }
      }
      desired = 2;

      for (iteration = 0; iteration < ITERATIONS; iteration++) {
        const before = await topology();
        const pfBefore = pfOf(before.topology);
        const op = pick(rng, pfBefore);
        const linesBefore = auditLines().length;
        const delay = rng() * span[op.kind];
        // Acknowledged only when the whole answer arrived: a kill between its headers and its body is none.
        const answer = send(op, before.etag)
          .then(async (r) => ({ status: r.status, body: (await r.json()) as { operationId?: string } }))
          .catch(() => null);
        await new Promise((resolve) => setTimeout(resolve, delay));
        await killAgent();
        const acked = await answer;
        if (acked) expect(acked.status, JSON.stringify(acked.body)).toBe(200);

        agent = await startAgentProcess();
        const now = await topology();
        const pfNow = pfOf(now.topology);

        // The files parse; no operation is left marked as running.
        const lines = auditLines();
        const entries = lines.map((l) => AuditEntry.parse(JSON.parse(l)));
        SimulatedHypervisorState.parse(JSON.parse(readFileSync(join(root, SIMULATED_HYPERVISOR_STATE_PATH), 'utf8')));
        const running = join(stateDir, 'running');
        expect(existsSync(running) ? readdirSync(running) : []).toEqual([]);
        // The simulated kernel is whole: the count and the links agree, and the agent reads that count.
        const kernel = kernelCount();
        expect(kernel.virtfns, 'virtfn links = sriov_numvfs').toBe(kernel.numvfs);
        expect(pfNow.numVfs, 'the agent reads the kernel').toBe(kernel.numvfs);

        const added = entries.slice(linesBefore);
        expect(added.length).toBeLessThanOrEqual(1);
        const entry = added[0];
        const outcome = acked ? 'answered' : (entry?.result ?? 'not begun');
        // The machine's pace moves (other work shares it): a kill that came after the answer
        // draws the next one of this kind a little earlier, one that came before the start later.
        if (outcome === 'answered') span[op.kind] *= 0.85;
        if (outcome === 'not begun') span[op.kind] *= 1.1;
        outcomes[`${op.kind} ${outcome}`] = (outcomes[`${op.kind} ${outcome}`] ?? 0) + 1;
        if (acked) expect(entry).toMatchObject({ id: acked.body.operationId, result: 'ok' });
        if (entry) {
          expect(entry).toMatchObject({ operation: op.kind, target: op.kind === 'numvfs' ? PF : op.vf });
          expect(['ok', 'interrupted']).toContain(entry.result);
        } else {
          // Killed before it acted: the host is as it was.
          expect(pfNow.numVfs, 'not begun: the count is as it was').toBe(pfBefore.numVfs);
          expect(pfNow.vfs.map((v) => v.holder?.vmId ?? null)).toEqual(pfBefore.vfs.map((v) => v.holder?.vmId ?? null));
        }
        if (entry?.result === 'interrupted') {
          // Audited with what the kernel and the hypervisor show now.
          if (op.kind === 'numvfs') expect(entry.after).toMatchObject({ numVfs: kernel.numvfs });
          else expect(entry.after).toEqual({ holder: pfNow.vfs.find((v) => v.address === op.vf)?.holder ? expect.objectContaining({ vmId: pfNow.vfs.find((v) => v.address === op.vf)!.holder!.vmId }) : null });
        }
        // The desired count is the one of the last count change that was done (and answered, but
        // for a kill between its audit entry and its answer): an interrupted one is not.
        if (op.kind === 'numvfs' && entry?.result === 'ok') desired = op.count;
        expect(desiredCount(), `desired count (op ${JSON.stringify(op)}, ${outcome})`).toBe(desired);

        // The next write on the PF works, with the ETag of what the agent shows now.
        const next = follow(op, pfNow);
        const res = await send(next, now.etag);
        expect(res.status, await res.clone().text()).toBe(200);
        if (next.kind === 'numvfs') {
          desired = next.count;
          expect(pfOf((await topology()).topology).numVfs, 'the next write applied').toBe(next.count);
        }
      }
    } catch (err) {
      throw new Error(`seed ${SEED} (VFMAP_CRASH_SEED=${SEED} replays it), iteration ${iteration}: ${(err as Error).message}\nagent log:\n${stderr.slice(-2000)}`, { cause: err });
    }
    console.log(`crash loop, seed ${SEED}: ${ITERATIONS} kills in ${Math.round((performance.now() - started) / 1000)} s; outcomes ${JSON.stringify(outcomes)}`);
    // The kills landed in every phase: some before the operation acted, some while it was under way.
    const interrupted = Object.entries(outcomes).filter(([k]) => k.endsWith('interrupted')).reduce((n, [, v]) => n + v, 0);
    expect(interrupted, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(3);
  }, 150_000);
});
