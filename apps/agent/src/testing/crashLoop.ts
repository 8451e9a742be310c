import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { AuditEntry, SIMULATED_HYPERVISOR_STATE_PATH, SimulatedHypervisorState, Topology, type Pf } from '@vfmap/model';
import { DesiredStateFile } from '../desired/desiredFile';
import { TOKEN } from './simAgent';

/**
 * Test support for the crash loops (operations/crash.api.test.ts: one process;
 * helper/crashSplit.api.test.ts: the split agent): the agent as shipped over a simulated host,
 * SIGKILLed at a seeded random moment of a count change or an assignment, started again, and the
 * invariants checked after every restart — the state and audit files parse, the audit has no half
 * line, an operation that was under way is audited as interrupted with what the kernel shows now,
 * the desired count is the one of the last write that was done, and the next write on the PF works.
 * What is killed, and how its end is awaited, is the subject's.
 */
export const CRASH_PF = '0000:01:00.0';
/** The host id the subject's agent is started with. */
export const CRASH_HOST = 'crash';
/** How long an HTTP request in flight at a kill may take to end (an answer or a closed connection): past this it hangs. */
export const REQUEST_END_MS = 10_000;

export interface CrashSubject {
  /** Starts the agent over the loop's tree and state directory; resolves with its base URL once it listens. */
  start(): Promise<string>;
  /**
   * SIGKILLs it (or, split, one of its processes: the choice drawn from `rng`), and resolves once
   * every process of it is gone; returns what was killed, counted in the outcomes.
   */
  kill(rng: () => number): Promise<string>;
  /** Its recent log, shown when an iteration fails. */
  log(): string;
}

export interface CrashLoopOptions {
  iterations: number;
  seed: number;
  /** The simulated host's tree (generated from profiles.minimal) and the agent's state directory. */
  root: string;
  stateDir: string;
  subject: CrashSubject;
}

export interface CrashLoopResult {
  /** `<op kind> <outcome>` (and, when the subject names what it killed, `<what>: …`) → how many times. */
  outcomes: Record<string, number>;
  seconds: number;
}

/** mulberry32: a small seeded generator, so a failing run replays. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of this run: VFMAP_CRASH_SEED replays one. */
export const crashSeed = (): number => Number(process.env.VFMAP_CRASH_SEED ?? Date.now() % 1_000_000_000);

type Op = { kind: 'numvfs'; count: number } | { kind: 'assign'; vf: string; vmId: string } | { kind: 'release'; vf: string };

const pfOf = (t: Topology): Pf => t.pfs.find((p) => p.address === CRASH_PF)!;

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

/** Runs the loop; throws, naming the seed and the iteration, at the first invariant that does not hold. */
export async function crashLoop({ iterations, seed, root, stateDir, subject }: CrashLoopOptions): Promise<CrashLoopResult> {
  let url = '';
  const api = (path: string) => `${url}/api/v1/hosts/${CRASH_HOST}${path}`;
  const topology = async (): Promise<{ topology: Topology; etag: string }> => {
    const res = await fetch(api('/topology'));
    return { topology: Topology.parse(await res.json()), etag: res.headers.get('etag')! };
  };
  const send = (op: Op, etag: string): Promise<Response> => {
    const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'If-Match': etag };
    if (op.kind === 'numvfs') return fetch(api(`/pfs/${CRASH_PF}/numvfs`), { method: 'PUT', headers, body: JSON.stringify({ count: op.count, force: true }) });
    if (op.kind === 'assign') return fetch(api(`/vfs/${op.vf}/assignment`), { method: 'POST', headers, body: JSON.stringify({ vmId: op.vmId }) });
    return fetch(api(`/vfs/${op.vf}/assignment`), { method: 'DELETE', headers });
  };
  const auditLines = (): string[] => {
    const path = join(stateDir, 'audit.jsonl');
    if (!existsSync(path)) return [];
    const text = readFileSync(path, 'utf8');
    // No half line: every line ends with its newline.
    expect(text === '' || text.endsWith('\n'), 'the audit log ends with a whole line').toBe(true);
    return text.split('\n').slice(0, -1);
  };
  const desiredCount = (): number | undefined => {
    const path = join(stateDir, 'desired.json');
    if (!existsSync(path)) return undefined;
    return DesiredStateFile.parse(JSON.parse(readFileSync(path, 'utf8'))).pfs[CRASH_PF]?.count;
  };
  const kernelCount = (): { numvfs: number; virtfns: number } => {
    const dir = join(root, 'sys/bus/pci/devices', CRASH_PF);
    return { numvfs: Number(readFileSync(join(dir, 'sriov_numvfs'), 'utf8')), virtfns: readdirSync(dir).filter((n) => /^virtfn\d+$/.test(n)).length };
  };

  const rng = random(seed);
  const outcomes: Record<string, number> = {};
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
  let desired: number | undefined;
  const started = performance.now();
  let iteration = 0;
  try {
    url = await subject.start();
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

    for (iteration = 0; iteration < iterations; iteration++) {
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
      const killed = await subject.kill(rng);
      // The request in flight ends, with an answer or a closed connection; it never hangs.
      let timer: NodeJS.Timeout | undefined;
      const acked = await Promise.race([
        answer,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the request in flight at the kill (${killed}) did not end within ${REQUEST_END_MS} ms`)), REQUEST_END_MS))),
      ]).finally(() => clearTimeout(timer));
      if (acked) expect(acked.status, JSON.stringify(acked.body)).toBe(200);

      url = await subject.start();
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
      count(`${op.kind} ${outcome}`);
      if (killed) count(`${killed}: ${outcome}`);
      if (acked) expect(entry).toMatchObject({ id: acked.body.operationId, result: 'ok' });
      if (entry) {
        expect(entry).toMatchObject({ operation: op.kind, target: op.kind === 'numvfs' ? CRASH_PF : op.vf });
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
    throw new Error(`seed ${seed} (VFMAP_CRASH_SEED=${seed} replays it), iteration ${iteration}: ${(err as Error).message}\nagent log:\n${subject.log().slice(-2000)}`, { cause: err });
  }
  return { outcomes, seconds: Math.round((performance.now() - started) / 1000) };
}

/** How many kills landed while an operation was under way (audited as interrupted). */
export function interruptedCount(outcomes: Record<string, number>): number {
  return Object.entries(outcomes)
    .filter(([k]) => !k.includes(':') && k.endsWith('interrupted'))
    .reduce((n, [, v]) => n + v, 0);
}
