import { describe, expect, it } from 'vitest';
import { handTopology } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { vfioCheck } from './vfioCheck';

describe('vfioCheck', () => {
  it('is ok where the vfio_pci module is there', () => {
    const files = handFiles({ 'sys/module/vfio_pci/refcnt': '0', 'sys/module/vfio/refcnt': '1' });
    expect(vfioCheck({ files, topology: handTopology() })[0]).toMatchObject({ id: 'vfio-modules', status: 'ok' });
  });

  it('is ok where vfio-pci is built in: its PCI driver is registered', () => {
    const files = handFiles({ 'sys/module/nvme/refcnt': '0', 'sys/bus/pci/drivers/vfio-pci/bind': '' });
    expect(vfioCheck({ files, topology: handTopology() })[0]?.status).toBe('ok');
  });

  it('warns with the /etc/modules fix where it is not loaded', () => {
    const files = handFiles({ 'sys/module/nvme/refcnt': '0' });
    const [c] = vfioCheck({ files, topology: handTopology() });
    expect(c).toMatchObject({ status: 'warn', title: 'vfio-pci is not loaded' });
    expect(c!.evidence[0]).toEqual({ path: '/sys/module/vfio_pci', value: '(absent)' });
    expect(c!.fix.proxmox).toMatch(/\/etc\/modules/);
  });

  it('says unknown where /sys/module was not captured', () => {
    const files = handFiles({ 'sys/bus/pci/devices': { dir: true } });
    expect(vfioCheck({ files, topology: handTopology() })[0]?.status).toBe('unknown');
  });
});
