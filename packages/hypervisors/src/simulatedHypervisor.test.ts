import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIMULATED_HYPERVISOR_STATE_PATH, SimulatedHypervisorState } from '@vfmap/model';
import { createHypervisor } from './createHypervisor';
import type { Hypervisor } from './hypervisor';

let root: string;
let statePath: string;
let hv: Hypervisor;

const STATE = `/${SIMULATED_HYPERVISOR_STATE_PATH}`;
const initial: SimulatedHypervisorState = {
  version: 1,
  vms: [
    { id: '100', name: 'web01', state: 'running', numaNode: 0, hostdevs: [{ address: '0000:3b:02.1', via: 'hostpci0', pending: false }] },
    { id: '101', name: 'batch', state: 'stopped', numaNode: 1, hostdevs: [{ address: '0000:5e:02.0', via: 'hostpci0', pending: true }] },
  ],
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vfmap-sim-'));
  statePath = join(root, SIMULATED_HYPERVISOR_STATE_PATH);
  mkdirSync(dirname(statePath), { recursive: true });
  writeFileSync(statePath, JSON.stringify(initial));
  hv = createHypervisor('simulated', { root });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const stored = () => SimulatedHypervisorState.parse(JSON.parse(readFileSync(statePath, 'utf8')));

describe('simulated adapter', () => {
  it('reads VMs and their devices from the state file', async () => {
    expect(await hv.snapshot()).toEqual({
      vms: [
        { id: '100', name: 'web01', state: 'running' },
        { id: '101', name: 'batch', state: 'stopped' },
      ],
      assignments: [
        { target: '0000:3b:02.1', vmId: '100', vmName: 'web01', via: 'hostpci0', pending: false, pendingChange: null, config: { path: STATE, line: 'VM 100 hostpci0: 0000:3b:02.1' } },
        { target: '0000:5e:02.0', vmId: '101', vmName: 'batch', via: 'hostpci0', pending: true, pendingChange: 'attach', config: { path: STATE, line: 'VM 101 hostpci0: 0000:5e:02.0 (pending)' } },
      ],
      warnings: [],
    });
  });

  it('gives a running VM the device at once and a stopped one at its next start', async () => {
    expect(await hv.attach('100', '0000:3b:02.2')).toEqual({ effect: 'live', via: 'hostpci1' });
    expect(await hv.attach('101', '0000:3b:02.3')).toEqual({ effect: 'next-start', via: 'hostpci1' });
    expect(stored().vms.map((vm) => vm.hostdevs.map((h) => h.address))).toEqual([
      ['0000:3b:02.1', '0000:3b:02.2'],
      ['0000:5e:02.0', '0000:3b:02.3'],
    ]);
  });

  it('takes a device back and frees its entry', async () => {
    expect(await hv.detach('100', '0000:3b:02.1')).toEqual({ effect: 'live', via: 'hostpci0' });
    expect(stored().vms[0]!.hostdevs).toEqual([]);
    expect(await hv.attach('100', '0000:3b:02.4')).toEqual({ effect: 'live', via: 'hostpci0' });
  });

  it('refuses unknown VMs, devices already given, and devices the VM does not have', async () => {
    await expect(hv.attach('999', '0000:3b:02.2')).rejects.toMatchObject({ code: 'unknown-vm' });
    await expect(hv.attach('100', '0000:3b:02.1')).rejects.toMatchObject({ code: 'already-assigned' });
    await expect(hv.detach('101', '0000:3b:02.1')).rejects.toMatchObject({ code: 'not-assigned' });
    await expect(hv.attach('100', '0000:3B:02.1')).rejects.toMatchObject({ code: 'invalid-request' });
    expect(stored()).toEqual(initial);
  });

  it('keeps both of two attaches started together, and leaves no temp file behind', async () => {
    await Promise.all([hv.attach('100', '0000:3b:02.2'), hv.attach('100', '0000:3b:02.3')]);
    expect(stored().vms[0]!.hostdevs.map((h) => h.via)).toEqual(['hostpci0', 'hostpci1', 'hostpci2']);
    expect(readdirSync(dirname(statePath))).toEqual(['hypervisor.json']);
  });

  it('changes its fingerprint with every write', async () => {
    const before = await hv.fingerprint();
    expect(await hv.fingerprint()).toBe(before);
    await hv.attach('100', '0000:3b:02.2');
    const after = await hv.fingerprint();
    expect(after).not.toBe(before);
    await hv.detach('100', '0000:3b:02.2');
    expect(await hv.fingerprint()).not.toBe(after);
  });

  it('warns when the state file is missing or broken, and refuses to write over a broken one', async () => {
    writeFileSync(statePath, '{"version": 1, "vms": [{"id": 1}]}');
    const snap = await hv.snapshot();
    expect(snap.vms).toEqual([]);
    expect(snap.warnings).toEqual([expect.objectContaining({ code: 'unreadable', path: SIMULATED_HYPERVISOR_STATE_PATH })]);
    await expect(hv.attach('100', '0000:3b:02.2')).rejects.toMatchObject({ code: 'bad-state' });
    rmSync(statePath);
    expect((await hv.snapshot()).warnings).toHaveLength(1);
    expect(await hv.fingerprint()).toBe('absent');
  });
});

describe('none adapter', () => {
  it('has no VMs and refuses to attach or detach', async () => {
    const none = createHypervisor('none');
    expect(await none.snapshot()).toEqual({ vms: [], assignments: [], warnings: [] });
    await expect(none.attach('100', '0000:3b:02.2')).rejects.toMatchObject({ code: 'unsupported' });
    await expect(none.detach('100', '0000:3b:02.2')).rejects.toMatchObject({ code: 'unsupported' });
  });
});
