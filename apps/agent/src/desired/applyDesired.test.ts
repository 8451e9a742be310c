import { readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage } from '@vfmap/model';
import { createHypervisor } from '@vfmap/hypervisors';
import { createSimKernel, generateHost, profiles } from '@vfmap/simhost';
import { inlineKernelWriter } from '../kernel/kernelWriter';
import { localSteps } from '../helper/helperSteps';
import { sysfsPaths } from '@vfmap/sysfs';
import { createLogger } from '../logger';
import { inlineScanner } from '../scanner';
import { AuditLog } from '../audit/auditLog';
import { handNodeAddressOn, handStartedQemu } from '../testing/handQemu';
import { DEMO, startSimAgent, tempDir, type SimAgent } from '../testing/simAgent';
import { applyDesired } from './applyDesired';
import { DesiredNumVfsFile } from './desiredNumVfs';
import type { DesiredStore } from './desiredStore';
import { MemoryDesiredStore } from './memoryDesiredStore';
import { DesiredStateFile } from './desiredFile';

let host: SimAgent;
let desiredPath: string;
const rebooted: string[] = [];

beforeAll(async () => {
  host = await startSimAgent();
  desiredPath = join(host.stateDir, 'desired.json');
  expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 4 })).status).toBe(200);
  expect((await host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 2 })).status).toBe(200);
  expect((await host.request('PUT', `/pfs/${DEMO.e810p0}/numvfs`, { count: 8, force: true })).status).toBe(200);
  // Refused changes are not wanted counts.
  expect((await host.request('PUT', `/pfs/${DEMO.e810p1}/numvfs`, { count: 2 })).status).toBe(409);
});
afterAll(async () => {
  await host?.close();
  for (const root of rebooted) rmSync(root, { recursive: true, force: true });
});

/** The same machine after a reboot: a fresh tree, VFs as the boot left them, the state directory kept. */
function reboot(): string {
  const root = tempDir('vfmap-rebooted-');
  rebooted.push(root);
  generateHost(root, profiles.demo!);
  return root;
}

const run = (root: string, force = false, desiredState?: DesiredStore) =>
  applyDesired({
    ...(desiredState ? { desiredState } : {}),
    root,
    stateDir: host.stateDir,
    hypervisor: createHypervisor('simulated', { root }),
    scanner: inlineScanner(),
    writer: localSteps(inlineKernelWriter(createSimKernel(root)), createHypervisor('none'), sysfsPaths(root)),
    logger: createLogger('silent'),
    force,
  });

const countsIn = (root: string, pfs: string[]) => pfs.map((pf) => Number(readFileSync(join(root, 'sys/bus/pci/devices', pf, 'sriov_numvfs'), 'utf8')));

