import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topology } from '@vfmap/model';
import { extractFixture, fixture, removeFixture } from '../../../packages/sysfs/test/extractFixture';
import { generateHost, profiles, tempRoot } from '@vfmap/simhost';
import { scanCommand } from './scanCommand';
import { startSimAgent } from './testing/simAgent';

const hypervisors = () => import('@vfmap/hypervisors');

let root: string;
beforeAll(() => {
  root = extractFixture(fixture('realkernel', 'vfs-enabled'));
});
afterAll(() => removeFixture(root));

describe('vfmap scan', () => {
  it('prints the model JSON of a real-kernel tree: both PFs, every IOMMU group, eth0', async () => {
    const topology = Topology.parse(JSON.parse(await scanCommand({ root, json: true, hypervisor: 'none' }, hypervisors)));
    const [pf1, pf2] = topology.pfs;
    expect(pf1).toMatchObject({ address: '0000:01:00.0', driver: 'nvme', numVfs: 4, totalVfs: 8, offset: 1, stride: 1, vfDeviceId: '0010', driversAutoprobe: true });
    expect(pf1!.vfs.map((vf) => [vf.index, vf.address, vf.driver])).toEqual([
      [0, '0000:01:00.1', 'nvme'],
      [1, '0000:01:00.2', 'nvme'],
      [2, '0000:01:00.3', 'nvme'],
      [3, '0000:01:00.4', 'nvme'],
    ]);
    expect(pf2).toMatchObject({ address: '0000:02:00.0', numVfs: 3, driversAutoprobe: false });
    expect(pf2!.vfs.map((vf) => [vf.address, vf.driver, vf.driverOverride])).toEqual([
      ['0000:02:00.1', 'vfio-pci', 'vfio-pci'],
      ['0000:02:00.2', null, null],
      ['0000:02:00.3', null, null],
    ]);
    // 18 groups in the capture: 0–10 for the boot devices, 11–17 for the seven VFs.
    expect(topology.iommuGroups.map((g) => g.id)).toEqual([...Array(18).keys()]);
    expect(topology.iommuGroups.find((g) => g.id === 7)?.devices).toEqual(['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3']);
    const nic = topology.devices.find((d) => d.address === '0000:03:00.0');
    expect(nic?.netdevs.map((n) => [n.name, n.mac, n.operState, n.speedMbps])).toEqual([['eth0', '52:54:00:12:34:56', 'up', 1000]]);
  });

  it('prints a tree a person reads: cards, PFs with n/total, VFs with driver, group and holder', async () => {
    const text = await scanCommand({ root, json: false, hypervisor: 'none' }, hypervisors);
    expect(text).toMatch(/PF 0000:01:00\.0 +4\/8 VFs +driver nvme/);
    expect(text).toMatch(/VF +0 0000:02:00\.1 +driver vfio-pci \(override vfio-pci\) +group 15 +free/);
    expect(text).toMatch(/VF +1 0000:02:00\.2 +driver - +group 16 +free/);
    expect(text).toContain('group 7: 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3');
  });

  it('runs as a command and exits 2 with a clear message on a bad flag', () => {
    const cli = join(import.meta.dirname, 'cli.ts');
    const tsx = join(import.meta.dirname, '../../../node_modules/.bin/tsx');
    const out = execFileSync(tsx, [cli, 'scan', '--root', root, '--json'], { encoding: 'utf8' });
    expect(Topology.parse(JSON.parse(out)).pfs).toHaveLength(2);
    let status = 0;
    let stderr = '';
    try {
      execFileSync(tsx, [cli, 'scan', '--rot', root], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: string }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/vfmap: .*--rot/);
  });
});

