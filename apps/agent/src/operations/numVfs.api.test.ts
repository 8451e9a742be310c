import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumVfsResult, VfsHeldProblem, type Problem } from '@vfmap/model';
import { createSimKernel } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import { DEMO, problemOf, recordingKernel, startSimAgent, type SimAgent } from '../testing/simAgent';

// The real agent over the demo host, writing through the simulated kernel, which answers
// sriov_numvfs writes as Linux 6.1 does (probe.txt); every write it receives is recorded.
let host: SimAgent;
const writes: Array<{ path: string; value: string }> = [];
const numvfsWrites = (pf: string) => writes.filter((w) => w.path === `sys/bus/pci/devices/${pf}/sriov_numvfs`).map((w) => w.value);

beforeAll(async () => {
  host = await startSimAgent({ kernel: (root, sim) => recordingKernel(root, sim, writes) });
});
afterAll(() => host?.close());

const put = (pf: string, body: unknown, token?: string | null) => host.request('PUT', `/pfs/${pf}/numvfs`, body, token);
const sysfsCount = (pf: string) => Number(readFileSync(host.attr(pf, 'sriov_numvfs'), 'utf8'));

describe('PUT numvfs: changing a PF\'s VF count', () => {
  it('enables VFs on a PF that has none with one write, and answers with the PF re-read from sysfs', async () => {
    const res = await put(DEMO.x710p1, { count: 4 });
    expect(res.status).toBe(200);
    const body = NumVfsResult.parse(await res.json());
    expect(body).toMatchObject({ previousCount: 0, count: 4, changed: true, destroyed: [], forced: [] });
    expect(body.pf.numVfs).toBe(4);
    expect(body.pf.vfs.map((vf) => vf.index)).toEqual([0, 1, 2, 3]);
    expect(body.created).toEqual(body.pf.vfs.map((vf) => vf.address));
    expect(numvfsWrites(DEMO.x710p1)).toEqual(['4']);
    expect(sysfsCount(DEMO.x710p1)).toBe(4);
  });

  it('goes from one non-zero count to another through 0, since the kernel refuses N→M with EBUSY', async () => {
    const before = numvfsWrites(DEMO.x710p1).length;
    const res = await put(DEMO.x710p1, { count: 2 });
    expect(res.status).toBe(200);
    const body = NumVfsResult.parse(await res.json());
    expect(body).toMatchObject({ previousCount: 4, count: 2, changed: true });
    expect(body.destroyed).toHaveLength(4);
    expect(body.message).toContain('wrote 0, then 2');
    expect(numvfsWrites(DEMO.x710p1).slice(before)).toEqual(['0', '2']);
    expect((await host.topology()).pfs.find((p) => p.address === DEMO.x710p1)!.vfs).toHaveLength(2);
  });

  it('writes nothing when the PF already has the count asked for', async () => {
    const before = writes.length;
    const res = await put(DEMO.x710p1, { count: 2 });
    expect(res.status).toBe(200);
    expect(NumVfsResult.parse(await res.json())).toMatchObject({ previousCount: 2, count: 2, changed: false, destroyed: [], created: [] });
    expect(writes.length).toBe(before);
  });

  it('refuses to lower the count of a PF whose VFs VMs hold, naming the VMs and VFs, and writes nothing', async () => {
    const before = writes.length;
    const res = await put(DEMO.e810p0, { count: 8 });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfsHeldProblem);
    expect(problem).toMatchObject({ type: 'urn:vfmap:problem:conflict', reason: 'vfs-held', previousCount: 16, count: 8 });
    // VFs 0-2 are below the new count, but 0-then-8 destroys them too: each would come back as a new device.
    // All three below 8: each comes back at its address, so no configuration names a missing VF.
    expect(problem.vms).toEqual([
      { vmId: '101', vmName: 'web-01', holds: 'both', vfs: ['0000:18:01.0'], configNamesMissing: [] },
      { vmId: '102', vmName: 'db-01', holds: 'both', vfs: ['0000:18:01.1'], configNamesMissing: [] },
      { vmId: '106', vmName: 'win-desktop', holds: 'both', vfs: ['0000:18:01.2'], configNamesMissing: [] },
    ]);
    expect(problem.vfs.map((v) => v.recreated)).toEqual([true, true, true]);
    expect(problem.detail).toContain('web-01 (101) holds 0000:18:01.0');
    expect(writes.length).toBe(before);
    expect(sysfsCount(DEMO.e810p0)).toBe(16);
  });

  it('refuses to disable the VFs of a PF when a stopped VM\'s configuration names one', async () => {
    const res = await put(DEMO.e810p1, { count: 0 });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfsHeldProblem);
    expect(problem.vms).toEqual([{ vmId: '105', vmName: 'build-runner', holds: 'config', vfs: ['0000:18:11.0'], configNamesMissing: ['0000:18:11.0'] }]);
    expect(problem.detail).toContain('the configuration of build-runner (105) names 0000:18:11.0, which would no longer exist');
  });

  it('destroys held VFs when forced, and says which VMs lost which VFs', async () => {
    const res = await put(DEMO.e810p0, { count: 2, force: true });
    expect(res.status).toBe(200);
    const body = NumVfsResult.parse(await res.json());
    expect(body).toMatchObject({ previousCount: 16, count: 2, changed: true });
    expect(body.forced.map((h) => [h.address, h.vmId, h.recreated])).toEqual([
      ['0000:18:01.0', '101', true],
      ['0000:18:01.1', '102', true],
      ['0000:18:01.2', '106', false],
    ]);
    expect(body.message).toContain('Forced');
    expect(numvfsWrites(DEMO.e810p0)).toEqual(['0', '2']);
  });

  it('refuses more VFs than sriov_totalvfs with 422 before anything reaches the kernel', async () => {
    const before = writes.length;
    const res = await put(DEMO.cx6p1, { count: 17 });
    expect(res.status).toBe(422);
    expect(await problemOf(res)).toMatchObject({ type: 'urn:vfmap:problem:refused', reason: 'count-out-of-range', totalVfs: 16, count: 17 });
    expect(writes.length).toBe(before);
  });

  it.each([
    ['a count given as text', { count: '3' }],
    ['a negative count', { count: -1 }],
    ['a fractional count', { count: 2.5 }],
    ['no count', { force: true }],
    ['an unknown field', { count: 1, forse: true }],
    ['a body that is not JSON', '{"count": 3'],
  ])('refuses %s with 400 and writes nothing', async (_what, body) => {
    const before = writes.length;
    const res = await put(DEMO.cx6p1, body);
    expect(res.status).toBe(400);
    expect((await problemOf(res)).type).toBe('urn:vfmap:problem:bad-request');
    expect(writes.length).toBe(before);
  });

  it('says 404 for an address with no device, 422 for a VF or a device without SR-IOV, 400 for no address', async () => {
    const none = await put('0000:99:00.0', { count: 1 });
    expect(none.status).toBe(404);
    expect(await problemOf(none)).toMatchObject({ type: 'urn:vfmap:problem:not-found', reason: 'unknown-pf' });

    const vf = await put('0000:af:02.2', { count: 1 });
    expect(vf.status).toBe(422);
    expect(await problemOf(vf)).toMatchObject({ reason: 'not-a-pf', pf: DEMO.cx6p1 });

    const nvme = await put(DEMO.nvme, { count: 1 });
    expect(nvme.status).toBe(422);
    expect((await problemOf(nvme)).detail).toContain('no SR-IOV capability');

    const garbage = await put('eth0', { count: 1 });
    expect(garbage.status).toBe(400);
    expect(await problemOf(garbage)).toMatchObject({ type: 'urn:vfmap:problem:bad-request', issues: [{ path: 'pf', message: expect.stringContaining('dddd:bb:dd.f') }] });
  });

  it('refuses a body larger than the agent reads with 413, not as its own failure', async () => {
    const before = writes.length;
    const res = await put(DEMO.cx6p1, { count: 1, padding: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(await problemOf(res)).toMatchObject({ type: 'urn:vfmap:problem:bad-request', status: 413 });
    expect(writes.length).toBe(before);
  });

  it('explains ENOENT as "no driver bound to the PF"', async () => {
    // Unbind i40e from X710 port 1, as `echo 0000:3b:00.1 > /sys/bus/pci/drivers/i40e/unbind` would.
    host.sim.writeAttribute(sysfsPaths(host.root).pciDriver('i40e') + '/unbind', DEMO.x710p1);
    const res = await put(DEMO.x710p1, { count: 3 });
    expect(res.status).toBe(409);
    const problem = await problemOf(res);
    expect(problem).toMatchObject({ type: 'urn:vfmap:problem:kernel', errno: 'ENOENT', pf: DEMO.x710p1 });
    expect(problem.detail).toContain('No driver is bound to PF 0000:3b:00.1');
    host.sim.writeAttribute(sysfsPaths(host.root).pciDriver('i40e') + '/bind', DEMO.x710p1);
  });
});

