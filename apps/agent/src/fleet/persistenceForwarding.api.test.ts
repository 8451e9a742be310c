import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, HostPersistence, PfWriteResult } from '@vfmap/model';
import { startSimAgent, tempDir, TOKEN, type SimAgent } from '../testing/simAgent';

/** Two real agents over simulated hosts: `a` serves its fleet (--peer b); b's persistence is read and written through a. */
const MINI_PF = '0000:01:00.0';

let a: SimAgent;
let b: SimAgent;

beforeAll(async () => {
  const dir = tempDir('vfmap-fleet-persist-');
  const credentialFile = join(dir, 'fleet.token');
  writeFileSync(credentialFile, 'fleet-credential-0123456789abcdef\n', { mode: 0o600 });
  const fleetArgs = ['--fleet-token-file', credentialFile, '--peer-timeout-ms', '1500'];
  b = await startSimAgent({ profile: 'minimal', args: ['--host-id', 'pve2', ...fleetArgs] });
  a = await startSimAgent({ profile: 'minimal', args: ['--host-id', 'pve1', ...fleetArgs, '--peer', b.agent.url] });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("a peer's persistence through the agent serving the fleet", () => {
  it("serves the peer's GET …/persistence as the peer does", async () => {
    const own = HostPersistence.parse(await (await fetch(b.url('/api/v1/hosts/pve2/persistence'))).json());
    const res = await fetch(a.url('/api/v1/hosts/pve2/persistence'));
    expect(res.status).toBe(200);
    expect(HostPersistence.parse(await res.json())).toEqual(own);
    expect(own.pfs.map((p) => p.pf)).toContain(MINI_PF);
  });

  it('passes POST …/persist to the peer, which does it and audits who forwarded it', async () => {
    const res = await fetch(a.url(`/api/v1/hosts/pve2/pfs/${MINI_PF}/persist`), { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const result = PfWriteResult.parse(await res.json());
    const audit = AuditPage.parse(await (await fetch(b.url('/api/v1/hosts/pve2/audit'))).json());
    expect(audit.entries[0]).toMatchObject({ id: result.operationId, operation: 'persist', target: MINI_PF, result: 'ok', who: { forwardedBy: 'pve1' } });
  });
});
