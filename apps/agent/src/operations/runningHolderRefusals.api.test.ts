import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumVfsResult, PROBLEM_CONTENT_TYPE, SIMULATED_HYPERVISOR_STATE_PATH, VfHeldByProcessProblem, VfHeldProblem, VfsHeldProblem, vfAddressOf } from '@vfmap/model';
import { handStartedQemu } from '../testing/handQemu';
import { DEMO, problemOf, startSimAgent, type SimAgent } from '../testing/simAgent';

/**
 * Writes refused because of what runs on the host, not only what VM configurations say: the real
 * agent over simulated hosts whose QEMU processes are in the tree's /proc (a hand-started one on
 * the edge-cases host; one written here by hand on the demo host). Each refusal is checked to
 * have written nothing: the simulated kernel's sriov_numvfs and the simulated hypervisor's VM
 * configurations are read back.
 */

const sysfsCount = (h: SimAgent, pf: string) => Number(readFileSync(h.attr(pf, 'sriov_numvfs'), 'utf8'));
const vmConfigs = (h: SimAgent) => readFileSync(join(h.root, SIMULATED_HYPERVISOR_STATE_PATH), 'utf8');
const isProblem = (res: Response) => expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);

describe('a VF a hand-started QEMU holds (edge-cases host: scratch-nvme, pid 5150)', () => {
  let h: SimAgent;
  beforeAll(async () => {
    h = await startSimAgent({ profile: 'edge-cases' });
  });
  afterAll(() => h?.close());
  const NVME0 = '0000:01:00.0';
  const STORAGE_VF = vfAddressOf(NVME0, 1, 1, 0)!;
  const SCRATCH_VF = vfAddressOf(NVME0, 1, 1, 1)!;

  it('refuses to take it back: no configuration names it, so the problem names the process to stop, and nothing is written', async () => {
    const configs = vmConfigs(h);
    const res = await h.request('DELETE', `/vfs/${SCRATCH_VF}/assignment`);
    expect(res.status).toBe(409);
    isProblem(res);
    const problem = await problemOf(res, VfHeldByProcessProblem);
    expect(problem).toMatchObject({
      type: 'urn:vfmap:problem:conflict',
      reason: 'vf-held-by-process',
      pid: 5150,
      configuredVmId: null,
      holder: { vmId: 'scratch-nvme', via: 'qemu pid 5150', source: 'running' },
    });
    expect(problem.detail).toBe(
      `${SCRATCH_VF} is held by QEMU process 5150 (scratch-nvme), and no VM configuration names it, so there is no configuration to take it out of. Stop process 5150 to free it; nothing was written.`,
    );
    expect(vmConfigs(h)).toBe(configs);
  });

  it('refuses to give it to a VM: a running process holds it', async () => {
    const configs = vmConfigs(h);
    const res = await h.request('POST', `/vfs/${SCRATCH_VF}/assignment`, { vmId: '201' });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfHeldProblem);
    expect(problem.holder).toMatchObject({ vmId: 'scratch-nvme', source: 'running' });
    expect(problem.detail).toContain('held by the running process scratch-nvme (scratch-nvme) as qemu pid 5150; stop process 5150 first');
    expect(vmConfigs(h)).toBe(configs);
  });

  it('refuses a count change that destroys it, naming the process as running and the VM by config and process', async () => {
    const res = await h.request('PUT', `/pfs/${NVME0}/numvfs`, { count: 1 });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfsHeldProblem);
    expect(problem.vms).toEqual([
      { vmId: '200', vmName: 'storage-vm', holds: 'both', vfs: [STORAGE_VF], configNamesMissing: [] },
      { vmId: 'scratch-nvme', vmName: 'scratch-nvme', holds: 'running', vfs: [SCRATCH_VF], configNamesMissing: [] },
    ]);
    expect(problem.vfs.map((v) => [v.vmId, v.source])).toEqual([
      ['200', 'both'],
      ['scratch-nvme', 'running'],
    ]);
    expect(problem.detail).toContain(`scratch-nvme (scratch-nvme) holds ${SCRATCH_VF} (a running process, no configuration of it names it)`);
    expect(sysfsCount(h, NVME0)).toBe(4);
  });
});