describe('PUT numvfs on a PF whose last VFs would lie past bus ff', () => {
  // bus-end: a single-port E810 on bus ff with 8 of 256 VFs; only VFs 0–247 have an address.
  const PF = '0000:ff:00.0';
  let busEnd: SimAgent | undefined;
  const busEndWrites: Array<{ path: string; value: string }> = [];
  beforeAll(async () => {
    busEnd = await startSimAgent({ profile: 'bus-end', kernel: (root, sim) => recordingKernel(root, sim, busEndWrites) });
  });
  afterAll(() => busEnd?.close());

  it('refuses with 422 before writing 0, so the VFs the PF has are not destroyed for a count the kernel would refuse', async () => {
    const res = await busEnd!.request('PUT', `/pfs/${PF}/numvfs`, { count: 249, force: true });
    expect(res.status).toBe(422);
    const problem = await problemOf(res);
    expect(problem).toMatchObject({ type: 'urn:vfmap:problem:refused', reason: 'count-out-of-range', totalVfs: 256, possibleVfs: 248, count: 249 });
    expect(problem.detail).toContain('past bus ff');
    expect(busEndWrites).toEqual([]);
    expect(Number(readFileSync(busEnd!.attr(PF, 'sriov_numvfs'), 'utf8'))).toBe(8);
  });

  it('makes the count whose last VF is the last function of bus ff', async () => {
    const res = await busEnd!.request('PUT', `/pfs/${PF}/numvfs`, { count: 248, force: true });
    expect(res.status).toBe(200);
    const body = NumVfsResult.parse(await res.json());
    expect(body.created.at(-1)).toBe('0000:ff:1f.7');
    expect(busEndWrites.map((w) => w.value)).toEqual(['0', '248']);
  });
});

