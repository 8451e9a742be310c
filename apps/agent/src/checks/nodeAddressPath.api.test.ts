import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostChecks, ManagementPathProblem, PROBLEM_CONTENT_TYPE } from '@vfmap/model';
import { handNodeAddressOn } from '../testing/handQemu';
import { DEMO, problemOf, startSimAgent, type SimAgent } from '../testing/simAgent';

/**
 * A Proxmox cluster node whose default route leaves by another port, while corosync and the GUI
 * reach it at the address `/etc/pve/.members` gives it (10.0.0.5) — on vmbr1, a bridge over the
 * ConnectX-6 Dx port 1 of the demo host. The tree's files are written by hand before the agent starts.
 */
describe('the PF under the bridge holding the Proxmox node\'s address (.members)', () => {
  let h: SimAgent;
  let pfNetdev = '';
  beforeAll(async () => {
    h = await startSimAgent({
      prepare: (root) => {
        pfNetdev = readdirSync(join(root, 'sys/bus/pci/devices', DEMO.cx6p1, 'net'))[0]!;
        handNodeAddressOn(root, pfNetdev);
      },
    });
  });
  afterAll(() => h?.close());
  const sysfsCount = () => Number(readFileSync(h.attr(DEMO.cx6p1, 'sriov_numvfs'), 'utf8'));

  it('is a management-path warning in the checks, with .members as evidence', async () => {
    const body = HostChecks.parse(await (await h.request('GET', '/checks')).json());
    const check = body.checks.find((c) => c.id === 'management-path' && c.target === DEMO.cx6p1);
    expect(check).toMatchObject({ status: 'warn', title: `${DEMO.cx6p1} (${pfNetdev}) carries the address node pve1 is known by (10.0.0.5) through vmbr1` });
    expect(check!.evidence).toContainEqual({ path: '/etc/pve/.members', value: 'node pve1: 10.0.0.5' });
  });

  it('refuses its count change unless forced, and writes nothing', async () => {
    const res = await h.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 2 });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const problem = await problemOf(res, ManagementPathProblem);
    expect(problem.interfaces).toEqual(['vmbr1', pfNetdev]);
    expect(problem.detail).toContain('carries the address node pve1 is known by (10.0.0.5) through vmbr1');
    expect(sysfsCount()).toBe(4);

    const prepared = await h.request('POST', `/pfs/${DEMO.cx6p1}/prepare`, { count: 2, driver: null, stableMacs: false });
    expect(prepared.status).toBe(409);
    expect((await problemOf(prepared, ManagementPathProblem)).reason).toBe('management-path');
    expect(sysfsCount()).toBe(4);

    const forced = await h.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 2, force: true });
    expect(forced.status).toBe(200);
    expect(sysfsCount()).toBe(2);
  });
});