describe('vfmap scan over a host whose VFs share their PF’s IOMMU group', () => {
  it('calls a VF nobody holds "unavailable" when its group has other members, as the page does', async () => {
    const host = tempRoot();
    try {
      generateHost(host.dir, profiles['edge-cases']!);
      const text = await scanCommand({ root: host.dir, json: false, hypervisor: 'simulated' }, hypervisors);
      // The 82576 without ACS: VF 0 is in backup-vm's config; VFs 1 and 2 are in the PF's group.
      expect(text).toMatch(/VF +0 0000:03:10\.0 .*→ backup-vm \(201, hostpci0\)$/m);
      expect(text).toMatch(/VF +1 0000:03:10\.2 .*shared with .*unavailable$/m);
      expect(text).toMatch(/VF +2 0000:03:10\.4 .*unavailable$/m);
      expect(text).not.toMatch(/0000:03:10\.[24] .*free$/m);
    } finally {
      host.remove();
    }
  });
});

describe('vfmap scan with a hypervisor: running QEMUs and drift, as the agent sees them', () => {
  const NVME_VF1 = '0000:01:00.2';
  const IGB_VF0 = '0000:03:10.0';
  let host: ReturnType<typeof tempRoot>;
  beforeAll(() => {
    host = tempRoot();
    // A hand-started QEMU (pid 5150, -name scratch-nvme) holds NVMe VF 1's group; qemu-server still
    // reserves the 82576's VF 0 for backup-vm, whose process 4999 is gone.
    generateHost(host.dir, profiles['edge-cases']!);
  });
  afterAll(() => host.remove());
  const scanJson = async (hypervisor: 'simulated' | 'none') => Topology.parse(JSON.parse(await scanCommand({ root: host.dir, json: true, hypervisor }, hypervisors)));
  const holderOf = (t: Topology, address: string) => t.pfs.flatMap((p) => p.vfs).find((v) => v.address === address)!.holder;

  it('gives the VF the stray QEMU holds to that process, and finds it and the stale reservation as drift', async () => {
    const t = await scanJson('simulated');
    expect(holderOf(t, NVME_VF1)).toEqual({ vmId: 'scratch-nvme', vmName: 'scratch-nvme', via: 'qemu pid 5150', pending: false, pendingChange: null, source: 'running' });
    expect(holderOf(t, '0000:01:00.1')).toMatchObject({ vmId: '200', source: 'both' });
    expect(holderOf(t, IGB_VF0)).toMatchObject({ vmId: '201', source: 'config' });
    expect(t.drift.map((d) => [d.kind, d.address, d.vmId])).toEqual([
      ['held-not-configured', NVME_VF1, 'scratch-nvme'],
      ['stale-reservation', IGB_VF0, '201'],
    ]);
  });

  it('says the same holders and drift as the agent over the same host', async () => {
    const scanned = await scanJson('simulated');
    const agent = await startSimAgent({ profile: 'edge-cases' });
    try {
      const served = await agent.topology();
      const holders = (t: Topology) => t.pfs.flatMap((p) => p.vfs.map((v) => [v.address, v.holder]));
      expect(holders(scanned)).toEqual(holders(served));
      expect(scanned.drift).toEqual(served.drift);
    } finally {
      await agent.close();
    }
  });

  it('prints them in the tree: the running holder marked, the findings listed', async () => {
    const text = await scanCommand({ root: host.dir, json: false, hypervisor: 'simulated' }, hypervisors);
    expect(text).toMatch(/VF +1 0000:01:00\.2 .*→ scratch-nvme \(scratch-nvme, qemu pid 5150, running, in no config\)$/m);
    expect(text).toContain('Drift between VM configs and running QEMUs (2):');
    expect(text).toMatch(/^ {2}\[stale-reservation\] qemu-server still reserves 0000:03:10\.0 for VM 201 \(backup-vm\), whose process 4999 is gone$/m);
  });

  it('reads sysfs alone without a hypervisor (the fast path): no holders, no drift', async () => {
    const t = await scanJson('none');
    expect(holderOf(t, NVME_VF1)).toBeNull();
    expect(t.drift).toEqual([]);
  });
});
