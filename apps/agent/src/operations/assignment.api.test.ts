import { readlinkSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssignmentResult, AuditPage } from '@vfmap/model';
import { sysfsPaths } from '@vfmap/sysfs';
import { DEMO, problemOf, startSimAgent, type SimAgent } from '../testing/simAgent';

// VFs of the demo's E810 port 1 (0000:18:00.1): VF 0 is in build-runner's (105, stopped) configuration.
const HELD_BY_STOPPED = '0000:18:11.0';
const FREE = '0000:18:11.1';
const FREE_TOO = '0000:18:11.2';
const SHARING = '0000:18:11.3';
const ITS_NEIGHBOUR = '0000:18:11.4';
const GROUPLESS = '0000:18:11.5';
const HELD_BY_WEB01 = '0000:18:01.0';

/** Moves `b` into `a`'s IOMMU group, links and all, as a host without ACS between them groups them. */
function shareIommuGroup(root: string, a: string, b: string): void {
  const paths = sysfsPaths(root);
  const groupOf = (address: string) => basename(readlinkSync(paths.pciDeviceFile(address, 'iommu_group')));
  const [groupA, groupB] = [groupOf(a), groupOf(b)];
  const link = join(realpathSync(paths.pciDevice(b)), 'iommu_group');
  const target = readlinkSync(link).replace(/\d+$/, groupA);
  unlinkSync(link);
  symlinkSync(target, link);
  const member = join(paths.iommuGroupDevices(groupB), b);
  const memberTarget = readlinkSync(member);
  rmSync(join(paths.iommuGroups, groupB), { recursive: true });
  symlinkSync(memberTarget, join(paths.iommuGroupDevices(groupA), b));
}

/** Takes a device out of the IOMMU's view: no iommu_group link, as with the IOMMU off. */
function dropIommuGroup(root: string, address: string): void {
  const paths = sysfsPaths(root);
  const group = basename(readlinkSync(paths.pciDeviceFile(address, 'iommu_group')));
  unlinkSync(join(realpathSync(paths.pciDevice(address)), 'iommu_group'));
  rmSync(join(paths.iommuGroups, group), { recursive: true });
}

let host: SimAgent;
beforeAll(async () => {
  host = await startSimAgent({
    prepare: (root) => {
      shareIommuGroup(root, SHARING, ITS_NEIGHBOUR);
      dropIommuGroup(root, GROUPLESS);
    },
  });
});
afterAll(() => host?.close());

const assign = (vf: string, vmId: unknown) => host.request('POST', `/vfs/${vf}/assignment`, { vmId });
const release = (vf: string) => host.request('DELETE', `/vfs/${vf}/assignment`);
const holderOf = async (vf: string) => (await host.topology()).pfs.flatMap((p) => p.vfs).find((v) => v.address === vf)!.holder;

