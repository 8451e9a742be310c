import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseVfInfo } from '@vfmap/sysfs';
import { generateHost } from './generateHost';
import { simIpLinkShow, SimIpError } from './ipLinkJson';
import { writeNumvfsIntent } from './numvfsIntent';
import { profiles } from './profiles';
import { createSimKernel, settleSimKernel } from './simKernel';
import { simPaths } from './simPaths';
import { tempRoot } from './tempRoot';
import { readPfVfSettings, updateVfSettings, vfSettingsTraits } from './vfSettings';

/** The `minimal` profile: one igb 82576 (enp1s0) at 01:00.0 with 2 VFs, as the boot script left it. */
const PF = '0000:01:00.0';
let tmp: ReturnType<typeof tempRoot>;
let root: string;
beforeEach(() => {
  tmp = tempRoot();
  root = tmp.dir;
  generateHost(root, profiles['minimal']!);
});
afterEach(() => tmp.remove());

const write = (path: string, value: string) => createSimKernel(root).writeAttribute(join(root, 'sys/bus/pci/devices', PF, path), value);
const vfinfo = () => (JSON.parse(simIpLinkShow(root, 'enp1s0').stdout) as [{ vfinfo_list?: unknown[] }])[0].vfinfo_list;
const configs = () => parseVfInfo(simIpLinkShow(root, 'enp1s0'), 'enp1s0', Number(readFileSync(join(root, 'sys/bus/pci/devices', PF, 'sriov_numvfs'), 'utf8')));
const igb = vfSettingsTraits('igb')!;
/** What the simulated driver keeps for the PF's VFs (undefined: nothing). */
const kept = () => {
  const list = readPfVfSettings(simPaths(root), PF);
  return list.length === 0 ? undefined : list;
};
/** The real 82576's vfinfo_list with 4 fresh VFs (fixtures/realkernel-igb/ip-link/vfs-enabled/eth1.json). */
const realIgbList = () =>
  (JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/realkernel-igb/ip-link/vfs-enabled/eth1.json'), 'utf8')) as [{ vfinfo_list: unknown[] }])[0].vfinfo_list;

describe('the simulated kernel keeps each VF\'s settings as the PF\'s driver does', () => {
  it('prints, for fresh igb VFs, exactly the vfinfo_list the real 82576 printed', () => {
    write('sriov_numvfs', '0');
    write('sriov_numvfs', '4');
    expect(vfinfo()).toEqual(realIgbList());
  });

  it('prints the link as ip -j does, for the PF the netdev belongs to', () => {
    const [link] = JSON.parse(simIpLinkShow(root, 'enp1s0').stdout) as [Record<string, unknown>];
    expect(link).toMatchObject({ ifname: 'enp1s0', link_type: 'ether', address: '52:54:00:12:35:01', parentbus: 'pci', parentdev: PF });
    expect(configs()).toMatchObject({ reported: true, truncated: false, problems: [] });
  });

  it('a setting changed is printed with iproute2\'s keys (VLAN, qos, 802.1ad, rate, trust) and read back by the agent\'s parser', () => {
    updateVfSettings(simPaths(root), PF, 1, igb, { mac: '02:00:00:00:01:01', vlan: 100, qos: 3, vlanProtocol: '802.1ad', maxTxRate: 100, trust: true, spoofChk: false });
    expect(vfinfo()![1]).toEqual({
      vf: 1, link_type: 'ether', address: '02:00:00:00:01:01', broadcast: 'ff:ff:ff:ff:ff:ff', vlan_list: [{ vlan: 100, qos: 3, protocol: '802.1ad' }],
      tx_rate: 100, rate: { max_tx: 100, min_tx: 0 }, spoofchk: false, link_state: 'auto', trust: true,
    });
    expect(configs().configs.get(1)).toEqual({
      mac: '02:00:00:00:01:01', vlan: 100, qos: 3, vlanProtocol: '802.1ad', spoofChk: false, trust: true, linkState: 'auto', maxTxRateMbps: 100, minTxRateMbps: 0, queryRss: null,
    });
    expect(configs().configs.get(0)?.vlan).toBe(0);
  });

  it('loses them when the VFs are destroyed: sriov_numvfs 0, then new VFs start with the defaults', () => {
    updateVfSettings(simPaths(root), PF, 0, igb, { vlan: 100 });
    write('sriov_numvfs', '0');
    expect(vfinfo()).toEqual([]);
    expect(kept()).toBeUndefined();
    write('sriov_numvfs', '2');
    expect(kept()).toHaveLength(2);
    expect(configs().configs.get(0)?.vlan).toBe(0);
  });

  it('loses them when igb is unbound from the PF (its remove() disables SR-IOV)', () => {
    updateVfSettings(simPaths(root), PF, 0, igb, { trust: true });
    createSimKernel(root).writeAttribute(join(root, 'sys/bus/pci/drivers/igb/unbind'), PF);
    expect(kept()).toBeUndefined();
    createSimKernel(root).writeAttribute(join(root, 'sys/bus/pci/drivers/igb/bind'), PF);
    write('sriov_numvfs', '2');
    expect(configs().configs.get(0)?.trust).toBe(false);
  });

  it('loses them when a disable that a killed writer left half-done is finished', () => {
    updateVfSettings(simPaths(root), PF, 0, igb, { vlan: 7 });
    writeNumvfsIntent(simPaths(root), { pf: PF, from: 2, to: 0 });
    settleSimKernel(root);
    expect(vfinfo()).toEqual([]);
    expect(kept()).toBeUndefined();
    write('sriov_numvfs', '2');
    expect(configs().configs.get(0)?.vlan).toBe(0);
  });

  it('keeps them in a small file per PF beside the kernel\'s notes, never under sys/', () => {
    updateVfSettings(simPaths(root), PF, 1, igb, { vlan: 5 });
    const file = JSON.parse(readFileSync(join(simPaths(root).simState, 'vf-settings', `${PF}.json`), 'utf8')) as Array<{ vlan: number }>;
    expect(file.map((s) => s.vlan)).toEqual([0, 5]);
  });

  it('an interface that does not exist: ip\'s "Device … does not exist."', () => {
    expect(() => simIpLinkShow(root, 'eth9')).toThrow(SimIpError);
    expect(() => simIpLinkShow(root, 'eth9')).toThrow('Device "eth9" does not exist.');
    expect(() => simIpLinkShow(root, '../../..')).toThrow(SimIpError);
  });

  it('a netdev whose driver keeps no VF settings (a VF\'s igbvf) has no vfinfo_list', () => {
    expect(readdirSync(join(root, 'sys/class/net'))).toContain('enp1s0v1');
    const [link] = JSON.parse(simIpLinkShow(root, 'enp1s0v1').stdout) as [Record<string, unknown>];
    expect(link).toMatchObject({ ifname: 'enp1s0v1', parentdev: '0000:01:10.2' });
    expect(link).not.toHaveProperty('vfinfo_list');
  });
});
