import { afterEach, describe, expect, it } from 'vitest';
import type { NetDevFacts } from './linkMatch';
import { hostTree, type HostTree } from './hostTree';
import { scanOwners, type KeptPf, type OwnerFinding } from './scanOwners';

const eno1: NetDevFacts = {
  name: 'eno1',
  kernelName: null,
  permanentMac: '3c:ec:ef:00:00:01',
  mac: '3c:ec:ef:00:00:01',
  driver: 'igb',
  path: 'pci-0000:01:00.0',
  type: 'ether',
  properties: null,
};
const kept: KeptPf[] = [{ address: '0000:01:00.0', netdev: eno1, driver: 'igb' }];

const trees: HostTree[] = [];
afterEach(() => {
  for (const t of trees.splice(0)) t.remove();
});

async function scan(files: Record<string, string>, keptPfs: KeptPf[] = kept): Promise<OwnerFinding[]> {
  const tree = hostTree(files);
  trees.push(tree);
  return scanOwners(tree.root, keptPfs);
}

/** The parts a person reads: what, where, which PF, competing or not. */
function brief(f: OwnerFinding) {
  return { kind: f.kind, at: `${f.path}:${f.line}`, sets: f.sets, pf: f.pf, competes: f.competes };
}

describe('scanOwners: other owners of the VF count and VF settings', () => {
  it('finds nothing on a host with none', async () => {
    expect(await scan({ '/etc/hostname': 'pve1\n' })).toEqual([]);
  });

  it('finds sysfsutils lines by PCI address or interface, skipping mode/owner lines and comments', async () => {
    const found = await scan({
      '/etc/sysfs.conf': '# sriov_numvfs = 8\nmode bus/pci/devices/0000:01:00.0/sriov_numvfs = 0644\nbus/pci/devices/0000:01:00.0/sriov_numvfs = 4\n',
      '/etc/sysfs.d/sriov.conf': 'class/net/eno2/device/sriov_numvfs = 2\n',
    });
    expect(found.map(brief)).toEqual([
      { kind: 'sysfs-conf', at: '/etc/sysfs.conf:3', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'sysfs-conf', at: '/etc/sysfs.d/sriov.conf:1', sets: 'count', pf: null, competes: 'no' },
    ]);
    expect(found[0]!.note).toContain('writes 4');
  });

  it('finds udev rules writing ATTR{device/sriov_numvfs}, naming the PF by KERNEL== or its MAC', async () => {
    const found = await scan({
      '/etc/udev/rules.d/70-sriov.rules': 'ACTION=="add", SUBSYSTEM=="net", KERNEL=="eno1", ATTR{device/sriov_numvfs}="8"\n',
      '/lib/udev/rules.d/80-vendor.rules': 'ACTION=="add", SUBSYSTEM=="net", ATTR{address}=="3C:EC:EF:00:00:01", ATTR{device/sriov_numvfs}="2"\nACTION=="add", SUBSYSTEM=="pci", KERNEL=="0000:02:00.0", ATTR{sriov_numvfs}="4"\n',
      '/etc/udev/rules.d/90-any.rules': 'ACTION=="add", SUBSYSTEM=="net", KERNEL=="en*", ATTR{device/sriov_numvfs}="1"\n',
    });
    expect(found.map(brief)).toEqual([
      { kind: 'udev-rule', at: '/etc/udev/rules.d/70-sriov.rules:1', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'udev-rule', at: '/etc/udev/rules.d/90-any.rules:1', sets: 'count', pf: null, competes: 'maybe' },
      { kind: 'udev-rule', at: '/lib/udev/rules.d/80-vendor.rules:1', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'udev-rule', at: '/lib/udev/rules.d/80-vendor.rules:2', sets: 'count', pf: null, competes: 'no' },
    ]);
  });

  it('finds units, their drop-ins and rc.local writing sriov_numvfs or setting VFs with ip', async () => {
    const found = await scan({
      '/etc/systemd/system/sriov.service': '[Service]\nType=oneshot\nExecStart=/bin/sh -c "echo 4 > /sys/class/net/eno1/device/sriov_numvfs"\n',
      '/etc/systemd/system/other.service.d/vf.conf': '[Service]\nExecStartPost=/sbin/ip link set eno1 vf 0 mac 02:00:00:00:00:01\n',
      '/etc/systemd/system/multi-user.target.wants/placeholder': 'sriov_numvfs\n',
      '/etc/rc.local': '#!/bin/sh\n# echo 8 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs\necho 8 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs\nexit 0\n',
    });
    expect(found.map(brief)).toEqual([
      { kind: 'systemd-unit', at: '/etc/systemd/system/sriov.service:3', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'systemd-unit', at: '/etc/systemd/system/other.service.d/vf.conf:2', sets: 'vf-settings', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'rc-local', at: '/etc/rc.local:3', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
    ]);
  });

  it('finds max_vfs= module options, competing with every PF of that driver', async () => {
    const found = await scan({ '/etc/modprobe.d/igb.conf': 'options igb max_vfs=7,7\n', '/etc/modprobe.d/ixgbe.conf': 'options ixgbe max_vfs=4\nblacklist ixgbevf\n' });
    expect(found.map(brief)).toEqual([
      { kind: 'modprobe-max-vfs', at: '/etc/modprobe.d/igb.conf:1', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'modprobe-max-vfs', at: '/etc/modprobe.d/ixgbe.conf:1', sets: 'count', pf: null, competes: 'no' },
    ]);
    expect(found[0]!.target.driver).toBe('igb');
  });

  it('finds NetworkManager [sriov] total-vfs and vfs, by interface-name or MAC', async () => {
    const found = await scan({
      '/etc/NetworkManager/system-connections/eno1.nmconnection': '[connection]\nid=eno1\ntype=ethernet\ninterface-name=eno1\n\n[sriov]\ntotal-vfs=4\nvfs=0 mac=02:00:00:00:00:01 trust=true\n',
      '/etc/NetworkManager/system-connections/bymac.nmconnection': '[connection]\nid=x\n[ethernet]\nmac-address=3C:EC:EF:00:00:01\n[sriov]\ntotal-vfs=2\n',
    });
    expect(found.map(brief)).toEqual([
      { kind: 'networkmanager', at: '/etc/NetworkManager/system-connections/bymac.nmconnection:6', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'networkmanager', at: '/etc/NetworkManager/system-connections/eno1.nmconnection:7', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'networkmanager', at: '/etc/NetworkManager/system-connections/eno1.nmconnection:8', sets: 'vf-settings', pf: '0000:01:00.0', competes: 'yes' },
    ]);
    expect(found[0]!.note).toContain('goes down');
  });

  it('finds networkd .network files with SR-IOV, matching their [Match] against the kept PFs', async () => {
    const found = await scan({
      '/etc/systemd/network/10-eno1.network': '[Match]\nPermanentMACAddress=3c:ec:ef:00:00:01\n[Link]\nSR-IOVVirtualFunctions=4\n[SR-IOV]\nVirtualFunction=0\nTrust=yes\n',
      '/etc/systemd/network/20-other.network': '[Match]\nDriver=mlx5_core\n[SR-IOV]\nVirtualFunction=1\n',
      '/etc/systemd/network/30-plain.network': '[Match]\nName=eno1\n[Network]\nDHCP=yes\n',
    });
    expect(found.map(brief)).toEqual([
      { kind: 'networkd-network', at: '/etc/systemd/network/10-eno1.network:4', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'networkd-network', at: '/etc/systemd/network/10-eno1.network:6', sets: 'vf-settings', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'networkd-network', at: '/etc/systemd/network/20-other.network:4', sets: 'vf-settings', pf: null, competes: 'no' },
    ]);
  });

  it('finds ifupdown up-commands, naming the PF from the line or its iface stanza', async () => {
    const found = await scan({
      '/etc/network/interfaces': 'auto eno1\niface eno1 inet manual\n    post-up echo 4 > /sys/class/net/$IFACE/device/sriov_numvfs\n    # post-up ip link set eno1 vf 0 vlan 5\n\nauto vmbr0\niface vmbr0 inet static\n    pre-up ip link set dev eno2 vf 1 vlan 10\n',
      '/etc/network/interfaces.d/sriov': 'iface eno1 inet manual\n  up echo 2 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs\n',
    });
    expect(found.map(brief)).toEqual([
      { kind: 'ifupdown', at: '/etc/network/interfaces:3', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
      { kind: 'ifupdown', at: '/etc/network/interfaces:8', sets: 'vf-settings', pf: null, competes: 'no' },
      { kind: 'ifupdown', at: '/etc/network/interfaces.d/sriov:2', sets: 'count', pf: '0000:01:00.0', competes: 'yes' },
    ]);
  });

  it('reports the SR-IOV network operator\'s directory as an owner of every PF', async () => {
    const found = await scan({ '/etc/sriov-operator/sriov-interface-result.yaml': 'syncStatus: Succeeded\n' });
    expect(found.map(brief)).toEqual([{ kind: 'sriov-operator', at: '/etc/sriov-operator/sriov-interface-result.yaml:null', sets: 'count-and-vf-settings', pf: null, competes: 'maybe' }]);
  });

  it('says nothing competes when vfmap keeps no PF', async () => {
    const found = await scan({ '/etc/sysfs.conf': 'bus/pci/devices/0000:01:00.0/sriov_numvfs = 4\n', '/etc/udev/rules.d/x.rules': 'KERNEL=="en*", ATTR{device/sriov_numvfs}="1"\n' }, []);
    expect(found.map((f) => f.competes)).toEqual(['no', 'no']);
  });
});
