import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, KernelWriteHungProblem, NumVfsResult, NumVfsWriteRefusedProblem, type Topology } from '@vfmap/model';
import { parseFault, setFaults } from '@vfmap/simhost';
import type { WorkerScripts } from '../startAgent';
import { DEMO, problemOf, startSimAgent, type SimAgent } from '../testing/simAgent';
import { buildWorkerScripts } from '../testing/workerBundles';

// Faults of the simulated kernel (packages/simhost faults.ts), set and cleared per test through
// the tree's fault file, met by the real agent writing from its worker thread as shipped.
let out: string;
let scripts: WorkerScripts;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'vfmap-fault-workers-'));
  scripts = await buildWorkerScripts(out);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

let host: SimAgent | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

const start = async (args: string[] = []) => {
  host = await startSimAgent({ kernel: 'from-config', workerScripts: scripts, args });
  return host;
};
const put = (h: SimAgent, pf: string, count: number) => h.request('PUT', `/pfs/${pf}/numvfs`, { count });
const pfOf = (t: Topology, address: string) => t.pfs.find((p) => p.address === address)!;
const lastAudit = async (h: SimAgent) => AuditPage.parse(await (await fetch(h.api('/audit'))).json()).entries[0]!;

describe('a sriov_numvfs write the kernel fails', () => {
  it.each([
    ['EBUSY', 409],
    ['ENOENT', 409],
    ['EIO', 500],
    ['ERANGE', 422],
    ['ENOMEM', 500],
  ] as const)('%s: a problem naming the write and the errno, the host unchanged, audited, and the next change works once cleared', async (errno, status) => {
    const h = await start();
    setFaults(h.root, [parseFault(`numvfs-write:${DEMO.x710p1}=${errno}`)]);
    const res = await put(h, DEMO.x710p1, 4);
    expect(res.status).toBe(status);
    const problem = await problemOf(res, NumVfsWriteRefusedProblem);
    expect(problem).toMatchObject({ type: 'urn:vfmap:problem:kernel', errno, pf: DEMO.x710p1, value: '4', path: h.attr(DEMO.x710p1, 'sriov_numvfs') });
    expect(problem.detail).toContain(errno);
    expect(pfOf(await h.topology(), DEMO.x710p1).numVfs).toBe(0);
    const audit = await lastAudit(h);
    expect(audit).toMatchObject({ operation: 'numvfs', target: DEMO.x710p1, result: 'failed', problem: { errno, status } });

    setFaults(h.root, []);
    const again = await put(h, DEMO.x710p1, 4);
    expect(again.status).toBe(200);
    expect(NumVfsResult.parse(await again.json()).count).toBe(4);
  });
});

describe('a VF removal that blocks (the kernel waits for a held VF\'s driver)', () => {
  it('answers 504 write-hung after --write-timeout-ms, refuses the PF with 409 meanwhile, audits it, re-reads the PF when the write returns, and then works', async () => {
    const h = await start(['--write-timeout-ms', '400']);
    setFaults(h.root, [parseFault('vf-remove-delay=2500ms')]);
    const res = await put(h, DEMO.cx6p1, 0);
    expect(res.status).toBe(504);
    const hung = await problemOf(res, KernelWriteHungProblem);
    expect(hung).toMatchObject({ reason: 'write-hung', errno: 'ETIMEDOUT', pf: DEMO.cx6p1, value: '0', path: h.attr(DEMO.cx6p1, 'sriov_numvfs') });
    expect(hung.detail).toContain('did not return within 400 ms');
    expect(await lastAudit(h)).toMatchObject({ target: DEMO.cx6p1, result: 'failed', after: null, problem: { reason: 'write-hung', status: 504 } });

    // The PF's queue is not stuck behind the write: the next operation is refused at once.
    const next = await put(h, DEMO.cx6p1, 2);
    expect(next.status).toBe(409);
    expect(await problemOf(next, KernelWriteHungProblem)).toMatchObject({ reason: 'write-hung', pf: DEMO.cx6p1 });

    // The write returns on its own; the agent re-reads the PF and the next change works.
    await expect.poll(async () => pfOf(await h.topology(), DEMO.cx6p1).numVfs, { timeout: 10_000, interval: 200 }).toBe(0);
    setFaults(h.root, []);
    await expect.poll(async () => (await put(h, DEMO.cx6p1, 2)).status, { timeout: 10_000, interval: 200 }).toBe(200);
    expect(pfOf(await h.topology(), DEMO.cx6p1).numVfs).toBe(2);
  });
});

describe('the host changing under the scan', () => {
  it('a VF that vanishes (hot-unplug): the topology is still served, with a warning naming it, and the PF takes the next change', async () => {
    const h = await start();
    const vf = pfOf(await h.topology(), DEMO.cx6p1).vfs[1]!.address;
    setFaults(h.root, [parseFault(`vanish:${vf}`)]);
    // The next check of the host (at most a second later) sees it gone.
    await expect.poll(async () => (await h.topology()).warnings.filter((w) => w.path?.endsWith(vf)).map((w) => w.code), { timeout: 5000 }).toEqual(['vf-missing']);
    expect(pfOf(await h.topology(), DEMO.cx6p1).vfs.map((v) => v.address)).not.toContain(vf);
    setFaults(h.root, []);
    const res = await put(h, DEMO.cx6p1, 0);
    expect(res.status).toBe(200);
    expect((await put(h, DEMO.cx6p1, 2)).status).toBe(200);
  });

  it('a sysfs file that reads as garbage: the topology is served with a malformed warning, and the PF takes the next change', async () => {
    const h = await start();
    setFaults(h.root, [parseFault(`garbage:numa_node@${DEMO.cx6p1}`)]);
    // numa_node is not in the fingerprint: the operation's own scan reads it.
    expect((await put(h, DEMO.cx6p1, 2)).status).toBe(200);
    const t = await h.topology();
    expect(t.warnings.filter((w) => w.path?.endsWith(`${DEMO.cx6p1}/numa_node`)).map((w) => w.code)).toEqual(['malformed']);
    expect(pfOf(t, DEMO.cx6p1).numaNode).toBeNull();
    expect((await put(h, DEMO.cx6p1, 3)).status).toBe(200);
  });
});
