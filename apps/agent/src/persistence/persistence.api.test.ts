import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HostPersistence, PfWriteResult, type PfPersistence } from '@vfmap/model';
import { DEMO, startSimAgent, type SimAgent } from '../testing/simAgent';
import { desiredSriovOf } from './pfPersistence';
import { planPersistence } from './planPersistence';
import { SIMULATED_SYSTEMD } from './systemdSource';

let host: SimAgent;

beforeAll(async () => {
  host = await startSimAgent();
});
afterAll(async () => {
  await host?.close();
});

async function persistenceOf(pf: string): Promise<PfPersistence> {
  const res = await host.request('GET', '/persistence');
  expect(res.status).toBe(200);
  const body = HostPersistence.parse(await res.json());
  const found = body.pfs.find((p) => p.pf === pf);
  expect(found, pf).toBeDefined();
  return found!;
}

/** What the agent writes to the kernel's sriov_numvfs, done behind its back (0 first: the kernel refuses N→M). */
function countBehindItsBack(pf: string, count: number): void {
  host.sim.writeAttribute(host.attr(pf, 'sriov_numvfs'), '0');
  if (count > 0) host.sim.writeAttribute(host.attr(pf, 'sriov_numvfs'), String(count));
}

function plant(path: string, text: string): void {
  mkdirSync(dirname(join(host.root, path)), { recursive: true });
  writeFileSync(join(host.root, path), text);
}

