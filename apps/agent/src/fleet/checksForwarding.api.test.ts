import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostChecks, PROBLEM_CONTENT_TYPE } from '@vfmap/model';
import { startSimAgent, tempDir, type SimAgent } from '../testing/simAgent';

/** Two real agents over simulated hosts: `a` (demo) serves its fleet (--peer b); b (sriov-blocked) is checked through a. */
let a: SimAgent;
let b: SimAgent;

beforeAll(async () => {
  const dir = tempDir('vfmap-fleet-checks-');
  const credentialFile = join(dir, 'fleet.token');
  writeFileSync(credentialFile, 'fleet-credential-0123456789abcdef\n', { mode: 0o600 });
  const fleetArgs = ['--fleet-token-file', credentialFile, '--peer-timeout-ms', '1500'];
  b = await startSimAgent({ profile: 'sriov-blocked', args: ['--host-id', 'pve2', ...fleetArgs] });
  a = await startSimAgent({ profile: 'minimal', args: ['--host-id', 'pve1', ...fleetArgs, '--peer', b.agent.url] });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("a peer's checks through the agent serving the fleet", () => {
  it("serves the peer's GET …/checks as the peer does", async () => {
    const own = HostChecks.parse(await (await fetch(b.url('/api/v1/hosts/pve2/checks'))).json());
    const res = await fetch(a.url('/api/v1/hosts/pve2/checks'));
    expect(res.status).toBe(200);
    expect(HostChecks.parse(await res.json())).toEqual(own);
    expect(own.checks.find((c) => c.id === 'iommu')?.status).toBe('fail');
  });

  it('answers a host neither knows with a problem', async () => {
    const res = await fetch(a.url('/api/v1/hosts/pve9/checks'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  });
});
