import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, startSimAgent, type SimAgent } from './testing/simAgent';

// Worker scripts that cannot start: whatever the agent does in a worker thread fails, and what it
// does on the main thread works. So each answer shows where the agent read or wrote sysfs.
const missing = { scan: '/nonexistent/vfmap/scanWorker.mjs', kernel: '/nonexistent/vfmap/kernelWorker.mjs' };

let host: SimAgent | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

const start = async (args: string[]) => (host = await startSimAgent({ kernel: 'from-config', args: ['--kernel', 'simulated', ...args], workerScripts: missing }));
const setCount = (h: SimAgent, count: number) => h.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count });

describe('where the agent reads and writes sysfs', () => {
  it('scans in the worker thread by default: a scan worker that cannot start stops the agent at its first scan', async () => {
    await expect(start([])).rejects.toThrow(/worker|Cannot find module/);
  });

  it('scans on the main thread with --no-scan-worker, and still writes in the worker thread', async () => {
    const h = await start(['--no-scan-worker']);
    expect((await h.topology()).pfs.length).toBeGreaterThan(0);
    expect((await setCount(h, 2)).status).toBe(500);
  });

  it('writes on the main thread with --no-write-worker as well', async () => {
    const h = await start(['--no-scan-worker', '--no-write-worker']);
    expect((await setCount(h, 2)).status).toBe(200);
    expect((await h.topology()).pfs.find((pf) => pf.address === DEMO.x710p1)?.vfs).toHaveLength(2);
  });
});
