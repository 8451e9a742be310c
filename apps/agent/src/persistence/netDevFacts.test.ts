import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFixture, fixture, removeFixture } from '../../../../packages/sysfs/test/extractFixture';
import { hostTree } from './hostTree';
import { readNetDevFacts } from './netDevFacts';

let root: string;
beforeAll(() => {
  root = extractFixture(fixture('realkernel-igb', 'igb-baseline'));
});
afterAll(() => removeFixture(root));

describe('readNetDevFacts on the real igb capture', () => {
  it('reads what udev matches the PF by: the kernel name, the permanent MAC, the driver, the path', async () => {
    expect(await readNetDevFacts(root, '0000:04:00.0')).toEqual({
      name: 'eth1',
      kernelName: 'eth1',
      permanentMac: '52:54:00:12:35:01',
      mac: '52:54:00:12:35:01',
      driver: 'igb',
      path: 'pci-0000:04:00.0',
      type: 'ether',
      properties: null,
    });
  });
  it('says null for a PF without a net interface (the NVMe PF)', async () => {
    expect(await readNetDevFacts(root, '0000:01:00.0')).toBeNull();
    expect(await readNetDevFacts(root, '0000:99:00.0')).toBeNull();
  });
  it('takes the permanent MAC ip reports over sysfs', async () => {
    expect((await readNetDevFacts(root, '0000:05:00.0', '52:54:00:aa:bb:cc'))?.permanentMac).toBe('52:54:00:aa:bb:cc');
  });
});

describe('readNetDevFacts on a renamed interface with a changed MAC', () => {
  it('knows neither the kernel name nor the permanent MAC, rather than guess them', async () => {
    const net = '/sys/bus/pci/devices/0000:01:00.0/net/nic0';
    const tree = hostTree({ [`${net}/address`]: '02:11:22:33:44:55\n', [`${net}/addr_assign_type`]: '3\n', [`${net}/name_assign_type`]: '4\n', [`${net}/type`]: '1\n' });
    try {
      expect(await readNetDevFacts(tree.root, '0000:01:00.0')).toMatchObject({ name: 'nic0', kernelName: null, permanentMac: null, mac: '02:11:22:33:44:55', driver: null });
    } finally {
      tree.remove();
    }
  });
});
