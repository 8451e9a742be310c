import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPersistence } from '@vfmap/model';
import { parseFault, setFaults } from '@vfmap/simhost';
import { DesiredStateFile } from '../desired/desiredFile';
import { DEMO, startSimAgent, type SimAgent } from '../testing/simAgent';
import { buildWorkerScripts } from '../testing/workerBundles';

// The desired state, and vfmap's boot file, are written before the live change: a write the kernel
// refuses puts both back, a write still under way shows them already changed. The simulated
// kernel's faults (packages/simhost faults.ts) act out both.
let host: SimAgent;
let out: string;
beforeAll(async () => {
  // The kernel's writes in their worker thread, as shipped: a write that blocks does not block the agent.
  // The write timeout leaves an ordinary write time to finish on a loaded machine (CI); the blocked one outlasts it.
  out = mkdtempSync(join(tmpdir(), 'vfmap-desired-workers-'));
  host = await startSimAgent({ kernel: 'from-config', workerScripts: await buildWorkerScripts(out), args: ['--write-timeout-ms', '2000'] });
}, 60_000);
afterAll(async () => {
  await host?.close();
  rmSync(out, { recursive: true, force: true });
});

const desiredCount = (pf: string) => DesiredStateFile.parse(JSON.parse(readFileSync(join(host.stateDir, 'desired.json'), 'utf8'))).pfs[pf]?.count;
async function bootFileOf(pf: string): Promise<string> {
  const body = HostPersistence.parse(await (await host.request('GET', '/persistence')).json());
  const path = body.pfs.find((p) => p.pf === pf)!.keptBy.path!;
  return readFileSync(join(host.root, path), 'utf8');
}

describe('the desired state around a count change', () => {
  it('puts the desired count and vfmap\'s file back when the kernel refuses the write before anything changed', async () => {
    expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 4 })).status).toBe(200);
    expect((await host.request('POST', `/pfs/${DEMO.x710p1}/persist`)).status).toBe(200);
    expect(await bootFileOf(DEMO.x710p1)).toContain('SR-IOVVirtualFunctions=4\n');

    setFaults(host.root, [parseFault(`numvfs-write:${DEMO.x710p1}=EIO`)]);
    try {
      expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 6 })).status).toBe(500);
    } finally {
      setFaults(host.root, []);
    }
    expect(desiredCount(DEMO.x710p1)).toBe(4);
    expect(await bootFileOf(DEMO.x710p1)).toContain('SR-IOVVirtualFunctions=4\n');
  });

  it('has the new count recorded, and vfmap\'s file in step, while the kernel is still at the write', async () => {
    expect((await host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 2 })).status).toBe(200);
    expect((await host.request('POST', `/pfs/${DEMO.cx6p1}/persist`)).status).toBe(200);
    setFaults(host.root, [parseFault('vf-remove-delay=6000ms')]);
    try {
      // 2 → 3 writes 0 first, which blocks while the VFs go: the request answers 504 write-hung.
      expect((await host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 3 })).status).toBe(504);
      expect(desiredCount(DEMO.cx6p1)).toBe(3);
      expect(await bootFileOf(DEMO.cx6p1)).toContain('SR-IOVVirtualFunctions=3\n');
    } finally {
      setFaults(host.root, []);
    }
  });
});
