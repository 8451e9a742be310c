import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHypervisor } from '@vfmap/hypervisors';
import { generateHost, profiles, tempRoot } from '@vfmap/simhost';
import { sysfsPaths, type IpLinkShow } from '@vfmap/sysfs';
import { OperationRefused } from './errors';
import { inlineScanner } from '../scanner';
import { TopologyService } from '../topologyService';
import { stableMacSource } from './stableMacSource';
import { stableVfMacs } from './stableMacs';

// The `minimal` simulated host: one igb 82576 PF, enp1s0 at 01:00.0, its MAC the burnt-in one (addr_assign_type 0).
const PF = '0000:01:00.0';
const tmp = tempRoot();
generateHost(tmp.dir, profiles['minimal']!);
afterAll(() => tmp.remove());
const netFile = (name: string) => join(sysfsPaths(tmp.dir).pciDeviceFile(PF, 'net'), 'enp1s0', name);
const pf = async () => (await new TopologyService({ root: tmp.dir, hostId: 'mini', hypervisor: createHypervisor('none'), scanner: inlineScanner(), ipLinkShow: null }).get()).topology.pfs.find((p) => p.address === PF)!;
const ipSaying = (link: Record<string, unknown>): IpLinkShow => async () => ({ stdout: JSON.stringify([{ ifname: 'enp1s0', ...link }]), stderr: '' });

describe('stableMacSource: the stable MACs of a PF\'s VFs, from its permanent MAC', () => {
  it('derives them from the MAC sysfs reports as permanent (addr_assign_type 0)', async () => {
    const permanent = readFileSync(netFile('address'), 'utf8').trim();
    const macs = await stableMacSource({ hostId: 'mini', root: tmp.dir, ipLinkShow: null })(await pf(), 4);
    expect(macs).toEqual(stableVfMacs('mini', permanent, 4));
  });

  it('takes ip\'s permaddr when the PF\'s MAC was changed since, so the VFs keep theirs', async () => {
    const macs = await stableMacSource({ hostId: 'mini', root: tmp.dir, ipLinkShow: ipSaying({ address: '02:00:00:00:00:99', permaddr: '00:1b:21:aa:bb:cc' }) })(await pf(), 2);
    expect(macs).toEqual(stableVfMacs('mini', '00:1b:21:aa:bb:cc', 2));
  });

  it('refuses when nothing says which MAC is permanent, rather than follow the MAC the PF has now', async () => {
    const before = readFileSync(netFile('addr_assign_type'), 'utf8');
    writeFileSync(netFile('addr_assign_type'), '3\n');
    try {
      const err = await stableMacSource({ hostId: 'mini', root: tmp.dir, ipLinkShow: ipSaying({ address: '02:00:00:00:00:99' }) })(await pf(), 2).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OperationRefused);
      expect((err as OperationRefused).refusal).toEqual({ reason: 'no-permanent-mac', pf: PF });
    } finally {
      writeFileSync(netFile('addr_assign_type'), before);
    }
  });

  it('refuses a PF without a network interface', async () => {
    const err = await stableMacSource({ hostId: 'mini', root: tmp.dir, ipLinkShow: null })({ ...(await pf()), netdevs: [] }, 2).catch((e: unknown) => e);
    expect((err as OperationRefused).refusal).toEqual({ reason: 'no-net-interface', pf: PF });
  });
});
