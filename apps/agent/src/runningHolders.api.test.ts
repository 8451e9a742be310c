import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { vfAddressOf, type Topology } from '@vfmap/model';
import { startSimAgent, type SimAgent } from './testing/simAgent';

/**
 * Who holds each VF right now, on simulated hosts whose VMs run as QEMU processes in the tree's
 * /proc (packages/simhost qemuProcesses.ts): the agent reads them at every check and each holder
 * says whether a config, a running process or both name it.
 */
const holderOf = (t: Topology, address: string) => t.pfs.flatMap((p) => p.vfs).find((v) => v.address === address)!.holder;

describe('running holders on the edge-cases host (a hand-started QEMU, a stale reservation)', () => {
  let h: SimAgent;
  beforeAll(async () => {
    h = await startSimAgent({ profile: 'edge-cases' });
  });
  afterAll(() => h.close());
  const NVME0 = '0000:01:00.0';

  it('says "both" for a running VM\'s device, "running" for a hand-started QEMU\'s, "config" for a stopped VM\'s', async () => {
    const t = await h.topology();
    expect(holderOf(t, vfAddressOf(NVME0, 1, 1, 0)!)).toMatchObject({ vmId: '200', vmName: 'storage-vm', via: 'hostpci0', source: 'both' });
    expect(holderOf(t, vfAddressOf(NVME0, 1, 1, 1)!)).toEqual({
      vmId: 'scratch-nvme', vmName: 'scratch-nvme', via: 'qemu pid 5150', pending: false, pendingChange: null, source: 'running',
    });
    // backup-vm is stopped: its stale reservation (pid 4999 gone) does not make it a live holder.
    expect(holderOf(t, vfAddressOf('0000:03:00.0', 128, 2, 0)!)).toMatchObject({ vmId: '201', source: 'config' });
  });

  it('sees the hand-started QEMU end at the next check: its VF is free', async () => {
    rmSync(join(h.root, 'proc/5150'), { recursive: true });
    // The next check: the fingerprint (which covers the running processes) is read again after recheckMs.
    await vi.waitFor(async () => expect(holderOf(await h.topology(), vfAddressOf(NVME0, 1, 1, 1)!)).toBeNull(), { timeout: 10_000, interval: 250 });
  });
});

describe('running holders on the demo host, through a hot-plug and back', () => {
  let h: SimAgent;
  beforeAll(async () => {
    h = await startSimAgent();
  });
  afterAll(() => h.close());
  const VF = '0000:18:01.3';

  it('holds a VF given to a running VM by config and process both, and frees it when taken back (the cmdline keeps it, the group fd is closed)', async () => {
    expect(holderOf(await h.topology(), '0000:18:01.0')).toMatchObject({ vmId: '101', source: 'both' });
    expect(holderOf(await h.topology(), VF)).toBeNull();
    const given = await h.request('POST', `/vfs/${VF}/assignment`, { vmId: '101' });
    expect(given.status).toBe(200);
    expect(holderOf(await h.topology(), VF)).toMatchObject({ vmId: '101', source: 'both' });
    const taken = await h.request('DELETE', `/vfs/${VF}/assignment`);
    expect(taken.status).toBe(200);
    expect(holderOf(await h.topology(), VF)).toBeNull();
  });
});
