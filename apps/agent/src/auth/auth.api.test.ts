import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage } from '@vfmap/model';
import { DEMO, problemOf, startSimAgent, TOKEN, type SimAgent } from '../testing/simAgent';
import { tokenId } from './writeToken';

describe('writes need the bearer token', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent();
  });
  afterAll(() => host?.close());

  const put = (token: string | null, headers: Record<string, string> = {}) =>
    fetch(host.api(`/pfs/${DEMO.x710p1}/numvfs`), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...headers },
      body: JSON.stringify({ count: 1 }),
    });

  it('answers 401 with WWW-Authenticate to a write without a token, and changes nothing', async () => {
    const res = await put(null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="vfmap"');
    expect(await problemOf(res)).toMatchObject({ type: 'urn:vfmap:problem:unauthorized', status: 401 });
    expect((await host.topology()).pfs.find((p) => p.address === DEMO.x710p1)!.numVfs).toBe(0);
  });

  it('answers 401 invalid_token to a wrong token, a token of another scheme, and a prefix of the right one', async () => {
    for (const res of [await put('not-the-token-at-all'), await put(TOKEN.slice(0, -1)), await put(`${TOKEN}x`)]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    const basic = await put(null, { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` });
    expect(basic.status).toBe(401);
  });

  it('does the write with the token, and the audit log names the token by its id and the client by its address', async () => {
    expect((await put(TOKEN)).status).toBe(200);
    expect((await host.request('DELETE', '/vfs/0000:18:01.0/assignment', undefined, null)).status).toBe(401);
    expect((await host.request('POST', '/vfs/0000:18:11.1/assignment', { vmId: '103' }, 'wrong-token-0000000')).status).toBe(401);
    const audit = AuditPage.parse(await (await fetch(host.api('/audit'))).json());
    const done = audit.entries.filter((e) => e.result === 'ok');
    expect(done).toHaveLength(1);
    expect(done[0]!.who).toEqual({ principal: tokenId(TOKEN), address: expect.stringMatching(/127\.0\.0\.1$/) });
    // Refused for want of a token: audited as such, naming no token.
    const [assign, release] = audit.entries;
    expect(assign).toMatchObject({ result: 'unauthorized', operation: 'assign', target: '0000:18:11.1', who: { principal: 'unauthenticated' }, problem: { status: 401 } });
    expect(release).toMatchObject({ result: 'unauthorized', operation: 'release', target: '0000:18:01.0', before: null, after: null });
    expect(JSON.stringify(audit)).not.toContain('wrong-token');
  });

  it('needs no token to read', async () => {
    for (const path of ['/topology', '/audit']) expect((await fetch(host.api(path))).status).toBe(200);
  });
});

describe('an agent started with --read-only', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent({ args: ['--read-only'], env: {} });
  });
  afterAll(() => host?.close());

  it('refuses every write with 403, token or not, and makes no token', async () => {
    const attempts = [
      await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 1 }),
      await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 1 }, null),
      await host.request('POST', '/vfs/0000:18:11.1/assignment', { vmId: '103' }),
      await host.request('DELETE', '/vfs/0000:18:01.0/assignment'),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(await problemOf(res)).toMatchObject({ type: 'urn:vfmap:problem:read-only' });
    }
    expect(host.agent.writeToken).toBeNull();
    expect((await host.topology()).pfs.find((p) => p.address === DEMO.x710p1)!.numVfs).toBe(0);
  });
});

describe('an agent without VFMAP_TOKEN or --token-file', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent({ env: {} });
  });
  afterAll(() => host?.close());

  it('makes its token in the state directory, says so once, and takes writes with it', async () => {
    const token = host.agent.writeToken!;
    expect(token).toMatchObject({ source: 'state-dir', created: true });
    expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 1 }, token.value)).status).toBe(200);
    expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 2 })).status).toBe(401);
  });
});
