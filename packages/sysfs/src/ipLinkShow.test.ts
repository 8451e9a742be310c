import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ipLinkShow } from './ipLinkShow';
import { parseVfInfo } from './vfInfo';

/** The real `ip` of this machine (iproute2, a test dependency), on its loopback interface. */
const dir = mkdtempSync(join(tmpdir(), 'vfmap-ip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in program for what the real `ip` cannot be made to do here (hang); named as such. */
function standIn(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('ipLinkShow (the real ip)', () => {
  it('prints one link as JSON; lo has no VF list (not reported)', async () => {
    const out = await ipLinkShow()('lo');
    expect(parseVfInfo(out, 'lo', 0)).toMatchObject({ reported: false, truncated: false });
  });

  it('a netdev that is not there: rejects with ip\'s own words', async () => {
    await expect(ipLinkShow()('vfmap-none0')).rejects.toThrow(/ip -j -d link show dev vfmap-none0 failed \(exit status 1\): Device "vfmap-none0" does not exist/);
  });

  it('passes the name as one argument, never through a shell', async () => {
    await expect(ipLinkShow()('lo; touch /tmp/x')).rejects.toThrow(/does not exist|not a valid ifname/);
  });

  it('no ip on the system: says that iproute2 is missing', async () => {
    await expect(ipLinkShow({ ip: join(dir, 'no-ip-here') })('eth1')).rejects.toThrow(/is not installed or not on PATH \(iproute2\)/);
  });

  it('kills an ip that hangs after the timeout and says so', async () => {
    const hang = standIn('ip-hangs', 'exec sleep 30');
    const started = Date.now();
    await expect(ipLinkShow({ ip: hang, timeoutMs: 200 })('eth1')).rejects.toThrow(/did not finish in 200 ms and was killed/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
