import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, PfWriteResult, PrepareResult, VfsHeldProblem, type Pf } from '@vfmap/model';
import { DEMO, HOST, problemOf, startSimAgent, type SimAgent } from '../testing/simAgent';
import { SseClient } from '../testing/sseClient';
import { stableVfMacs } from './stableMacs';

// The real agent over the demo host and the simulated kernel: prepare, re-apply and stable MACs
// through the API, each write checked against the simulated host's sysfs and `ip` output.
let host: SimAgent;
beforeAll(async () => {
  host = await startSimAgent();
});
afterAll(() => host?.close());

const sysfsCount = (pf: string) => Number(readFileSync(host.attr(pf, 'sriov_numvfs'), 'utf8'));
const pfOf = async (address: string): Promise<Pf> => (await host.topology()).pfs.find((p) => p.address === address)!;
/** The PF's burnt-in MAC, as sysfs shows it (the simulated NICs' MACs are their permanent ones). */
const permanentMac = (pf: string, netdev: string) => readFileSync(join(host.attr(pf, 'net'), netdev, 'address'), 'utf8').trim();

describe('POST …/pfs/:pf/prepare', () => {
  it('dryRun answers the plan, stable MACs included, and writes nothing', async () => {
    const res = await host.request('POST', `/pfs/${DEMO.x710p1}/prepare`, { count: 4, driver: 'vfio-pci', stableMacs: true, vlans: [10], dryRun: true });
    expect(res.status).toBe(200);
    const body = PrepareResult.parse(await res.json());
    // A boot-file step comes last where the agent can write one (the persistence branch).
    expect(body.plan.steps.map((s) => s.kind).filter((k) => k !== 'persist')).toEqual(['desired', 'autoprobe', 'numvfs', 'vf-config', 'vf-config', 'vf-config', 'vf-config', 'vf-driver', 'vf-driver', 'vf-driver', 'vf-driver']);
    expect(body.plan.macs).toEqual(stableVfMacs(HOST, permanentMac(DEMO.x710p1, 'ens2f1'), 4));
    expect(body.plan.steps[3]!.description).toBe(`ip link set dev ens2f1 vf 0 mac ${body.plan.macs[0]} vlan 10`);
    expect(body).toMatchObject({ operationId: '', changed: false, steps: [] });
    expect(sysfsCount(DEMO.x710p1)).toBe(0);
  });

  it('prepares VFs on the host driver in one operation, with a progress event per step and one audit entry', async () => {
    const stream = await SseClient.open(host.api('/events'));
    try {
      const res = await host.request('POST', `/pfs/${DEMO.x710p1}/prepare`, { count: 2, driver: null, stableMacs: false });
      expect(res.status).toBe(200);
      const body = PrepareResult.parse(await res.json());
      expect(body.changed).toBe(true);
      expect(body.pf.numVfs).toBe(2);
      expect(body.steps).toEqual(body.plan.steps.map((s) => s.description));
      expect(res.headers.get('etag')).toMatch(/^"/);
      expect(sysfsCount(DEMO.x710p1)).toBe(2);
      await stream.until((s) => s.events().some((e) => e.type === 'operation.finished' && e.operationId === body.operationId));
      const progress = stream.events().filter((e) => e.type === 'operation.progress' && e.operationId === body.operationId);
      expect(progress.map((e) => (e.type === 'operation.progress' ? `${e.step}/${e.of} ${e.kind}` : ''))).toEqual(body.steps.map((_, i) => `${i + 1}/${body.steps.length} prepare`));
      const audit = AuditPage.parse(await (await fetch(host.api('/audit'))).json());
      expect(audit.entries.find((e) => e.id === body.operationId)).toMatchObject({ operation: 'prepare', target: DEMO.x710p1, result: 'ok' });
    } finally {
      stream.close();
    }
  });

  it('refuses to destroy VFs VMs hold, unless forced, and writes nothing', async () => {
    const res = await host.request('POST', `/pfs/${DEMO.e810p0}/prepare`, { count: 8, driver: null, stableMacs: false });
    expect(res.status).toBe(409);
    expect(await problemOf(res, VfsHeldProblem)).toMatchObject({ reason: 'vfs-held', previousCount: 16, count: 8 });
    expect(sysfsCount(DEMO.e810p0)).toBe(16);
  });
});

describe('POST …/pfs/:pf/reapply', () => {
  it('puts back the count changed behind vfmap\'s back, then has nothing more to do', async () => {
    host.sim.writeAttribute(host.attr(DEMO.x710p1, 'sriov_numvfs'), '0');
    const res = await host.request('POST', `/pfs/${DEMO.x710p1}/reapply`);
    expect(res.status).toBe(200);
    const body = PfWriteResult.parse(await res.json());
    expect(body).toMatchObject({ changed: true, steps: ["Write 2 to 0000:3b:00.1's sriov_numvfs (0 → 2 VFs)."] });
    expect(body.pf.numVfs).toBe(2);
    expect(sysfsCount(DEMO.x710p1)).toBe(2);

    const again = PfWriteResult.parse(await (await host.request('POST', `/pfs/${DEMO.x710p1}/reapply`)).json());
    expect(again).toMatchObject({ changed: false, steps: [] });
  });

  it('does not put back a count the operator changed since: a count change moves the kept count too', async () => {
    expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 3 })).status).toBe(200);
    const body = PfWriteResult.parse(await (await host.request('POST', `/pfs/${DEMO.x710p1}/reapply`)).json());
    expect(body).toMatchObject({ changed: false, steps: [] });
    expect(sysfsCount(DEMO.x710p1)).toBe(3);
  });

  it('keeps the kept count when the kernel refuses the count change', async () => {
    host.sim.writeAttribute(host.attr(DEMO.x710p1, 'sriov_numvfs'), '0');
    host.sim.writeAttribute(host.attr(DEMO.x710p1, 'sriov_numvfs'), '3');
    const { setFaults } = await import('@vfmap/simhost');
    setFaults(host.root, [{ kind: 'numvfs-write', pf: DEMO.x710p1, errno: 'EIO' }]);
    try {
      expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 1 })).status).toBeGreaterThanOrEqual(400);
    } finally {
      setFaults(host.root, []);
    }
    host.sim.writeAttribute(host.attr(DEMO.x710p1, 'sriov_numvfs'), '0');
    const body = PfWriteResult.parse(await (await host.request('POST', `/pfs/${DEMO.x710p1}/reapply`)).json());
    expect(body.pf.numVfs).toBe(3);
  });

  it('has nothing to re-apply on a PF vfmap keeps nothing for', async () => {
    const res = await host.request('POST', `/pfs/${DEMO.cx6p1}/reapply`);
    expect(res.status).toBe(200);
    expect(PfWriteResult.parse(await res.json())).toMatchObject({ changed: false, steps: [] });
  });

  it('needs the write token', async () => {
    expect((await host.request('POST', `/pfs/${DEMO.x710p1}/reapply`, undefined, null)).status).toBe(401);
  });
});

