import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostChecks, PROBLEM_CONTENT_TYPE, Problem } from '@vfmap/model';
import { startSimAgent, type SimAgent } from '../testing/simAgent';

describe('GET /hosts/:host/checks on the simulated host', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent({ profile: 'sriov-blocked' });
  });
  afterAll(async () => {
    await host?.close();
  });

  it('lists what stops SR-IOV there, host checks first, without a token', async () => {
    const res = await host.request('GET', '/checks', undefined, null);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = HostChecks.parse(await res.json());
    expect(body.host).toBe('sim');
    const byId = (id: string) => body.checks.filter((c) => c.id === id);
    expect(byId('iommu')).toMatchObject([{ status: 'fail' }]);
    expect(byId('vfio-modules')).toMatchObject([{ status: 'warn' }]);
    expect(byId('management-path')).toMatchObject([{ status: 'warn', target: '0000:18:00.0' }]);
    expect(byId('sriov-switched-off').filter((c) => c.scope === 'pf').map((c) => c.target)).toEqual(['0000:19:00.0', '0000:19:00.1']);
    const firstPf = body.checks.findIndex((c) => c.scope === 'pf');
    expect(body.checks.slice(0, firstPf).every((c) => c.scope === 'host')).toBe(true);
  });

  it("refuses a count change on the PF under vmbr0 unless forced, naming the bridge", async () => {
    const refused = await host.request('PUT', '/pfs/0000:18:00.0/numvfs', { count: 2 });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const problem = Problem.parse(await refused.json());
    expect(problem).toMatchObject({ reason: 'management-path', interfaces: ['vmbr0', 'ens1f0'] });
    expect((await host.topology()).pfs.find((p) => p.address === '0000:18:00.0')?.numVfs).toBe(4);

    const prepared = await host.request('POST', '/pfs/0000:18:00.0/prepare', { count: 2, driver: null, stableMacs: false });
    expect(prepared.status).toBe(409);
    expect(Problem.parse(await prepared.json())).toMatchObject({ reason: 'management-path' });

    const forced = await host.request('PUT', '/pfs/0000:18:00.0/numvfs', { count: 2, force: true });
    expect(forced.status).toBe(200);
    expect((await host.topology()).pfs.find((p) => p.address === '0000:18:00.0')?.numVfs).toBe(2);
    // The other port carries nothing: no force needed.
    expect((await host.request('PUT', '/pfs/0000:18:00.1/numvfs', { count: 2 })).status).toBe(200);
  });

  it('refuses a re-apply that would change the count of the PF under vmbr0 (the count kept is not applied yet), and writes nothing', async () => {
    // vfmap keeps 2 for it now (the forced change above); the count is put to 0 behind its back.
    host.sim.writeAttribute(host.attr('0000:18:00.0', 'sriov_numvfs'), '0');
    const res = await host.request('POST', '/pfs/0000:18:00.0/reapply');
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(await res.json())).toMatchObject({ reason: 'management-path', interfaces: ['vmbr0', 'ens1f0'] });
    expect(readFileSync(host.attr('0000:18:00.0', 'sriov_numvfs'), 'utf8').trim()).toBe('0');
  });

  it('answers an unknown host with a problem', async () => {
    const res = await fetch(host.url('/api/v1/hosts/nowhere/checks'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(await res.json()).status).toBe(404);
  });
});

describe('GET /hosts/:host/checks on the demo host', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent();
  });
  afterAll(async () => {
    await host?.close();
  });

  it('finds the IOMMU on and the management path off the PFs, and sees a count change at once', async () => {
    const before = HostChecks.parse(await (await host.request('GET', '/checks')).json());
    expect(before.checks.find((c) => c.id === 'iommu')?.status).toBe('ok');
    expect(before.checks.find((c) => c.id === 'management-path')).toMatchObject({ status: 'ok', scope: 'host' });

    expect(before.checks.some((c) => c.target === '0000:3b:00.1')).toBe(false);

    expect((await host.request('PUT', '/pfs/0000:3b:00.1/numvfs', { count: 2 })).status).toBe(200);
    const after = HostChecks.parse(await (await host.request('GET', '/checks')).json());
    expect(after.checks.find((c) => c.id === 'shared-iommu-groups' && c.target === '0000:3b:00.1')).toMatchObject({ status: 'ok' });
    // vfmap keeps the count now, but no .link file holds it yet.
    expect(after.checks.find((c) => c.id === 'not-kept' && c.target === '0000:3b:00.1')).toMatchObject({ status: 'warn', title: expect.stringMatching(/lost at reboot/) });

    expect((await host.request('POST', '/pfs/0000:3b:00.1/persist')).status).toBe(200);
    const kept = HostChecks.parse(await (await host.request('GET', '/checks')).json());
    expect(kept.checks.some((c) => c.id === 'not-kept' && c.target === '0000:3b:00.1')).toBe(false);
  });
});
