import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHypervisor } from '@vfmap/hypervisors';
import { createSimKernel, generateHost, profiles, simPaths, tempRoot, updateVfSettings, vfSettingsTraits } from '@vfmap/simhost';
import type { IpLinkShow } from '@vfmap/sysfs';
import { vfSettingsReader } from './kernel/vfSettingsReader';
import { inlineScanner } from './scanner';
import { TopologyService } from './topologyService';

/**
 * The VF settings in the agent's topology, over a simulated host (the `minimal` profile: one igb
 * 82576, enp1s0 at 01:00.0, 2 VFs) read through the simulated kernel's `ip` — the reader
 * `--kernel simulated` picks — counting the calls.
 */
const PF = '0000:01:00.0';
let tmp: ReturnType<typeof tempRoot>;
let root: string;
beforeEach(() => {
  tmp = tempRoot();
  root = tmp.dir;
  generateHost(root, profiles['minimal']!);
});
afterEach(() => tmp.remove());

function countingIp(inner: IpLinkShow): IpLinkShow & { calls: string[] } {
  const calls: string[] = [];
  return Object.assign((ifname: string) => {
    calls.push(ifname);
    return inner(ifname);
  }, { calls });
}
const simulatedIp = () => countingIp(vfSettingsReader({ kind: 'simulated', root })!);
const service = (ipLinkShow: IpLinkShow | null, recheckMs = 0) =>
  new TopologyService({ root, hostId: 'mini', hypervisor: createHypervisor('none'), scanner: inlineScanner(), recheckMs, ipLinkShow });
const vfsOf = (t: Awaited<ReturnType<TopologyService['get']>>) => t.topology.pfs.find((p) => p.address === PF)!.vfs;
/** What `ip link set enp1s0 vf N …` from a shell does: the driver's state changes, sysfs does not. */
const setBehindTheAgentsBack = (index: number, change: Parameters<typeof updateVfSettings>[4]) =>
  updateVfSettings(simPaths(root), PF, index, vfSettingsTraits('igb')!, change);

describe('TopologyService with VF settings', () => {
  it('fills each VF\'s config, asking once per PF — not per VF — and reusing the check\'s read when it scans', async () => {
    const ip = simulatedIp();
    const t = service(ip);
    const first = await t.get();
    expect(vfsOf(first).map((v) => v.config)).toEqual([0, 1].map(() => ({
      mac: null, vlan: 0, qos: 0, vlanProtocol: '802.1Q', spoofChk: true, trust: false, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null,
    })));
    expect(first.topology.warnings).toEqual([]);
    expect(ip.calls).toEqual(['enp1s0']);
    // Each check asks once for the PF; a check that finds nothing changed does not scan.
    expect(await t.check()).toBe(first);
    expect(ip.calls).toEqual(['enp1s0', 'enp1s0']);
  });

  it('the change check sees a setting changed behind vfmap\'s back (sysfs unchanged), and the rescan shows it', async () => {
    const ip = simulatedIp();
    const t = service(ip);
    const before = await t.get();
    setBehindTheAgentsBack(1, { vlan: 100, qos: 3, trust: true, mac: '02:00:00:00:01:00' });
    const after = await t.check();
    expect(after.etag).not.toBe(before.etag);
    expect(vfsOf(after)[1]!.config).toMatchObject({ vlan: 100, qos: 3, trust: true, mac: '02:00:00:00:01:00' });
    expect(vfsOf(after)[0]!.config).toMatchObject({ vlan: 0, trust: false, mac: null });
    // The check's read served the scan: one call for the check, none more.
    expect(ip.calls).toHaveLength(2);
    expect(await t.check()).toBe(after);
  });

  it('new VFs are read when they appear, and their settings are gone when the VFs are', async () => {
    const t = service(simulatedIp());
    await t.get();
    setBehindTheAgentsBack(0, { vlan: 42 });
    expect(vfsOf(await t.check())[0]!.config?.vlan).toBe(42);
    const kernel = createSimKernel(root);
    kernel.writeAttribute(join(root, 'sys/bus/pci/devices', PF, 'sriov_numvfs'), '0');
    expect(vfsOf(await t.check())).toEqual([]);
    kernel.writeAttribute(join(root, 'sys/bus/pci/devices', PF, 'sriov_numvfs'), '3');
    const three = await t.check();
    expect(vfsOf(three).map((v) => v.config?.vlan)).toEqual([0, 0, 0]);
    // The fingerprint it keeps covers the reads of the new VFs: the next check finds nothing changed.
    expect(await t.check()).toBe(three);
  });

  it('a read that fails: config null for that PF\'s VFs and a warning; when it works again, the next check rescans', async () => {
    const working = simulatedIp();
    let broken = true;
    const ip: IpLinkShow = (ifname) => (broken ? Promise.reject(new Error('ip is not installed or not on PATH (iproute2), so VF settings cannot be read')) : working(ifname));
    const t = service(ip);
    const first = await t.get();
    expect(vfsOf(first).map((v) => v.config)).toEqual([null, null]);
    expect(first.topology.warnings).toEqual([
      { code: 'vf-settings-unreadable', message: `the VF settings of PF ${PF} (enp1s0) could not be read: ip is not installed or not on PATH (iproute2), so VF settings cannot be read` },
    ]);
    broken = false;
    const fixed = await t.check();
    expect(fixed.topology.warnings).toEqual([]);
    expect(vfsOf(fixed).every((v) => v.config !== null)).toBe(true);
  });

  it('a PF whose netdev vanished (renamed, gone): the simulated ip says so, and the VFs\' config is null', async () => {
    const ip = countingIp(async (ifname) => vfSettingsReader({ kind: 'simulated', root })!(ifname === 'enp1s0' ? 'enp9s9' : ifname));
    const t = await service(ip).get();
    expect(vfsOf(t).map((v) => v.config)).toEqual([null, null]);
    expect(t.topology.warnings[0]?.message).toMatch(/Device "enp9s9" does not exist/);
  });

  it('without a reader (--kernel none) nothing is asked and every config is null, without a warning', async () => {
    expect(vfSettingsReader({ kind: 'none' })).toBeNull();
    const first = await service(null).get();
    expect(vfsOf(first).map((v) => v.config)).toEqual([null, null]);
    expect(first.topology.warnings).toEqual([]);
  });
});