describe('desired VF counts', () => {
  it('are kept in <stateDir>/desired.json after each change that went through, with the PF\'s ids', () => {
    const file = DesiredStateFile.parse(JSON.parse(readFileSync(desiredPath, 'utf8')));
    expect(Object.keys(file.pfs).sort()).toEqual([DEMO.e810p0, DEMO.x710p1, DEMO.cx6p1].sort());
    expect(file.pfs[DEMO.x710p1]).toMatchObject({ count: 4, vendorId: '8086', deviceId: '1572' });
    expect(file.pfs[DEMO.cx6p1]).toMatchObject({ count: 2, vendorId: '15b3' });
  });

  it('are set again by apply-desired after a reboot, except where VMs hold VFs the change would destroy', async () => {
    const root = reboot();
    expect(countsIn(root, [DEMO.x710p1, DEMO.cx6p1, DEMO.e810p0])).toEqual([0, 4, 16]);
    const report = await run(root);
    expect(report.lines.slice(1)).toEqual([`${DEMO.x710p1}: 4 VFs (was 0)`, `${DEMO.cx6p1}: 2 VFs (was 4)`]);
    expect(report.lines[0]).toMatch(/^0000:18:00\.0: not applied: .*web-01 \(101\) holds 0000:18:01\.0/);
    expect(report.notApplied).toBe(1);
    expect(countsIn(root, [DEMO.x710p1, DEMO.cx6p1, DEMO.e810p0])).toEqual([4, 2, 16]);

    const again = await run(root, true);
    expect(again.lines).toEqual([`${DEMO.e810p0}: 8 VFs (was 16)`, `${DEMO.x710p1}: 4 VFs already`, `${DEMO.cx6p1}: 2 VFs already`]);
    expect(again.notApplied).toBe(0);
  });

  it('go through the operations module: apply-desired is in the audit log', async () => {
    const page = await new AuditLog(join(host.stateDir, 'audit.jsonl')).recent(6);
    const applied = page.entries.filter((e) => e.who.principal === 'apply-desired');
    expect(applied.map((e) => [e.target, e.result])).toEqual([
      [DEMO.cx6p1, 'ok'],
      [DEMO.x710p1, 'ok'],
      [DEMO.e810p0, 'ok'],
      [DEMO.cx6p1, 'ok'],
      [DEMO.x710p1, 'ok'],
      [DEMO.e810p0, 'refused'],
    ]);
    expect(applied[0]!.who.address).toBeNull();
    AuditPage.parse(page);
  });

  it('skip a PF that is gone or is another device now, and say so', async () => {
    const file = DesiredStateFile.parse(JSON.parse(readFileSync(desiredPath, 'utf8')));
    file.pfs[DEMO.cx6p1] = { ...file.pfs[DEMO.cx6p1]!, deviceId: '1017' };
    file.pfs['0000:99:00.0'] = { count: 3, vendorId: '8086', deviceId: '1572', setAt: new Date().toISOString(), stableMacs: false, driversAutoprobe: null, vfs: [] };
    writeFileSync(desiredPath, JSON.stringify(file));
    const root = reboot();
    const report = await run(root);
    expect(report.lines).toContain(`${DEMO.cx6p1}: skipped: the count 2 was set for a 15b3:1017, and this is a 15b3:101d`);
    expect(report.lines).toContain('0000:99:00.0: skipped: no SR-IOV PF at this address now (3 VFs were wanted)');
    expect(countsIn(root, [DEMO.cx6p1])).toEqual([4]);
  });

  it('re-apply a PF kept with more than its count (here autoprobe), through the re-apply operation', async () => {
    const root = reboot();
    const kept = new MemoryDesiredStore({
      [DEMO.x710p1]: { count: 3, vendorId: '8086', deviceId: '1572', setAt: new Date().toISOString(), stableMacs: false, driversAutoprobe: true, vfs: [] },
    });
    const report = await run(root, false, kept);
    expect(report.lines).toContain(`${DEMO.x710p1}: 3 VFs, desired state re-applied (1 step)`);
    expect(countsIn(root, [DEMO.x710p1])).toEqual([3]);
    const again = await run(root, false, kept);
    expect(again.lines).toContain(`${DEMO.x710p1}: 3 VFs, as desired already`);
  });

  it('refuse to destroy a VF a hand-started QEMU holds, but put back the count of the PF under the bridge with the Proxmox node\'s address (at boot it is what the operator kept)', async () => {
    const root = reboot();
    // cx6p1 boots with 4 VFs; a QEMU started by hand holds VF 3, which a count of 2 destroys.
    const cx6Vf3 = readlinkSync(join(root, 'sys/bus/pci/devices', DEMO.cx6p1, 'virtfn3')).split('/').pop()!;
    handStartedQemu(root, 7002, 'scratch', cx6Vf3);
    handNodeAddressOn(root, readdirSync(join(root, 'sys/bus/pci/devices', DEMO.x710p1, 'net'))[0]!);
    const kept = new MemoryDesiredStore({
      [DEMO.cx6p1]: { count: 2, vendorId: '15b3', deviceId: '101d', setAt: new Date().toISOString(), stableMacs: false, driversAutoprobe: null, vfs: [] },
      [DEMO.x710p1]: { count: 3, vendorId: '8086', deviceId: '1572', setAt: new Date().toISOString(), stableMacs: false, driversAutoprobe: true, vfs: [] },
    });
    const report = await run(root, false, kept);
    expect(report.notApplied).toBe(1);
    expect(report.lines.find((l) => l.startsWith(DEMO.cx6p1))).toContain(`not applied: `);
    expect(report.lines.find((l) => l.startsWith(DEMO.cx6p1))).toContain(`scratch (scratch) holds ${cx6Vf3} (a running process, no configuration of it names it)`);
    // The management PF (kept with more than its count: through re-apply) comes back as kept; a count
    // change through the API on it is refused (nodeAddressPath.api.test.ts), apply-desired at boot is not.
    expect(report.lines).toContain(`${DEMO.x710p1}: 3 VFs, desired state re-applied (1 step)`);
    expect(countsIn(root, [DEMO.cx6p1, DEMO.x710p1])).toEqual([4, 3]);

    const forced = await run(root, true, kept);
    expect(forced.notApplied).toBe(0);
    expect(countsIn(root, [DEMO.cx6p1, DEMO.x710p1])).toEqual([2, 3]);
  });
});
