import { afterAll, describe, expect, it } from 'vitest';
import { generateHost, profiles, simIpLinkShow, tempRoot } from '@vfmap/simhost';
import { parseVfInfo } from '@vfmap/sysfs';
import { vfSettingsReader } from './vfSettingsReader';

const tmp = tempRoot();
generateHost(tmp.dir, profiles['minimal']!);
afterAll(() => tmp.remove());

describe('vfSettingsReader: where VF settings are read, by --kernel', () => {
  it('real: this machine\'s ip (its loopback prints a link without a VF list)', async () => {
    const out = await vfSettingsReader({ kind: 'real' })!('lo');
    expect(JSON.parse(out.stdout)).toMatchObject([{ ifname: 'lo' }]);
    expect(parseVfInfo(out, 'lo', 0).reported).toBe(false);
  });

  it('simulated: what the simulated kernel prints for the tree, and ip\'s failure for an unknown interface', async () => {
    const read = vfSettingsReader({ kind: 'simulated', root: tmp.dir })!;
    expect(await read('enp1s0')).toEqual(simIpLinkShow(tmp.dir, 'enp1s0'));
    expect(parseVfInfo(await read('enp1s0'), 'enp1s0', 2).configs.size).toBe(2);
    await expect(read('eth9')).rejects.toThrow('ip -j -d link show dev eth9 failed (exit status 1) on the simulated host: Device "eth9" does not exist.');
  });

  it('none: nothing to read (a captured tree has no kernel behind it)', () => {
    expect(vfSettingsReader({ kind: 'none' })).toBeNull();
  });
});
