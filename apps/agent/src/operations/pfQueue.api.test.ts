import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, AuditPfState, NumVfsResult } from '@vfmap/model';
import { DEMO, recordingKernel, startSimAgent, type SimAgent } from '../testing/simAgent';

let host: SimAgent;
const writes: Array<{ path: string; value: string }> = [];

beforeAll(async () => {
  host = await startSimAgent({ kernel: (root, sim) => recordingKernel(root, sim, writes) });
});
afterAll(() => host?.close());

describe('concurrent count changes on one PF', () => {
  it('queue and never interleave: each change\'s "0" and new count reach the kernel back to back', async () => {
    const counts = [2, 5, 3, 7, 1, 6];
    const answers = await Promise.all(counts.map((count) => host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count })));
    expect(answers.map((r) => r.status)).toEqual(counts.map(() => 200));
    const results = await Promise.all(answers.map(async (r) => NumVfsResult.parse(await r.json())));
    expect(results.map((r) => r.count)).toEqual(counts);

    const audit = AuditPage.parse(await (await fetch(host.api('/audit?limit=20'))).json());
    const done = audit.entries.filter((e) => e.target === DEMO.cx6p1).reverse();
    expect(done.map((e) => e.result)).toEqual(counts.map(() => 'ok'));
    const states = done.map((e) => ({ before: AuditPfState.parse(e.before), after: AuditPfState.parse(e.after), count: e.request.count as number }));
    // Each change started from the count the one before it left (the PF had 4): none acted on a stale view.
    expect(states[0]!.before.numVfs).toBe(4);
    for (let i = 1; i < states.length; i++) expect(states[i]!.before.numVfs).toBe(states[i - 1]!.after.numVfs);

    // The kernel saw exactly the pairs, in the order the operations ran, and nothing in between.
    const numvfs = writes.filter((w) => w.path === `sys/bus/pci/devices/${DEMO.cx6p1}/sriov_numvfs`).map((w) => w.value);
    expect(numvfs).toEqual(states.flatMap((s) => ['0', String(s.count)]));
    expect((await host.topology()).pfs.find((p) => p.address === DEMO.cx6p1)!.numVfs).toBe(states.at(-1)!.count);
  });
});