describe('POST assignment: giving a VF to a VM', () => {
  it('gives a free VF to a running VM at once, and the topology shows the VM holding it', async () => {
    const res = await assign(FREE, '103');
    expect(res.status).toBe(200);
    const body = AssignmentResult.parse(await res.json());
    expect(body).toMatchObject({ effect: 'live', via: 'hostpci3', vm: { id: '103', name: 'nfv-router-01', state: 'running' } });
    expect(body.vf.holder).toMatchObject({ vmId: '103', via: 'hostpci3', pending: false });
    expect(body.message).toBe('VM nfv-router-01 (103) has 0000:18:11.1 now, as hostpci3.');
    expect(await holderOf(FREE)).toMatchObject({ vmId: '103', vmName: 'nfv-router-01' });
  });

  it('says a stopped VM gets the VF only at its next start', async () => {
    const res = await assign(FREE_TOO, '105');
    expect(res.status).toBe(200);
    const body = AssignmentResult.parse(await res.json());
    expect(body).toMatchObject({ effect: 'next-start', via: 'hostpci1', vm: { id: '105', state: 'stopped' } });
    expect(body.message).toContain('gets it at its next start');
  });

  it('refuses a VF a VM already holds, naming the holder', async () => {
    const res = await assign(HELD_BY_WEB01, '103');
    expect(res.status).toBe(409);
    expect(await problemOf(res)).toMatchObject({
      type: 'urn:vfmap:problem:conflict',
      reason: 'vf-held',
      holder: { vmId: '101', vmName: 'web-01', via: 'hostpci0' },
    });
  });

  it('refuses a VF that shares its IOMMU group, listing the other members', async () => {
    const res = await assign(SHARING, '103');
    expect(res.status).toBe(409);
    const problem = await problemOf(res);
    expect(problem).toMatchObject({ type: 'urn:vfmap:problem:refused', reason: 'iommu-group-shared', members: [ITS_NEIGHBOUR] });
    expect(problem.detail).toContain('whole group');
  });

  it('refuses a VF without an IOMMU group', async () => {
    const res = await assign(GROUPLESS, '103');
    expect(res.status).toBe(409);
    expect(await problemOf(res)).toMatchObject({ reason: 'no-iommu-group' });
  });

  it('says 404 for an unknown VM or VF, 422 for a PF, 400 for a bad body', async () => {
    const vm = await assign(FREE_TOO, '999');
    expect(vm.status).toBe(404);
    expect(await problemOf(vm)).toMatchObject({ type: 'urn:vfmap:problem:not-found', reason: 'unknown-vm', vmId: '999' });

    const vf = await assign('0000:18:1f.7', '103');
    expect(vf.status).toBe(404);
    expect(await problemOf(vf)).toMatchObject({ reason: 'unknown-vf' });

    const pf = await assign(DEMO.e810p1, '103');
    expect(pf.status).toBe(422);
    expect(await problemOf(pf)).toMatchObject({ reason: 'not-a-vf' });

    expect((await assign(FREE_TOO, 103)).status).toBe(400);
    expect((await assign(FREE_TOO, '')).status).toBe(400);
  });

  it('leaves no holder behind on any refusal', async () => {
    for (const vf of [SHARING, GROUPLESS]) expect(await holderOf(vf)).toBeNull();
  });
});

describe('DELETE assignment: taking a VF back', () => {
  it('takes a VF back from a running VM at once', async () => {
    const res = await release(FREE);
    expect(res.status).toBe(200);
    const body = AssignmentResult.parse(await res.json());
    expect(body).toMatchObject({ effect: 'live', via: 'hostpci3', vm: { id: '103' } });
    expect(body.vf.holder).toBeNull();
    expect(await holderOf(FREE)).toBeNull();
  });

  it('takes a VF out of a stopped VM\'s configuration and says nothing uses it', async () => {
    const res = await release(HELD_BY_STOPPED);
    expect(res.status).toBe(200);
    const body = AssignmentResult.parse(await res.json());
    expect(body).toMatchObject({ effect: 'next-start', vm: { id: '105', name: 'build-runner' } });
    expect(body.message).toContain('the VM is stopped, so nothing uses it');
  });

  it('refuses a VF no VM holds', async () => {
    const res = await release(FREE);
    expect(res.status).toBe(409);
    expect(await problemOf(res)).toMatchObject({ reason: 'vf-not-held' });
  });

  it('audits every assignment and release with the holder before and after', async () => {
    const audit = AuditPage.parse(await (await fetch(host.api('/audit?limit=100'))).json());
    const mine = audit.entries.filter((e) => e.target === FREE).reverse();
    expect(mine.map((e) => [e.operation, e.result])).toEqual([
      ['assign', 'ok'],
      ['release', 'ok'],
      ['release', 'refused'],
    ]);
    expect(mine[0]).toMatchObject({ request: { vmId: '103' }, before: { holder: null }, after: { holder: { vmId: '103', via: 'hostpci3' } } });
    expect(mine[1]).toMatchObject({ before: { holder: { vmId: '103' } }, after: { holder: null } });
    expect(mine[2]!.problem).toMatchObject({ type: 'urn:vfmap:problem:conflict', status: 409, reason: 'vf-not-held' });
  });
});
