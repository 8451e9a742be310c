import { readlinkSync, realpathSync, unlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditPage,
  DriverNotLoadedProblem,
  InvalidInputProblem,
  NoIommuGroupProblem,
  NotAVfProblem,
  PfWriteResult,
  PreconditionFailedProblem,
  UnknownVfProblem,
  VfDriverFailedProblem,
  VfDriverResult,
  VfInUseProblem,
  type Topology,
  type Vf,
} from '@vfmap/model';
import { parseFault, setFaults } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorkerScripts } from '../testing/workerBundles';
import { DEMO, problemOf, startSimAgent, TOKEN, type SimAgent } from '../testing/simAgent';

// The real agent over a generated demo host, with the simulated kernel and hypervisor.
const FREE_IAVF = '0000:18:01.3'; // E810 port 0, VF 3: iavf, interface ens1f0v3, no holder
const HELD_RUNNING = '0000:18:01.0'; // E810 port 0, VF 0: on vfio-pci, web-01 (101) running
const HELD_STOPPED = '0000:18:11.0'; // E810 port 1, VF 0: build-runner (105) stopped names it

let host: SimAgent | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});
const start = async () => (host = await startSimAgent());

const putDriver = (h: SimAgent, vf: string, body: unknown) => h.request('PUT', `/vfs/${vf}/driver`, body);
const putAutoprobe = (h: SimAgent, pf: string, body: unknown) => h.request('PUT', `/pfs/${pf}/autoprobe`, body);
const vfOf = (t: Topology, address: string): Vf => t.pfs.flatMap((p) => p.vfs).find((v) => v.address === address)!;
const lastAudit = async (h: SimAgent) => AuditPage.parse(await (await fetch(h.api('/audit'))).json()).entries[0]!;
/** The VF's driver as sysfs shows it, read apart from the agent. */
const driverLink = (h: SimAgent, vf: string) => {
  try {
    return basename(readlinkSync(sysfsPaths(h.root).pciDeviceFile(vf, 'driver')));
  } catch {
    return null;
  }
};