describe('a VF a running process holds while a stopped VM\'s configuration names it (demo host: build-runner, 105)', () => {
  let h: SimAgent;
  // build-runner (105, stopped) names E810 port 1's VF 0 as hostpci0; a hand-started QEMU holds it now.
  const VF = '0000:18:11.0';
  beforeAll(async () => {
    h = await startSimAgent({ prepare: (root) => handStartedQemu(root, 7001, 'handrun', VF) });
  });
  afterAll(() => h?.close());

  it('shows the process as holder and build-runner as the VM whose configuration names it', async () => {
    const vf = (await h.topology()).pfs.flatMap((p) => p.vfs).find((v) => v.address === VF)!;
    expect(vf.holder).toMatchObject({ vmId: 'handrun', source: 'running', configuredVmId: '105' });
  });

  it('refuses to disable the VFs: build-runner\'s configuration would name a VF that no longer exists, and handrun holds it; nothing is written', async () => {
    const configs = vmConfigs(h);
    const res = await h.request('PUT', `/pfs/${DEMO.e810p1}/numvfs`, { count: 0 });
    expect(res.status).toBe(409);
    isProblem(res);
    const problem = await problemOf(res, VfsHeldProblem);
    expect(problem.vms).toEqual([
      { vmId: 'handrun', vmName: 'handrun', holds: 'running', vfs: [VF], configNamesMissing: [] },
      { vmId: '105', vmName: 'build-runner', holds: 'config', vfs: [VF], configNamesMissing: [VF] },
    ]);
    expect(problem.detail).toContain('VMs hold 1 of them');
    expect(problem.detail).toContain(`After the change the configuration of build-runner (105) names ${VF}, which would no longer exist: that VM fails at the next start`);
    expect(sysfsCount(h, DEMO.e810p1)).toBe(16);
    expect(vmConfigs(h)).toBe(configs);
  });

  it('refuses to take it back from build-runner: its configuration names it, but another process holds it', async () => {
    const configs = vmConfigs(h);
    const res = await h.request('DELETE', `/vfs/${VF}/assignment`);
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfHeldByProcessProblem);
    expect(problem).toMatchObject({ reason: 'vf-held-by-process', pid: 7001, configuredVmId: '105', holder: { vmId: 'handrun' } });
    expect(problem.detail).toContain('the configuration of VM build-runner (105) names it, but that VM does not hold it');
    expect(problem.detail).toContain('Stop process 7001 to free it');
    expect(vmConfigs(h)).toBe(configs);
  });

  it('refuses a count change in a prepare, naming the same VMs (VF 0 comes back at its address: no configuration names a missing VF)', async () => {
    const res = await h.request('POST', `/pfs/${DEMO.e810p1}/prepare`, { count: 1, driver: null, stableMacs: false });
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfsHeldProblem);
    expect(problem.vms.map((vm) => [vm.vmId, vm.holds, vm.configNamesMissing])).toEqual([
      ['handrun', 'running', []],
      ['105', 'config', []],
    ]);
    expect(problem.detail).not.toContain('no longer exist');
    expect(sysfsCount(h, DEMO.e810p1)).toBe(16);
  });

  it('refuses it in a re-apply of a kept count, naming the same VMs', async () => {
    // vfmap keeps 0 VFs for the PF (written by hand in its desired state, as if 0 had been asked
    // for and the count put back behind its back since): re-apply would write 0.
    const pf = (await h.topology()).pfs.find((p) => p.address === DEMO.e810p1)!;
    writeFileSync(
      join(h.stateDir, 'desired.json'),
      JSON.stringify({ version: 2, pfs: { [DEMO.e810p1]: { count: 0, vendorId: pf.vendorId, deviceId: pf.deviceId, setAt: '2026-12-06T17:00:00Z', stableMacs: false, driversAutoprobe: null, vfs: [] } } }),
    );
    const res = await h.request('POST', `/pfs/${DEMO.e810p1}/reapply`);
    expect(res.status).toBe(409);
    const problem = await problemOf(res, VfsHeldProblem);
    expect(problem).toMatchObject({ reason: 'vfs-held', vms: [{ vmId: 'handrun', holds: 'running' }, { vmId: '105', holds: 'config', configNamesMissing: [VF] }] });
    expect(sysfsCount(h, DEMO.e810p1)).toBe(16);
  });

  it('destroys them when forced, and says whose configuration names a VF that no longer exists', async () => {
    const res = await h.request('PUT', `/pfs/${DEMO.e810p1}/numvfs`, { count: 0, force: true });
    expect(res.status).toBe(200);
    const body = NumVfsResult.parse(await res.json());
    expect(body.forced.map((v) => [v.vmId, v.source, v.recreated])).toEqual([
      ['handrun', 'running', false],
      ['105', 'config', false],
    ]);
    expect(body.message).toContain(`The configurations of build-runner (105) name VFs that no longer exist (${VF}): fix them before those VMs start.`);
    expect(sysfsCount(h, DEMO.e810p1)).toBe(0);
  });
});
