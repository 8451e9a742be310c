import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopology } from '@vfmap/sysfs';
import { generateHost, type GeneratedHost } from './generateHost';
import { profiles } from './profiles';
import { createSimKernel } from './simKernel';
import { tempRoot } from './tempRoot';

/** The benchmark tree: generated once, its time printed (never asserted — the machine decides it). */
describe('the large profile', () => {
  const tmp = tempRoot();
  let generated: GeneratedHost;
  beforeAll(() => {
    const started = performance.now();
    generated = generateHost(tmp.dir, profiles.large!);
    console.log(`simhost: generated the large profile (${generated.deviceCount} PCI functions) in ${(performance.now() - started).toFixed(0)} ms`);
  });
  afterAll(() => tmp.remove());

  it('has 2156 PCI functions: 8 PFs, 2048 VFs and 100 others', () => {
    expect(generated.deviceCount).toBe(2156);
    const topology = readTopology({ root: tmp.dir });
    expect(topology.warnings).toEqual([]);
    expect(topology.pfs).toHaveLength(8);
    expect(topology.pfs.map((p) => p.vfs.length)).toEqual(Array(8).fill(256));
    expect(topology.devices).toHaveLength(100);
    expect(topology.iommuGroups.length).toBeGreaterThan(2048);
  });

  it('spills each card’s last VFs onto the next bus, as 8 + 255 routing ids past function 0 must', () => {
    const pf = join(tmp.dir, 'sys/bus/pci/devices/0000:18:00.0');
    const vfs = readdirSync(pf).filter((n) => n.startsWith('virtfn'));
    expect(vfs).toHaveLength(256);
    const devices = readdirSync(join(tmp.dir, 'sys/bus/pci/devices'));
    expect(devices.filter((a) => a.startsWith('0000:19:'))).toHaveLength(8);
  });

  it('is listed whole by lspci', () => {
    const run = spawnSync('lspci', ['-A', 'linux-sysfs', '-O', `sysfs.path=${join(tmp.dir, 'sys/bus/pci')}`, '-D', '-n'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2156);
    expect(lines.filter((l) => l.includes('8086:1889'))).toHaveLength(2048);
  });

  it('takes 256 VFs away and back through the simulated kernel', () => {
    const kernel = createSimKernel(tmp.dir);
    const numvfs = join(tmp.dir, 'sys/bus/pci/devices/0000:b1:00.0/sriov_numvfs');
    for (const vf of readdirSync(join(tmp.dir, 'sys/bus/pci/drivers/vfio-pci')).filter((n) => n.startsWith('0000:b1:') || n.startsWith('0000:b2:'))) {
      kernel.writeAttribute(join(tmp.dir, 'sys/bus/pci/drivers/vfio-pci/unbind'), vf);
    }
    let started = performance.now();
    kernel.writeAttribute(numvfs, '0');
    const disableMs = performance.now() - started;
    started = performance.now();
    kernel.writeAttribute(numvfs, '256');
    console.log(`simhost: 256 VFs removed in ${disableMs.toFixed(0)} ms, created in ${(performance.now() - started).toFixed(0)} ms`);
    expect(readTopology({ root: tmp.dir }).pfs.find((p) => p.address === '0000:b1:00.0')!.vfs).toHaveLength(256);
  });
});
