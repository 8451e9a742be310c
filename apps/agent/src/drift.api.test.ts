import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIFT_KINDS, vfAddressOf, type DriftFinding, type Topology } from '@vfmap/model';
import { startSimAgent, type SimAgent } from './testing/simAgent';

/**
 * The drift findings through the API, on the simulated `drift` host (packages/simhost
 * hostProfiles/drift.ts): VM configs in the simulated hypervisor's state file, running VMs and a
 * hand-started QEMU as processes in the tree's /proc, one disagreement of each kind.
 */
const vfA = (index: number) => vfAddressOf('0000:01:00.0', 128, 2, index)!;
const vfB = (index: number) => vfAddressOf('0000:02:00.0', 128, 2, index)!;
const brief = (f: DriftFinding) => [f.kind, f.address, f.vmId, f.otherVmId];

describe('drift on the drift host', () => {
  let h: SimAgent;
  let t: Topology;
  beforeAll(async () => {
    h = await startSimAgent({ profile: 'drift' });
    t = await h.topology();
  });
  afterAll(() => h.close());

  it('finds each kind once where it is, and nothing else', () => {
    expect(t.drift.map(brief)).toEqual([
      ['configured-not-held', vfA(1), '100', null],
      ['holds-a-different-vf', vfA(3), '101', null],
      ['held-not-configured', vfA(4), 'scratch', null],
      ['stale-reservation', vfA(5), '102', null],
      ['vfio-bound-without-holder', vfA(5), null, null],
      ['config-names-missing-vf', vfA(6), '102', null],
      ['group-shared-with-another-vm', vfB(0), '103', '104'],
      ['group-shared-with-another-vm', vfB(1), '104', '103'],
    ]);
    expect(new Set(t.drift.map((f) => f.kind))).toEqual(new Set(DRIFT_KINDS));
  });

  it('names the VM and the config line of a config naming a VF the host lacks, and the count that brings it back', () => {
    const missing = t.drift.find((f) => f.kind === 'config-names-missing-vf')!;
    expect(missing).toMatchObject({ severity: 'fail', pf: '0000:01:00.0', vmName: 'batch' });
    expect(missing.evidence).toEqual([{ path: '/var/lib/vfmap-sim/hypervisor.json', value: `VM 102 hostpci0: ${vfA(6)}` }]);
    expect(missing.fix).toContain('VF count to 7 or more');
  });

  it('shows the process evidence of what runs: the command line of the hand-started QEMU', () => {
    const stray = t.drift.find((f) => f.kind === 'held-not-configured')!;
    expect(stray.evidence).toContainEqual({ path: '/proc/5150/cmdline', value: `-device vfio-pci,host=${vfA(4)}` });
  });

  it('calls a VF bound to vfio-pci through vfmap (kept so in the desired state) no leak, unlike one bound by hand', async () => {
    const res = await h.request('PUT', `/vfs/${vfB(2)}/driver`, { driver: 'vfio-pci' });
    expect(res.status).toBe(200);
    const after = await h.topology();
    expect(after.pfs[1]!.vfs[2]!.driver).toBe('vfio-pci');
    expect(after.drift.filter((f) => f.kind === 'vfio-bound-without-holder').map((f) => f.address)).toEqual([vfA(5)]);
  });

  it('counts the findings by kind in vfmap_drift', async () => {
    const text = await (await fetch(h.url('/metrics'))).text();
    for (const kind of DRIFT_KINDS) {
      const n = kind === 'group-shared-with-another-vm' ? 2 : 1;
      expect(text).toContain(`vfmap_drift{kind="${kind}"} ${n}`);
    }
  });
});
