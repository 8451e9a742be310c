import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHost } from './generateHost';
import { profiles } from './profiles';
import { createSimKernel } from './simKernel';
import { tempRoot } from './tempRoot';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/realkernel');

type Kind = 'file' | 'link' | 'dir';
/** The entries of a PCI function's directory: name → file, link or dir. */
function entriesOf(root: string, address: string): Record<string, Kind> {
  const dir = realpathSync(join(root, 'sys/bus/pci/devices', address));
  const out: Record<string, Kind> = {};
  for (const name of readdirSync(dir).sort()) {
    const st = lstatSync(join(dir, name));
    out[name] = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'file';
  }
  return out;
}

const groupMembers = (root: string) =>
  Object.fromEntries(
    readdirSync(join(root, 'sys/kernel/iommu_groups'))
      .sort((a, b) => Number(a) - Number(b))
      .map((g) => [g, readdirSync(join(root, 'sys/kernel/iommu_groups', g, 'devices')).sort()]),
  );

/**
 * The simulated host has the real kernel's shape: the qemu-q35 profile is the machine the
 * realkernel snapshots were taken on, so after the same steps its tree must hold the same
 * entries as the real one (fixtures/realkernel/*.tar.xz).
 */
describe('the generated tree beside the real kernel’s', () => {
  const real = tempRoot('vfmap-realkernel-');
  const realBaseline = tempRoot('vfmap-realkernel-');
  const sim = tempRoot();

  beforeAll(() => {
    execFileSync('tar', ['-xJf', join(FIXTURES, 'vfs-enabled.tar.xz'), '-C', real.dir]);
    execFileSync('tar', ['-xJf', join(FIXTURES, 'baseline.tar.xz'), '-C', realBaseline.dir]);
    generateHost(sim.dir, profiles['qemu-q35']!);
  });
  afterAll(() => {
    real.remove();
    realBaseline.remove();
    sim.remove();
  });

  it('boots with the same PCI functions, drivers and IOMMU groups as the real guest', () => {
    const devices = (root: string) => readdirSync(join(root, 'sys/bus/pci/devices')).sort();
    expect(devices(sim.dir)).toEqual(devices(realBaseline.dir));
    const driver = (root: string, a: string) => {
      try {
        return readlinkSync(join(root, 'sys/bus/pci/devices', a, 'driver'));
      } catch {
        return null;
      }
    };
    for (const a of devices(realBaseline.dir)) {
      expect({ a, driver: driver(sim.dir, a) }).toEqual({ a, driver: driver(realBaseline.dir, a) });
      for (const name of ['vendor', 'device', 'class', 'subsystem_vendor', 'subsystem_device', 'revision', 'numa_node', 'local_cpulist', 'modalias', 'uevent']) {
        const value = (root: string) => readFileSync(join(root, 'sys/bus/pci/devices', a, name), 'utf8');
        expect({ a, name, value: value(sim.dir) }).toEqual({ a, name, value: value(realBaseline.dir) });
      }
    }
    expect(groupMembers(sim.dir)).toEqual(groupMembers(realBaseline.dir));
  });

  it('gives every function of the baseline the real entries, but for children of drivers it does not simulate', () => {
    // Child devices of ahci, i2c-i801, lpc_ich, virtio and e1000e: nothing SR-IOV related.
    const notSimulated = new Set(['ata1', 'ata2', 'ata3', 'ata4', 'ata5', 'ata6', 'remapped_nvme', 'i2c-0', 'iTCO_wdt.1.auto', 'virtio0', 'virtio1', 'virtio2', 'ptp', 'wakeup', 'waiting_for_supplier']);
    for (const a of readdirSync(join(realBaseline.dir, 'sys/bus/pci/devices'))) {
      const want = Object.fromEntries(Object.entries(entriesOf(realBaseline.dir, a)).filter(([n]) => !notSimulated.has(n)));
      expect({ a, entries: entriesOf(sim.dir, a) }).toEqual({ a, entries: want });
    }
  });

  it('makes VFs with the same entries as the real kernel made for VF 0000:01:00.1 (and the others of vfs-enabled)', () => {
    // The steps that made vfs-enabled.tar.xz: PF1 4 VFs bound to nvme; PF2 with autoprobe 0,
    // 3 VFs, the first bound to vfio-pci through driver_override.
    const kernel = createSimKernel(sim.dir);
    const devices = join(sim.dir, 'sys/bus/pci/devices');
    kernel.writeAttribute(join(devices, '0000:01:00.0/sriov_numvfs'), '4');
    kernel.writeAttribute(join(devices, '0000:02:00.0/sriov_drivers_autoprobe'), '0');
    kernel.writeAttribute(join(devices, '0000:02:00.0/sriov_numvfs'), '3');
    kernel.writeAttribute(join(devices, '0000:02:00.1/driver_override'), 'vfio-pci');
    kernel.writeAttribute(join(sim.dir, 'sys/bus/pci/drivers_probe'), '0000:02:00.1');

    expect(entriesOf(sim.dir, '0000:01:00.1')).toEqual(entriesOf(real.dir, '0000:01:00.1'));
    for (const vf of ['0000:01:00.2', '0000:01:00.3', '0000:01:00.4', '0000:02:00.1', '0000:02:00.2', '0000:02:00.3']) {
      expect({ vf, entries: entriesOf(sim.dir, vf) }).toEqual({ vf, entries: entriesOf(real.dir, vf) });
    }
    for (const pf of ['0000:01:00.0', '0000:02:00.0']) {
      expect({ pf, entries: entriesOf(sim.dir, pf) }).toEqual({ pf, entries: entriesOf(real.dir, pf) });
    }
    expect(groupMembers(sim.dir)).toEqual(groupMembers(real.dir));
    const links = (root: string, a: string) => ['physfn', 'iommu_group', 'iommu', 'subsystem', 'driver'].map((l) => {
      try {
        return readlinkSync(join(root, 'sys/bus/pci/devices', a, l));
      } catch {
        return null;
      }
    });
    for (const vf of ['0000:01:00.1', '0000:02:00.1', '0000:02:00.3']) expect(links(sim.dir, vf)).toEqual(links(real.dir, vf));
    for (const name of ['sriov_numvfs', 'sriov_drivers_autoprobe', 'virtfn0', 'virtfn2']) {
      const v = (root: string) => {
        const p = join(root, 'sys/bus/pci/devices/0000:02:00.0', name);
        return lstatSync(p).isSymbolicLink() ? readlinkSync(p) : readFileSync(p, 'utf8');
      };
      expect(v(sim.dir)).toBe(v(real.dir));
    }
    expect(readFileSync(join(devices, '0000:02:00.1/driver_override'), 'utf8')).toBe(
      readFileSync(join(real.dir, 'sys/bus/pci/devices/0000:02:00.1/driver_override'), 'utf8'),
    );
  });

  it('runs over the captured tree itself: VFs enabled on the real baseline look like the real kernel’s', () => {
    const captured = tempRoot('vfmap-realkernel-');
    try {
      execFileSync('tar', ['-xJf', join(FIXTURES, 'baseline.tar.xz'), '-C', captured.dir]);
      const kernel = createSimKernel(captured.dir);
      kernel.writeAttribute(join(captured.dir, 'sys/bus/pci/devices/0000:01:00.0/sriov_numvfs'), '4');
      expect(entriesOf(captured.dir, '0000:01:00.1')).toEqual(entriesOf(real.dir, '0000:01:00.1'));
      expect(readlinkSync(join(captured.dir, 'sys/bus/pci/devices/0000:01:00.0/virtfn3'))).toBe('../0000:01:00.4');
      expect(groupMembers(captured.dir)['14']).toEqual(['0000:01:00.4']);
      expect(() => kernel.writeAttribute(join(captured.dir, 'sys/bus/pci/devices/0000:01:00.0/sriov_numvfs'), '9')).toThrow(expect.objectContaining({ code: 'ERANGE' }));
      kernel.writeAttribute(join(captured.dir, 'sys/bus/pci/devices/0000:01:00.0/sriov_numvfs'), '0');
      expect(readdirSync(join(captured.dir, 'sys/bus/pci/devices')).sort()).toEqual(readdirSync(join(realBaseline.dir, 'sys/bus/pci/devices')).sort());
    } finally {
      captured.remove();
    }
  });
});