describe('PUT /vfs/:vf/driver', () => {
  it('binds a free VF to vfio-pci: the topology shows vfio-pci and no interface; release gives it back to iavf with its interface', async () => {
    const h = await start();
    expect(vfOf(await h.topology(), FREE_IAVF)).toMatchObject({ driver: 'iavf', driverOverride: null, netdevs: [{ name: 'ens1f0v3' }] });

    const res = await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"pf-/);
    const bound = VfDriverResult.parse(await res.json());
    expect(bound).toMatchObject({ previousDriver: 'iavf', driver: 'vfio-pci', changed: true, vf: { driver: 'vfio-pci', driverOverride: 'vfio-pci', netdevs: [] } });
    expect(bound.message).toContain('vfio-pci');
    expect(vfOf(await h.topology(), FREE_IAVF)).toMatchObject({ driver: 'vfio-pci', netdevs: [] });
    expect(driverLink(h, FREE_IAVF)).toBe('vfio-pci');
    expect(await lastAudit(h)).toMatchObject({
      operation: 'vfdriver',
      target: FREE_IAVF,
      result: 'ok',
      request: { driver: 'vfio-pci' },
      before: { driver: 'iavf', driverOverride: null },
      after: { driver: 'vfio-pci', driverOverride: 'vfio-pci' },
    });

    const again = VfDriverResult.parse(await (await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' })).json());
    expect(again).toMatchObject({ changed: false, driver: 'vfio-pci' });

    const released = VfDriverResult.parse(await (await putDriver(h, FREE_IAVF, { driver: null })).json());
    expect(released).toMatchObject({ previousDriver: 'vfio-pci', driver: 'iavf', changed: true, vf: { driverOverride: null, netdevs: [{ name: 'ens1f0v3' }] } });
    expect(released.message).toContain('ens1f0v3');
    expect(vfOf(await h.topology(), FREE_IAVF)).toMatchObject({ driver: 'iavf', driverOverride: null, netdevs: [{ name: 'ens1f0v3' }] });
    expect(driverLink(h, FREE_IAVF)).toBe('iavf');
  });

  it('refuses to change the driver of a VF a running VM uses, and changes nothing', async () => {
    const h = await start();
    const res = await putDriver(h, HELD_RUNNING, { driver: null });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfInUseProblem);
    expect(problem).toMatchObject({ reason: 'vf-in-use', vmState: 'running', holder: { vmId: '101', vmName: 'web-01' } });
    expect(problem.detail).toContain('web-01');
    expect(vfOf(await h.topology(), HELD_RUNNING)).toMatchObject({ driver: 'vfio-pci', driverOverride: 'vfio-pci' });
    expect(await lastAudit(h)).toMatchObject({ operation: 'vfdriver', target: HELD_RUNNING, result: 'refused' });
  });

  it('binds a VF that only a stopped VM\'s configuration names', async () => {
    const h = await start();
    expect(vfOf(await h.topology(), HELD_STOPPED).holder).toMatchObject({ vmId: '105' });
    const res = await putDriver(h, HELD_STOPPED, { driver: 'vfio-pci' });
    expect(res.status).toBe(200);
    expect(driverLink(h, HELD_STOPPED)).toBe('vfio-pci');
  });

  it('undoes a step the kernel refuses: the unbind fails (simhost fault), the VF stays on iavf with its interface and the override cleared', async () => {
    const h = await start();
    setFaults(h.root, [parseFault('unbind:iavf=EBUSY')]);
    const res = await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfDriverFailedProblem);
    expect(problem).toMatchObject({ reason: 'vf-driver-failed', vf: FREE_IAVF, errno: 'EBUSY', failed: `unbind ${FREE_IAVF} from iavf`, driverNow: 'iavf', driverOverrideNow: null });
    expect(vfOf(await h.topology(), FREE_IAVF)).toMatchObject({ driver: 'iavf', driverOverride: null, netdevs: [{ name: 'ens1f0v3' }] });
    expect(await lastAudit(h)).toMatchObject({ operation: 'vfdriver', result: 'failed', problem: { reason: 'vf-driver-failed', errno: 'EBUSY' } });

    setFaults(h.root, []);
    expect((await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' })).status).toBe(200);
  });

  it('refuses vfio-pci when it is not loaded, saying to load it', async () => {
    const h = await startSimAgent({ prepare: (root) => rmSync(sysfsPaths(root).pciDriver('vfio-pci'), { recursive: true, force: true }) });
    host = h;
    const res = await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, DriverNotLoadedProblem);
    expect(problem).toMatchObject({ reason: 'driver-not-loaded', driver: 'vfio-pci' });
    expect(problem.detail).toContain('modprobe vfio-pci');
    expect(driverLink(h, FREE_IAVF)).toBe('iavf');
  });

  it('refuses vfio-pci for a VF without an IOMMU group (vfio-pci would refuse it), and writes nothing', async () => {
    const h = await startSimAgent({
      prepare: (root) => {
        const paths = sysfsPaths(root);
        const group = basename(readlinkSync(paths.pciDeviceFile(FREE_IAVF, 'iommu_group')));
        unlinkSync(join(realpathSync(paths.pciDevice(FREE_IAVF)), 'iommu_group'));
        rmSync(join(paths.iommuGroups, group), { recursive: true });
      },
    });
    host = h;
    const res = await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' });
    expect(res.status).toBe(409);
    expect(await problemOf(res, NoIommuGroupProblem)).toMatchObject({ reason: 'no-iommu-group' });
    expect(driverLink(h, FREE_IAVF)).toBe('iavf');
  });

  it.each([
    ['another driver', { driver: 'nvme' }],
    ['no driver key', {}],
    ['an unknown key', { driver: 'vfio-pci', force: true }],
    ['a driver that is not a string', { driver: 1 }],
  ])('answers 400 problem+json for a body with %s', async (_what, body) => {
    const h = await start();
    const res = await putDriver(h, FREE_IAVF, body);
    expect(res.status).toBe(400);
    await problemOf(res, InvalidInputProblem);
    expect(driverLink(h, FREE_IAVF)).toBe('iavf');
  });

  it('answers 400 for an address that is not one, 422 for a PF, 404 for no device', async () => {
    const h = await start();
    expect((await putDriver(h, '0000:18:01.3/../../x', { driver: null })).status).toBe(404);
    const bad = await putDriver(h, 'not-an-address', { driver: null });
    expect(bad.status).toBe(400);
    await problemOf(bad, InvalidInputProblem);
    const pf = await putDriver(h, DEMO.e810p0, { driver: 'vfio-pci' });
    expect(pf.status).toBe(422);
    await problemOf(pf, NotAVfProblem);
    const none = await putDriver(h, '0000:ee:1f.7', { driver: 'vfio-pci' });
    expect(none.status).toBe(404);
    await problemOf(none, UnknownVfProblem);
  });

  it('takes If-Match: the ETag of its answer lets the next write through, a stale one is 412 and writes nothing', async () => {
    const h = await start();
    const headers = (etag: string) => ({ Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'If-Match': etag });
    const first = await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' });
    const etag = first.headers.get('etag')!;
    const next = await fetch(h.api(`/vfs/${FREE_IAVF}/driver`), { method: 'PUT', headers: headers(etag), body: JSON.stringify({ driver: null }) });
    expect(next.status).toBe(200);
    const stale = await fetch(h.api(`/vfs/${FREE_IAVF}/driver`), { method: 'PUT', headers: headers(etag), body: JSON.stringify({ driver: 'vfio-pci' }) });
    expect(stale.status).toBe(412);
    await problemOf(stale, PreconditionFailedProblem);
    expect(driverLink(h, FREE_IAVF)).toBe('iavf');
    const staleAutoprobe = await fetch(h.api(`/pfs/${DEMO.e810p0}/autoprobe`), { method: 'PUT', headers: headers(etag), body: JSON.stringify({ enabled: false }) });
    expect(staleAutoprobe.status).toBe(412);
  });

  it('needs the write token', async () => {
    const h = await start();
    expect((await h.request('PUT', `/vfs/${FREE_IAVF}/driver`, { driver: 'vfio-pci' }, null)).status).toBe(401);
    expect(driverLink(h, FREE_IAVF)).toBe('iavf');
  });
});

describe('PUT /pfs/:pf/autoprobe', () => {
  it('switched off, the VFs created next have no driver and no interface; vfio-pci still binds one through its override', async () => {
    const h = await start();
    const res = await putAutoprobe(h, DEMO.x710p1, { enabled: false });
    expect(res.status).toBe(200);
    const off = PfWriteResult.parse(await res.json());
    expect(off).toMatchObject({ changed: true, pf: { driversAutoprobe: false }, steps: [`wrote 0 to sys/bus/pci/devices/${DEMO.x710p1}/sriov_drivers_autoprobe`] });
    expect(await lastAudit(h)).toMatchObject({ operation: 'autoprobe', target: DEMO.x710p1, result: 'ok', before: { driversAutoprobe: true }, after: { driversAutoprobe: false } });

    expect((await h.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 2 })).status).toBe(200);
    const vfs = (await h.topology()).pfs.find((p) => p.address === DEMO.x710p1)!.vfs;
    expect(vfs.map((v) => [v.driver, v.netdevs.length])).toEqual([
      [null, 0],
      [null, 0],
    ]);
    expect(VfDriverResult.parse(await (await putDriver(h, vfs[0]!.address, { driver: 'vfio-pci' })).json())).toMatchObject({ driver: 'vfio-pci', changed: true });

    const same = PfWriteResult.parse(await (await putAutoprobe(h, DEMO.x710p1, { enabled: false })).json());
    expect(same).toMatchObject({ changed: false, steps: [] });
    const on = PfWriteResult.parse(await (await putAutoprobe(h, DEMO.x710p1, { enabled: true })).json());
    expect(on).toMatchObject({ changed: true, pf: { driversAutoprobe: true } });
  });

  it.each([[{ enabled: 'yes' }], [{}], [{ enabled: true, now: 1 }]])('answers 400 for %j', async (body) => {
    const h = await start();
    const res = await putAutoprobe(h, DEMO.x710p1, body);
    expect(res.status).toBe(400);
    await problemOf(res, InvalidInputProblem);
  });

  it('refuses a VF address with 422', async () => {
    const h = await start();
    expect((await putAutoprobe(h, FREE_IAVF, { enabled: false })).status).toBe(422);
  });
});

describe('as the agent ships: the kernel written from worker threads', () => {
  it('binds and releases, and undoes a refused unbind, with the errno carried back from the worker', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vfmap-vfdriver-workers-'));
    try {
      const scripts = await buildWorkerScripts(out);
      const h = await startSimAgent({ kernel: 'from-config', workerScripts: scripts });
      host = h;
      expect((await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' })).status).toBe(200);
      expect(driverLink(h, FREE_IAVF)).toBe('vfio-pci');
      expect((await putDriver(h, FREE_IAVF, { driver: null })).status).toBe(200);
      expect(vfOf(await h.topology(), FREE_IAVF)).toMatchObject({ driver: 'iavf', netdevs: [{ name: 'ens1f0v3' }] });
      setFaults(h.root, [parseFault('unbind:iavf=EIO')]);
      const res = await putDriver(h, FREE_IAVF, { driver: 'vfio-pci' });
      expect(await problemOf(res, VfDriverFailedProblem)).toMatchObject({ errno: 'EIO', driverNow: 'iavf', driverOverrideNow: null });
      expect(res.status).toBe(409);
    } finally {
      await host?.close();
      host = null;
      rmSync(out, { recursive: true, force: true });
    }
  });
});
