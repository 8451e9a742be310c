import { describe, expect, it } from 'vitest';
import { handDevice, handPf, handTopology } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { sriovSwitchedOffCheck } from './sriovSwitchedOffCheck';

function sriovConfig(totalVfs: number): Buffer {
  const b = Buffer.alloc(4096);
  b.writeUInt32LE(0x0010 | (1 << 16), 0x100);
  b.writeUInt16LE(totalVfs, 0x10e);
  return b;
}

describe('sriovSwitchedOffCheck', () => {
  it('fails a device whose config space has SR-IOV with TotalVFs 0 and no sriov_totalvfs', () => {
    const files = handFiles({ 'sys/bus/pci/devices/0000:19:00.0/config': sriovConfig(0) });
    const checks = sriovSwitchedOffCheck({ files, topology: handTopology({ devices: [handDevice('0000:19:00.0')] }) });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ scope: 'pf', target: '0000:19:00.0', status: 'fail', title: '0000:19:00.0 can do SR-IOV but TotalVFs is 0: switched off in firmware' });
    expect(checks[0]!.evidence[1]).toEqual({ path: '/sys/bus/pci/devices/0000:19:00.0/sriov_totalvfs', value: '(absent)' });
  });

  it('names VF BARs without a window where TotalVFs is not 0 but the kernel made no sriov files', () => {
    const files = handFiles({ 'sys/bus/pci/devices/0000:19:00.0/config': sriovConfig(63) });
    const [c] = sriovSwitchedOffCheck({ files, topology: handTopology({ devices: [handDevice('0000:19:00.0')] }) });
    expect(c!.title).toBe('0000:19:00.0 can do SR-IOV (TotalVFs 63) but the kernel did not enable it');
    expect(c!.fix.debian).toMatch(/pci=realloc/);
  });

  it('says nothing of a device without the capability, nor of bridges (not a class SR-IOV comes in)', () => {
    const files = handFiles({ 'sys/bus/pci/devices/0000:19:00.0/config': Buffer.alloc(4096), 'sys/bus/pci/devices/0000:00:1c.0/config': sriovConfig(0) });
    const topology = handTopology({ devices: [handDevice('0000:19:00.0'), handDevice('0000:00:1c.0', { class: '060400' })] });
    expect(sriovSwitchedOffCheck({ files, topology })).toEqual([]);
  });

  it('says once, for the host, that config spaces read unprivileged (64 bytes) could not be judged', () => {
    const files = handFiles({ 'sys/bus/pci/devices/0000:19:00.0/config': Buffer.alloc(64), 'sys/bus/pci/devices/0000:19:00.1/config': Buffer.alloc(64) });
    const checks = sriovSwitchedOffCheck({ files, topology: handTopology({ devices: [handDevice('0000:19:00.0'), handDevice('0000:19:00.1')] }) });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ scope: 'host', status: 'unknown', title: 'The SR-IOV capability of 2 devices without sriov_totalvfs could not be read' });
  });

  it('fails a PF with no driver: the kernel refuses its sriov_numvfs writes', () => {
    const files = handFiles({ 'sys/bus/pci/devices/0000:01:00.0/sriov_numvfs': '0' });
    const [c] = sriovSwitchedOffCheck({ files, topology: handTopology({ pfs: [handPf('0000:01:00.0', { driver: null })] }) });
    expect(c).toMatchObject({ target: '0000:01:00.0', status: 'fail', title: '0000:01:00.0 has no driver bound: its VF count cannot be changed' });
    expect(c!.fix.proxmox).toMatch(/pci-pf-stub/);
  });
});
