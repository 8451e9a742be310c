import { describe, expect, it } from 'vitest';
import { handPf, handTopology } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { totalVfsCheck } from './totalVfsCheck';

function sriovConfig(totalVfs: number): Buffer {
  const b = Buffer.alloc(4096);
  b.writeUInt32LE(0x0010 | (1 << 16), 0x100);
  b.writeUInt16LE(totalVfs, 0x10e);
  return b;
}

describe('totalVfsCheck', () => {
  it("warns where a ConnectX-6 Dx's firmware offers fewer VFs than the card can, with the mlxconfig fix", () => {
    const files = handFiles({ 'sys/bus/pci/devices/0000:af:00.0/config': Buffer.alloc(64) });
    const [c] = totalVfsCheck({ files, topology: handTopology({ pfs: [handPf('0000:af:00.0', { vendorId: '15b3', deviceId: '101d', totalVfs: 8 })] }) });
    expect(c).toMatchObject({ id: 'totalvfs-limited', status: 'warn', title: "0000:af:00.0 offers 8 VFs, below the 127 this card can do (limited by the card's firmware)" });
    expect(c!.evidence).toEqual([{ path: '/sys/bus/pci/devices/0000:af:00.0/sriov_totalvfs', value: '8' }]);
    expect(c!.fix.proxmox).toMatch(/NUM_OF_VFS=127/);
  });

  it("names the driver where the capability's TotalVFs is above sriov_totalvfs", () => {
    const files = handFiles({ 'sys/bus/pci/devices/0000:05:00.0/config': sriovConfig(64) });
    const [c] = totalVfsCheck({ files, topology: handTopology({ pfs: [handPf('0000:05:00.0', { vendorId: '1924', deviceId: '0a03', totalVfs: 16 })] }) });
    expect(c!.title).toBe('0000:05:00.0 offers 16 VFs, below the 64 this card can do (limited by the driver)');
    expect(c!.evidence[1]).toEqual({ path: '/sys/bus/pci/devices/0000:05:00.0/config', value: 'SR-IOV capability at 0x100: InitialVFs 0, TotalVFs 64' });
  });

  it('says nothing where the card offers its nominal number (igb: 7) or is not known', () => {
    const files = handFiles({ 'sys/bus/pci/devices': { dir: true } });
    const pfs = [handPf('0000:04:00.0', { deviceId: '10c9', totalVfs: 7 }), handPf('0000:01:00.0', { vendorId: '1b36', deviceId: '0010', totalVfs: 8 })];
    expect(totalVfsCheck({ files, topology: handTopology({ pfs }) })).toEqual([]);
  });
});
