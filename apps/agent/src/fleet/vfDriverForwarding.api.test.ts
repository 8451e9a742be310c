import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, PfWriteResult, VfDriverResult, VfInUseProblem } from '@vfmap/model';
import { problemOf, startSimAgent, tempDir, TOKEN, type SimAgent } from '../testing/simAgent';

/**
 * The VF driver and autoprobe writes through a fleet: agent `a` (pve1) forwards a write for its
 * peer `b` (pve2, the minimal profile: one 82576 PF with 2 VFs, VF 0 held by a running VM) to b's
 * agent, which does it and records who forwarded it.
 */
const MINI_PF = '0000:01:00.0';
const MINI_HELD_VF = '0000:01:10.0';
const MINI_FREE_VF = '0000:01:10.2';

let a: SimAgent;
let b: SimAgent;

beforeAll(async () => {
  const dir = tempDir('vfmap-fleet-vfdriver-');
  const credentialFile = join(dir, 'fleet.token');
  writeFileSync(credentialFile, 'fleet-credential-0123456789abcdef\n', { mode: 0o600 });
  const fleet = ['--fleet-token-file', credentialFile, '--peer-timeout-ms', '3000'];
  b = await startSimAgent({ profile: 'minimal', args: ['--host-id', 'pve2', ...fleet] });
  a = await startSimAgent({ args: ['--host-id', 'pve1', ...fleet, '--peer', b.agent.url] });
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const put = (path: string, body: unknown) =>
  fetch(a.url(`/api/v1/hosts/pve2${path}`), { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe("a peer's VF driver and autoprobe, through the fleet", () => {
  it("binds a peer's VF to vfio-pci on the peer, audited there as forwarded", async () => {
    const res = await put(`/vfs/${MINI_FREE_VF}/driver`, { driver: 'vfio-pci' });
    expect(res.status).toBe(200);
    expect(VfDriverResult.parse(await res.json())).toMatchObject({ driver: 'vfio-pci', changed: true, vf: { address: MINI_FREE_VF } });
    const audit = AuditPage.parse(await (await fetch(b.url('/api/v1/hosts/pve2/audit'))).json());
    expect(audit.entries[0]).toMatchObject({ operation: 'vfdriver', target: MINI_FREE_VF, result: 'ok', who: { forwardedBy: 'pve1' } });
  });

  it("answers the peer's refusal as the peer did", async () => {
    const res = await put(`/vfs/${MINI_HELD_VF}/driver`, { driver: null });
    expect(res.status).toBe(409);
    expect(await problemOf(res, VfInUseProblem)).toMatchObject({ reason: 'vf-in-use', vmState: 'running' });
  });

  it("switches a peer's PF's autoprobe", async () => {
    const res = await put(`/pfs/${MINI_PF}/autoprobe`, { enabled: false });
    expect(res.status).toBe(200);
    expect(PfWriteResult.parse(await res.json())).toMatchObject({ changed: true, pf: { address: MINI_PF, driversAutoprobe: false } });
  });
});