describe('GET /persistence and POST …/persist on the simulated host', () => {
  it('shows a count set through the agent as desired and live alike, not yet kept at boot by its own .link file', async () => {
    expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 4 })).status).toBe(200);
    const p = await persistenceOf(DEMO.x710p1);
    expect(p.desired).toMatchObject({ count: 4, vendorId: '8086', deviceId: '1572', vfs: [] });
    expect(p.matches).toBe(true);
    expect(p.differences).toEqual([]);
    expect(p.keptBy).toMatchObject({ mechanism: 'link-file', written: false, initramfs: true });
    expect(p.keptBy.path).toMatch(/^\/etc\/systemd\/network\/70-vfmap-.+\.link$/);
    expect(p.lostAtReboot).toBe(true);
  });

  it('shows a PF with VFs and nothing desired as lost at reboot, kept by nothing', async () => {
    const p = await persistenceOf(DEMO.cx6p1);
    expect(p.desired).toBeNull();
    expect(p.matches).toBeNull();
    expect(p.keptBy.mechanism).toBe('none');
    expect(p.lostAtReboot).toBe(true);
  });

  it('shows what differs after the count changed behind its back', async () => {
    countBehindItsBack(DEMO.x710p1, 2);
    // The agent re-reads the host when its fingerprint check (at most every second or so) sees the change.
    const p = await vi.waitFor(async () => {
      const now = await persistenceOf(DEMO.x710p1);
      if (now.matches !== false) throw new Error('not seen yet');
      return now;
    }, { timeout: 5000, interval: 100 });
    expect(p.matches).toBe(false);
    expect(p.differences).toEqual([{ what: 'count', desired: '4', live: '2' }]);
    expect(p.lostAtReboot).toBe(true);
  });

  it('writes the planned .link file under the root\'s /etc/systemd/network with the planner\'s content, and says to update the initramfs', async () => {
    const before = await persistenceOf(DEMO.x710p1);
    const res = await host.request('POST', `/pfs/${DEMO.x710p1}/persist`);
    expect(res.status).toBe(200);
    const result = PfWriteResult.parse(await res.json());
    expect(result.changed).toBe(true);
    expect(result.steps[0]).toBe(`Wrote ${before.keptBy.path} (mode 0644): ${(await planFor(DEMO.x710p1, 4)).why}.`);
    expect(result.steps.some((s) => s.startsWith('Run update-initramfs -u'))).toBe(true);

    const plan = await planFor(DEMO.x710p1, 4);
    const written = join(host.root, before.keptBy.path!);
    expect(readFileSync(written, 'utf8')).toBe(plan.content);
    expect(plan.content).toContain('SR-IOVVirtualFunctions=4');
    const after = await persistenceOf(DEMO.x710p1);
    expect(after.keptBy).toMatchObject({ mechanism: 'link-file', path: before.keptBy.path, written: true });

    // The same again writes nothing.
    const again = PfWriteResult.parse(await (await host.request('POST', `/pfs/${DEMO.x710p1}/persist`)).json());
    expect(again.changed).toBe(false);
  });

  it('keeps a VF setting recorded in the desired state in the file, and drops it with a lower count', async () => {
    countBehindItsBack(DEMO.x710p1, 4);
    const desiredPath = join(host.stateDir, 'desired.json');
    const file = JSON.parse(readFileSync(desiredPath, 'utf8')) as { pfs: Record<string, { vfs: unknown[] }> };
    file.pfs[DEMO.x710p1]!.vfs = [{ index: 3, settings: { vlan: 42, trust: true }, driver: null }];
    writeFileSync(desiredPath, JSON.stringify(file));
    const p = await persistenceOf(DEMO.x710p1);
    expect(p.keptBy.written).toBe(false);
    expect((await host.request('POST', `/pfs/${DEMO.x710p1}/persist`)).status).toBe(200);
    const text = readFileSync(join(host.root, p.keptBy.path!), 'utf8');
    expect(text).toContain('[SR-IOV]\nVirtualFunction=3\nVLANId=42\nTrust=yes');

    // A count change keeps vfmap's file in step, before the live write.
    expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 2 })).status).toBe(200);
    const lower = await persistenceOf(DEMO.x710p1);
    expect(lower.desired).toMatchObject({ count: 2, vfs: [] });
    expect(lower.keptBy.written).toBe(true);
    const now = readFileSync(join(host.root, p.keptBy.path!), 'utf8');
    expect(now).toContain('SR-IOVVirtualFunctions=2\n');
    expect(now).not.toContain('[SR-IOV]');
  });

  it('shows another owner of the count from /etc/sysfs.conf, and warns that the two compete', async () => {
    plant('/etc/sysfs.conf', `# SR-IOV\nbus/pci/devices/${DEMO.x710p1}/sriov_numvfs = 8\n`);
    const p = await persistenceOf(DEMO.x710p1);
    expect(p.owners).toEqual([expect.objectContaining({ kind: 'sysfs-conf', path: '/etc/sysfs.conf', line: 2, sets: 'count', competes: 'yes' })]);
    expect(p.warnings.some((w) => w.startsWith('/etc/sysfs.conf:2 (sysfs-conf) also sets this PF\'s VF count at boot'))).toBe(true);
  });

  it('writes a drop-in for the .link file that pins a PF, and removes it when the count goes to 0', async () => {
    const mac = readFileSync(join(host.attr(DEMO.cx6p1, 'net'), (await persistenceOf(DEMO.cx6p1)).interface!, 'address'), 'utf8').trim();
    plant('/etc/systemd/network/50-pin.link', `[Match]\nPermanentMACAddress=${mac}\n\n[Link]\nName=uplink1\n`);
    expect((await host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 3 })).status).toBe(200);
    const p = await persistenceOf(DEMO.cx6p1);
    expect(p.keptBy).toMatchObject({ mechanism: 'link-drop-in', path: '/etc/systemd/network/50-pin.link.d/vfmap-sriov.conf', written: false, initramfs: false });
    expect((await host.request('POST', `/pfs/${DEMO.cx6p1}/persist`)).status).toBe(200);
    const dropIn = join(host.root, p.keptBy.path!);
    expect(readFileSync(dropIn, 'utf8')).toContain('[Link]\nSR-IOVVirtualFunctions=3\n');

    // A count of 0 is what the PF has at every boot: the count change removes vfmap's file (a
    // drop-in still saying 3 would make the VFs again at the next add event), and leaves the pin.
    expect((await host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 0 })).status).toBe(200);
    expect(existsSync(dropIn)).toBe(false);
    expect(existsSync(dirname(dropIn))).toBe(false);
    expect(existsSync(join(host.root, '/etc/systemd/network/50-pin.link'))).toBe(true);
    const result = PfWriteResult.parse(await (await host.request('POST', `/pfs/${DEMO.cx6p1}/persist`)).json());
    expect(result).toMatchObject({ changed: false, steps: [expect.stringMatching(/^Nothing to keep for 0000:af:00\.1 /)] });
  });

  it('removes vfmap\'s file when nothing is desired for the PF (the undo)', async () => {
    const p = await persistenceOf(DEMO.x710p1);
    expect(p.keptBy.written).toBe(true);
    const desiredPath = join(host.stateDir, 'desired.json');
    const file = JSON.parse(readFileSync(desiredPath, 'utf8')) as { pfs: Record<string, unknown> };
    delete file.pfs[DEMO.x710p1];
    writeFileSync(desiredPath, JSON.stringify(file));
    const stale = await persistenceOf(DEMO.x710p1);
    expect(stale.keptBy).toMatchObject({ mechanism: 'none', path: p.keptBy.path });
    expect(stale.keptBy.note).toContain('POST …/persist removes it');
    const result = PfWriteResult.parse(await (await host.request('POST', `/pfs/${DEMO.x710p1}/persist`)).json());
    expect(result.changed).toBe(true);
    expect(result.steps[0]).toBe(`Removed ${p.keptBy.path}: vfmap's file that no longer applies to ${DEMO.x710p1}.`);
    expect(existsSync(join(host.root, p.keptBy.path!))).toBe(false);
  });

  it('answers 503 with the file and what is wrong when desired.json is corrupt, and leaves the file as it is', async () => {
    const desiredPath = join(host.stateDir, 'desired.json');
    const before = readFileSync(desiredPath, 'utf8');
    writeFileSync(desiredPath, '{"version": 2, "pfs": ');
    try {
      const res = await host.request('GET', '/persistence');
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toMatch(new RegExp(`^${desiredPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON`));
      expect((await host.request('POST', `/pfs/${DEMO.x710p1}/persist`)).status).toBe(503);
      expect(readFileSync(desiredPath, 'utf8')).toBe('{"version": 2, "pfs": ');
    } finally {
      writeFileSync(desiredPath, before);
    }
  });

  it('refuses persist without the write token and for an address that is no PF', async () => {
    expect((await host.request('POST', `/pfs/${DEMO.x710p1}/persist`, undefined, null)).status).toBe(401);
    expect((await host.request('POST', `/pfs/${DEMO.nvme}/persist`)).status).toBe(422);
  });
});

async function planFor(pf: string, count: number): Promise<{ content: string; why: string }> {
  const desired = { count, vendorId: '8086', deviceId: '1572', setAt: new Date().toISOString(), stableMacs: false, driversAutoprobe: null, vfs: [] };
  const { plan } = await planPersistence({ root: host.root, address: pf, desired: desiredSriovOf(desired), systemdVersion: SIMULATED_SYSTEMD });
  if (plan.kind !== 'link-file' && plan.kind !== 'link-drop-in') throw new Error(`planned ${plan.kind}`);
  return { content: plan.write.content, why: plan.why };
}
