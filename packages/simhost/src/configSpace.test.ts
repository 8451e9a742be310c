import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfigHeader, withSriovCapability } from './configSpace';

describe('buildConfigHeader', () => {
  it('lays out a type 0 header: ids, command, class, header type, BARs, subsystem, interrupt', () => {
    const b = buildConfigHeader({
      type: 0,
      vendor: 0x8086,
      device: 0x10fb,
      command: 0x0406,
      revision: 0x01,
      classCode: 0x020000,
      multifunction: true,
      interruptLine: 40,
      interruptPin: 1,
      bars: [0x9100000c, 0x00003800, 0x00001001, 0, 0x9120000c, 0x00003800],
      subsystemVendor: 0x8086,
      subsystemDevice: 0x0002,
      romAddress: 0x91300000,
    });
    expect(b).toHaveLength(64);
    expect(b.subarray(0, 16).toString('hex')).toBe('8680fb1006040000' + '0100000210008000');
    expect(b.readUInt32LE(0x10)).toBe(0x9100000c);
    expect(b.readUInt32LE(0x18)).toBe(0x00001001);
    expect(b.readUInt16LE(0x2c)).toBe(0x8086);
    expect(b.readUInt16LE(0x2e)).toBe(0x0002);
    expect(b.readUInt32LE(0x30)).toBe(0x91300000);
    expect(b.readUInt8(0x34)).toBe(0); // no capability list
    expect(b.readUInt16LE(0x06) & 0x10).toBe(0); // and Status says so
    expect([b.readUInt8(0x3c), b.readUInt8(0x3d)]).toEqual([40, 1]);
  });

  it('lays out a type 1 header: bus numbers and the windows behind the bridge, closed ones as base > limit', () => {
    const b = buildConfigHeader({
      type: 1,
      vendor: 0x8086,
      device: 0x2030,
      command: 0x0407,
      revision: 0x04,
      classCode: 0x060400,
      multifunction: false,
      interruptLine: 24,
      interruptPin: 1,
      bars: [0, 0],
      primaryBus: 0x17,
      secondaryBus: 0x18,
      subordinateBus: 0x19,
      windows: { io: null, mem: [0x94000000, 0x941fffff], prefMem: [0x3810_0000_0000n, 0x3810_0a1f_ffffn] },
    });
    expect(b.readUInt8(0x0e)).toBe(0x01);
    expect([b.readUInt8(0x18), b.readUInt8(0x19), b.readUInt8(0x1a)]).toEqual([0x17, 0x18, 0x19]);
    expect([b.readUInt8(0x1c), b.readUInt8(0x1d)]).toEqual([0xf1, 0x01]);
    expect([b.readUInt16LE(0x20), b.readUInt16LE(0x22)]).toEqual([0x9400, 0x9410]);
    expect([b.readUInt16LE(0x24), b.readUInt16LE(0x26)]).toEqual([0x0001, 0x0a11]);
    expect([b.readUInt32LE(0x28), b.readUInt32LE(0x2c)]).toEqual([0x3810, 0x3810]);
  });
});

describe('withSriovCapability', () => {
  it('lspci sees a PCI Express endpoint with the SR-IOV capability, TotalVFs as given', () => {
    const header = buildConfigHeader({ type: 0, vendor: 0x8086, device: 0x10fb, command: 0x6, revision: 1, classCode: 0x020000, multifunction: true, interruptLine: 0, interruptPin: 0, bars: [], subsystemVendor: 0x8086, subsystemDevice: 0x2, romAddress: 0 });
    const config = withSriovCapability(header, { initialVfs: 0, totalVfs: 0, offset: 128, stride: 2, vfDeviceId: 0x10ed });
    expect(config.length).toBe(4096);
    const hex = [...config]
      .reduce<string[]>((lines, byte, i) => {
        // lspci -x's layout: two hex digits of offset below 0x100, three above.
        if (i % 16 === 0) lines.push(`${i.toString(16).padStart(i < 0x100 ? 2 : 3, '0')}:`);
        lines[lines.length - 1] += ` ${byte.toString(16).padStart(2, '0')}`;
        return lines;
      }, [])
      .join('\n');
    const dump = join(mkdtempSync(join(tmpdir(), 'vfmap-lspci-')), 'dump.txt');
    writeFileSync(dump, `00:00.0 Ethernet controller: x\n${hex}\n`);
    const out = spawnSync('lspci', ['-vvv', '-F', dump], { encoding: 'utf8' });
    rmSync(dirname(dump), { recursive: true, force: true });
    if (out.error) return; // no lspci on this machine (pciutils)
    expect(out.stdout).toMatch(/Capabilities: \[40\] Express \(v2\) Endpoint/);
    expect(out.stdout).toMatch(/Capabilities: \[100 v1\] Single Root I\/O Virtualization \(SR-IOV\)/);
    expect(out.stdout).toMatch(/Initial VFs: 0, Total VFs: 0/);
    expect(out.stdout).toMatch(/VF offset: 128, stride: 2, Device ID: 10ed/);
  });
});
