import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, AuthFailuresProblem } from '@vfmap/model';
import { DEMO, problemOf, startSimAgent, TOKEN, type SimAgent } from '../testing/simAgent';
import { rawRequest } from '../testing/rawHttp';
import { rememberMethod } from '../testing/documentedProblems';

describe('failed write authentications, counted per client address', () => {
  let host: SimAgent;
  let now = Date.parse('2026-01-01T00:00:00Z');
  beforeAll(async () => {
    host = await startSimAgent({ now: () => now });
  });
  afterAll(() => host?.close());

  const put = (count: number, token: string | null) =>
    fetch(host.api(`/pfs/${DEMO.x710p1}/numvfs`), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ count }),
    }).then((res) => rememberMethod(res, 'PUT'));
  const putFrom = (localAddress: string, count: number, token: string) =>
    rawRequest(host.api(`/pfs/${DEMO.x710p1}/numvfs`), { method: 'PUT', localAddress, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ count }) });
  const numVfs = async () => (await host.topology()).pfs.find((p) => p.address === DEMO.x710p1)!.numVfs;

  it('refuses every write of an address with 429 and Retry-After after 10 failures, even with the right token, until the window has passed', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await put(1, `wrong-token-${i}-0123456789`)).status).toBe(401);
      expect((await put(1, null)).status).toBe(401);
      now += 1_000;
    }
    // Failures at 0..4 s; now 5 s: the first leaves the 60 s window at 60 s.
    const refused = await put(1, TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('55');
    expect(refused.headers.get('www-authenticate')).toBeNull();
    expect(await problemOf(refused, AuthFailuresProblem)).toMatchObject({ type: 'urn:vfmap:problem:too-many-failures', status: 429, retryAfter: 55 });
    expect(await numVfs()).toBe(0);

    // Another address is not concerned, and its success resets nobody's count.
    const other = await putFrom('127.0.0.2', 1, TOKEN);
    expect(other.status).toBe(200);
    expect(await numVfs()).toBe(1);
    expect((await put(2, TOKEN)).status).toBe(429);
    // Reads are not limited.
    expect((await fetch(host.api('/topology'))).status).toBe(200);

    now += 54_000; // 59 s: the first failure is still in the window
    expect((await put(2, TOKEN)).status).toBe(429);
    now += 1_000; // 60 s: it has left
    expect((await put(2, TOKEN)).status).toBe(200);
    expect(await numVfs()).toBe(2);
  });

  it('audits each failure and refusal with the address, naming no token', async () => {
    const { entries } = AuditPage.parse(await (await fetch(host.api('/audit?limit=100'))).json());
    const local = entries.filter((e) => e.who.address?.endsWith('127.0.0.1'));
    expect(local.filter((e) => e.result === 'unauthorized')).toHaveLength(10);
    expect(local.filter((e) => e.result === 'rate-limited')).toHaveLength(3);
    for (const e of local.filter((e) => e.result !== 'ok')) {
      expect(e).toMatchObject({ operation: 'numvfs', target: DEMO.x710p1, host: 'sim', who: { principal: 'unauthenticated' }, before: null, after: null });
    }
    expect(local.find((e) => e.result === 'rate-limited')).toMatchObject({ problem: { type: 'urn:vfmap:problem:too-many-failures', status: 429 } });
    expect(entries.filter((e) => e.result === 'ok').map((e) => e.who.address)).toEqual([expect.stringMatching(/127\.0\.0\.1$/), expect.stringMatching(/127\.0\.0\.2$/)]);
    expect(JSON.stringify(entries)).not.toContain('wrong-token');
  });
});