describe('PUT numvfs when the kernel refuses', () => {
  let other: SimAgent | undefined;
  afterAll(() => other?.close());

  it('explains EACCES as "the agent must run as root"', async () => {
    // qemu-q35 is the machine probe.txt was recorded on: two NVMe PFs with 0 of 8 VFs, no VMs.
    other = await startSimAgent({ profile: 'qemu-q35', kernel: (root) => createSimKernel(root, { uid: 65534 }) });
    const res = await other.request('PUT', '/pfs/0000:01:00.0/numvfs', { count: 1 });
    expect(res.status).toBe(500);
    const problem = await problemOf(res);
    expect(problem).toMatchObject({ type: 'urn:vfmap:problem:kernel', errno: 'EACCES' });
    expect(problem.detail).toContain('must run as root');
  });

  it('explains EBUSY when someone else enabled VFs between the agent\'s scan and its write', async () => {
    const agent = await startSimAgent({
      profile: 'qemu-q35',
      kernel: (_root, sim) => ({
        writeAttribute(path, value) {
          // Another tool enables 1 VF just before the agent's write of 2 reaches the kernel.
          if (value === '2') sim.writeAttribute(path, '1');
          sim.writeAttribute(path, value);
        },
      }),
    });
    try {
      const res = await agent.request('PUT', '/pfs/0000:01:00.0/numvfs', { count: 2 });
      expect(res.status).toBe(409);
      const problem: Problem = await problemOf(res);
      expect(problem).toMatchObject({ type: 'urn:vfmap:problem:kernel', errno: 'EBUSY', value: '2' });
      expect(problem.detail).toContain('only through 0');
    } finally {
      await agent.close();
    }
  });

  it('says exactly where a change stopped when 0 went through and the new count was refused', async () => {
    const agent = await startSimAgent({
      kernel: (root, sim) => ({
        writeAttribute(path, value) {
          // The PF's driver is unbound between the two writes (an operator, a driver crash).
          if (value === '6') sim.writeAttribute(sysfsPaths(root).pciDriver('mlx5_core') + '/unbind', DEMO.cx6p1);
          sim.writeAttribute(path, value);
        },
      }),
    });
    try {
      const res = await agent.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 6 });
      expect(res.status).toBe(500);
      const problem = await problemOf(res);
      expect(problem).toMatchObject({
        type: 'urn:vfmap:problem:partial',
        errno: 'ENOENT',
        previousCount: 4,
        requested: 6,
        stoppedAt: { numVfs: 0, wrote: '0', refused: '6' },
        pf: DEMO.cx6p1,
        pfNow: { address: DEMO.cx6p1, numVfs: 0, driver: null },
      });
      expect(problem.detail).toMatch(/"0" was written and its 4 VFs are gone \(it has 0 now\), then the kernel refused 6/);
    } finally {
      await agent.close();
    }
  });
});