describe('PUT …/pfs/:pf/stable-macs', () => {
  it('off with nothing kept is off already', async () => {
    const res = await host.request('PUT', `/pfs/${DEMO.cx6p1}/stable-macs`, { enabled: false });
    expect(res.status).toBe(200);
    expect(PfWriteResult.parse(await res.json())).toMatchObject({ changed: false });
  });

  it('refuses a body that is not {enabled}', async () => {
    expect((await host.request('PUT', `/pfs/${DEMO.cx6p1}/stable-macs`, { enabled: 'yes' })).status).toBe(400);
  });
});

describe('stable MACs on the live VFs', () => {
  const macs = () => stableVfMacs(HOST, permanentMac(DEMO.cx6p1, 'ens5f1np1'), 8);

  it('on: gives every existing VF its stable MAC, as ip reads it back', async () => {
    const res = await host.request('PUT', `/pfs/${DEMO.cx6p1}/stable-macs`, { enabled: true });
    expect(res.status).toBe(200);
    const body = PfWriteResult.parse(await res.json());
    expect(body.changed).toBe(true);
    expect(body.steps).toHaveLength(5);
    expect((await pfOf(DEMO.cx6p1)).vfs.map((vf) => vf.config?.mac)).toEqual(macs().slice(0, 4));
  });

  it('a count change gives the new VFs theirs after the count write', async () => {
    const res = await host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 6 });
    expect(res.status).toBe(200);
    expect((await pfOf(DEMO.cx6p1)).vfs.map((vf) => vf.config?.mac)).toEqual(macs().slice(0, 6));
  });

  it('re-apply puts back a MAC changed behind vfmap\'s back', async () => {
    const pf = await pfOf(DEMO.cx6p1);
    // What `ip link set ens5f1np1 vf 3 mac …` from a shell does.
    const { simPaths, updateVfSettings, vfSettingsTraits } = await import('@vfmap/simhost');
    updateVfSettings(simPaths(host.root), DEMO.cx6p1, 3, vfSettingsTraits(pf.driver!)!, { mac: '02:11:22:33:44:55' });
    const res = await host.request('POST', `/pfs/${DEMO.cx6p1}/reapply`);
    expect(res.status).toBe(200);
    expect(PfWriteResult.parse(await res.json()).steps).toEqual([`ip link set dev ens5f1np1 vf 3 mac ${macs()[3]}`]);
    expect((await pfOf(DEMO.cx6p1)).vfs[3]!.config?.mac).toBe(macs()[3]);
  });
});
