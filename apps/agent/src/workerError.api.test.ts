import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '@vfmap/model';
import type { WorkerScripts } from './startAgent';
import { DEMO, problemOf, startSimAgent, type SimAgentOptions } from './testing/simAgent';
import { buildWorkerScripts } from './testing/workerBundles';

// The same failures, met by the agent reading and writing sysfs in its worker threads (as shipped)
// and on the calling thread: the problem table must see the same typed error either way.
let out: string;
let scripts: WorkerScripts;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'vfmap-workers-'));
  scripts = await buildWorkerScripts(out);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Starts the agent over the demo host in both ways, runs `act` on each, and returns each answer's problem. */
async function bothWays(options: SimAgentOptions, act: (host: Awaited<ReturnType<typeof startSimAgent>>) => Promise<Response>): Promise<{ worker: Problem; inline: Problem }> {
  const answer = async (workerScripts?: WorkerScripts) => {
    const host = await startSimAgent({ ...options, ...(workerScripts ? { workerScripts } : {}) });
    try {
      const res = await act(host);
      // Each agent has its own tree: name it ROOT in the paths and messages.
      const problem = JSON.parse(JSON.stringify(await problemOf(res)).replaceAll(host.root, 'ROOT')) as Problem;
      return { status: res.status, problem };
    } finally {
      await host.close();
    }
  };
  const [worker, inline] = [await answer(scripts), await answer()];
  expect(worker.status).toBe(inline.status);
  return { worker: worker.problem, inline: inline.problem };
}

const withoutInstance = ({ instance: _i, ...p }: Problem) => p;

describe('errors from the worker threads', () => {
  it('answer a scan that fails with a SysfsError with the same kernel problem as a scan on the calling thread', async () => {
    const { worker, inline } = await bothWays({}, async (host) => {
      // /usr/share becomes a file: the stat of pci.ids below it fails with ENOTDIR, which the reader does not
      // tolerate. A count changed behind the agent's back makes the next request scan again, once the
      // agent's last check is older than the second in which checks are shared.
      rmSync(join(host.root, 'usr/share'), { recursive: true, force: true });
      writeFileSync(join(host.root, 'usr/share'), '');
      host.sim.writeAttribute(host.attr(DEMO.x710p1, 'sriov_numvfs'), '2');
      await new Promise((r) => setTimeout(r, 1100));
      return fetch(host.api('/topology'));
    });
    expect(worker).toMatchObject({ type: 'urn:vfmap:problem:kernel', status: 500, errno: 'ENOTDIR', path: expect.stringMatching(/^ROOT\/usr\/share\/.*pci\.ids$/) });
    expect(withoutInstance(worker)).toEqual(withoutInstance(inline));
  });

  it('answer a count change with --kernel none with the same no-kernel problem as a write on the calling thread', async () => {
    const { worker, inline } = await bothWays({ kernel: 'from-config', args: ['--kernel', 'none'] }, (host) => host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 4 }));
    expect(worker).toMatchObject({ type: 'urn:vfmap:problem:kernel', status: 409, title: 'The agent has no kernel to write to' });
    expect(withoutInstance(worker)).toEqual(withoutInstance(inline));
  });
});
