import { readFileSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredPfState, Pf, Vf } from '@vfmap/model';
import { createHypervisor } from '@vfmap/hypervisors';
import { createSimKernel, generateHost, profiles } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import { createAgentCore, type AgentCore } from '../agentCore';
import type { DesiredStore } from '../desired/desiredStore';
import { localSteps } from '../helper/helperSteps';
import { inlineKernelWriter } from '../kernel/kernelWriter';
import { readVfBinding } from '../kernel/vfDriverSteps';
import { createLogger } from '../logger';
import { inlineScanner } from '../scanner';
import { tempDir } from '../testing/simAgent';
import { OperationRefused } from './errors';
import { alreadySo, checkNotInUse } from './vfDriver';

const FREE_IAVF = '0000:18:01.3';
const E810P0 = '0000:18:00.0';
const CX6P1 = '0000:af:00.1';
const who = { principal: 'test', address: null };

/** The desired store as an in-memory map, noting what sysfs showed at each update (to see the order). */
class MemoryDesiredStore implements DesiredStore {
  readonly kept = new Map<string, DesiredPfState>();
  readonly seenAtUpdate: string[] = [];
  fail = false;
  constructor(private readonly onUpdate: () => string) {}
  async read() {
    return Object.fromEntries(this.kept);
  }
  async update(pf: Pick<Pf, 'address' | 'vendorId' | 'deviceId'>, change: (current: DesiredPfState | null) => DesiredPfState | null) {
    if (this.fail) throw new Error('EROFS: read-only file system');
    this.seenAtUpdate.push(this.onUpdate());
    const next = change(this.kept.get(pf.address) ?? null);
    if (next) this.kept.set(pf.address, next);
    else this.kept.delete(pf.address);
    return next;
  }
  async restore(address: string, entry: DesiredPfState | null) {
    if (entry) this.kept.set(address, entry);
    else this.kept.delete(address);
  }
}

let root: string;
let stateDir: string;
let core: AgentCore;
let store: MemoryDesiredStore;

beforeEach(async () => {
  root = tempDir('vfmap-vfdriver-op-');
  stateDir = tempDir('vfmap-vfdriver-state-');
  generateHost(root, profiles.demo!);
  const paths = sysfsPaths(root);
  store = new MemoryDesiredStore(() => {
    const b = readVfBinding(paths, FREE_IAVF);
    const autoprobe = paths.pciDeviceFile(CX6P1, 'sriov_drivers_autoprobe');
    return `${b.driver}/${readFileSync(autoprobe, 'utf8').trim()}`;
  });
  core = await createAgentCore({
    root,
    stateDir,
    hypervisor: createHypervisor('simulated', { root }),
    scanner: inlineScanner(),
    writer: localSteps(inlineKernelWriter(createSimKernel(root)), createHypervisor('none'), paths),
    desiredState: store,
    logger: createLogger('silent'),
  });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the desired state around a driver change', () => {
  it('keeps vfio-pci for the VF before the live change, and drops it again on release', async () => {
    await core.operations.setVfDriver(FREE_IAVF, { driver: 'vfio-pci' }, who);
    // The update saw the VF still on iavf: written before the kernel was.
    expect(store.seenAtUpdate[0]).toMatch(/^iavf\//);
    expect(store.kept.get(E810P0)).toMatchObject({ count: 16, vendorId: '8086', vfs: [{ index: 3, settings: {}, driver: 'vfio-pci' }] });
    await core.operations.setVfDriver(FREE_IAVF, { driver: null }, who);
    expect(store.seenAtUpdate[1]).toMatch(/^vfio-pci\//);
    expect(store.kept.get(E810P0)?.vfs).toEqual([]);
  });

  it('keeps autoprobe before the live change', async () => {
    await core.operations.setAutoprobe(CX6P1, { enabled: true }, who);
    expect(store.seenAtUpdate[0]).toMatch(/\/0$/);
    expect(store.kept.get(CX6P1)).toMatchObject({ driversAutoprobe: true, count: 4 });
  });

  it('still changes the driver when the desired state cannot be written, and says it was not kept', async () => {
    store.fail = true;
    const result = await core.operations.setVfDriver(FREE_IAVF, { driver: 'vfio-pci' }, who);
    expect(result).toMatchObject({ driver: 'vfio-pci', changed: true });
    expect(result.message).toContain('could not be kept for the next boot');
  });
});

const vf = (over: Partial<Vf>): Vf => ({
  address: '0000:18:01.3',
  index: 3,
  pf: E810P0,
  vendorId: '8086',
  deviceId: '1889',
  driver: 'iavf',
  driverOverride: null,
  netdevs: [],
  numaNode: 0,
  iommuGroup: 90,
  holder: null,
  config: null,
  ...over,
});
const holder = { vmId: '101', vmName: 'web-01', via: 'hostpci0', pending: false };

describe('what needs no change', () => {
  it.each([
    [{ driver: 'vfio-pci', driverOverride: 'vfio-pci' }, 'vfio-pci', true],
    [{ driver: 'vfio-pci', driverOverride: null }, 'vfio-pci', false],
    [{ driver: 'iavf', driverOverride: null }, null, true],
    [{ driver: null, driverOverride: null }, null, false],
    [{ driver: 'iavf', driverOverride: 'vfio-pci' }, null, false],
  ] as const)('%j asked %s: %s', (state, wanted, expected) => {
    expect(alreadySo(state, wanted)).toBe(expected);
  });
});

describe('a VF in use by a VM', () => {
  const vms = (state: 'running' | 'paused' | 'stopped') => ({ vms: [{ id: '101', name: 'web-01', state }] });
  it.each(['running', 'paused'] as const)('is refused while the VM is %s', (state) => {
    expect(() => checkNotInUse(vf({ holder }), vms(state))).toThrow(OperationRefused);
  });
  it('is refused when the VM is not listed (its state unknown)', () => {
    expect(() => checkNotInUse(vf({ holder }), { vms: [] })).toThrow(/unknown/);
  });
  it('is not refused for a stopped VM, or an attach pending for the next start', () => {
    expect(() => checkNotInUse(vf({ holder }), vms('stopped'))).not.toThrow();
    expect(() => checkNotInUse(vf({ holder: { ...holder, pending: true, pendingChange: 'attach' } }), vms('running'))).not.toThrow();
  });
});
