import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NumVfsResult, SIMULATED_HYPERVISOR_STATE_PATH } from '@vfmap/model';
import { DEMO, problemOf, startSimAgent, type SimAgent } from '../testing/simAgent';

// The real agent over the demo host's tree, writing to the kernel its --kernel names (built by
// startAgent itself, as `vfmap agent` does), not to a kernel the test hands it.
let host: SimAgent | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

const start = async (kernel: string) => (host = await startSimAgent({ kernel: 'from-config', args: ['--kernel', kernel] }));
const put = (h: SimAgent, pf: string, count: number) => h.request('PUT', `/pfs/${pf}/numvfs`, { count });

describe('the kernel the agent writes to', () => {
  it('with --kernel none refuses every count change with a problem saying it has no kernel, and writes nothing', async () => {
    const h = await start('none');
    const before = readFileSync(h.attr(DEMO.x710p1, 'sriov_numvfs'), 'utf8');
    const res = await put(h, DEMO.x710p1, 4);
    expect(res.status).toBe(409);
    const problem = await problemOf(res);
    expect(problem).toMatchObject({ type: 'urn:vfmap:problem:kernel', title: 'The agent has no kernel to write to' });
    expect(problem.detail).toContain('started without a kernel to write to (--kernel none)');
    expect(readFileSync(h.attr(DEMO.x710p1, 'sriov_numvfs'), 'utf8')).toBe(before);
    expect(await (await fetch(h.url('/healthz'))).json()).toMatchObject({ kernel: 'none' });
  });

  it('with --kernel real writes the file under the root as write(2) does, even where a simulated host\'s state lies', async () => {
    const h = await start('real');
    // The demo tree carries the simulated hypervisor's state: it used to switch writes to the simulator.
    expect(existsSync(join(h.root, SIMULATED_HYPERVISOR_STATE_PATH))).toBe(true);
    const res = await put(h, DEMO.x710p1, 4);
    expect(res.status).toBe(200);
    // A plain write stores "4" as it is, and nothing makes VFs; the simulator would answer "4\n" and create four.
    expect(readFileSync(h.attr(DEMO.x710p1, 'sriov_numvfs'), 'utf8')).toBe('4');
    expect(NumVfsResult.parse(await res.json()).pf.vfs).toEqual([]);
    expect(await (await fetch(h.url('/healthz'))).json()).toMatchObject({ kernel: 'real' });
  });

  it('with --kernel simulated has the simulated kernel answer, creating the VFs', async () => {
    const h = await start('simulated');
    const res = await put(h, DEMO.x710p1, 4);
    expect(res.status).toBe(200);
    expect(readFileSync(h.attr(DEMO.x710p1, 'sriov_numvfs'), 'utf8')).toBe('4\n');
    expect(NumVfsResult.parse(await res.json()).pf.vfs).toHaveLength(4);
  });
});
