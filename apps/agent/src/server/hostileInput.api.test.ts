import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputProblem, MalformedRequestProblem, UnknownResourceProblem, UnreadableBodyProblem } from '@vfmap/model';
import { apiRoutes } from '../routes/apiRoutes';
import type { RouteDeclaration } from '../routes/route';
import { rememberMethod } from '../testing/documentedProblems';
import { DEMO, HOST, problemOf, startSimAgent, TOKEN, type SimAgent } from '../testing/simAgent';

/** A valid value of each path parameter the routes have. */
const validParam: Record<string, string> = { host: HOST, pf: DEMO.x710p1, vf: '0000:18:01.0' };

function pathOf(route: RouteDeclaration, params: Record<string, string>): string {
  return route.path.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? validParam[name]!);
}

/** What the socket received and whether the server closed it, `waitMs` after sending `text`. */
function rawExchange(agentUrl: string, text: string, waitMs: number): Promise<{ received: string; closedAfterMs: number | null }> {
  const { hostname, port } = new URL(agentUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const started = Date.now();
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedAfterMs: null });
    }, waitMs);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
    socket.write(text);
  });
}

function rawPut(path: string, headers: Record<string, string>, body: string): string {
  const lines = [`PUT ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** The VF counts in the simulated tree, the desired counts and the audit log: what a refused request must leave alone. */
function stateOf(host: SimAgent): string {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '(none)';
    }
  };
  const counts = [DEMO.e810p0, DEMO.e810p1, DEMO.x710p1, DEMO.cx6p1].map((pf) => read(host.attr(pf, 'sriov_numvfs')));
  return JSON.stringify({ counts, desired: read(join(host.stateDir, 'desired.json')), audit: read(join(host.stateDir, 'audit.jsonl')) });
}

describe('hostile input', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent();
  });
  afterAll(() => host?.close());

  const withParams = Object.values(apiRoutes).filter((r: RouteDeclaration) => Object.keys(r.params.shape).length > 0);

  it('answers 400 to a path parameter with bad percent-encoding, on every route with parameters', async () => {
    expect(withParams.length).toBeGreaterThanOrEqual(6);
    for (const route of withParams) {
      for (const name of Object.keys(route.params.shape)) {
        for (const bad of ['%zz', '%', '%u0000', '%E0%A4%A']) {
          const path = pathOf(route, { [name]: bad });
          const res = rememberMethod(
            await fetch(new URL(path, host.agent.url), {
              method: route.method.toUpperCase(),
              headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
              ...('body' in route ? { body: JSON.stringify(route.method === 'put' ? { count: 1 } : { vmId: '103' }) } : {}),
            }),
            route.method,
          );
          expect(res.status, `${route.method.toUpperCase()} ${path}`).toBe(400);
          expect(await problemOf(res, InvalidInputProblem)).toMatchObject({ type: 'urn:vfmap:problem:bad-request', status: 400 });
        }
      }
    }
  });

  it('answers 413 to a JSON body over 64 kB', async () => {
    const res = await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, JSON.stringify({ count: 1, pad: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    expect(await problemOf(res, UnreadableBodyProblem)).toMatchObject({ status: 413 });
  });

  it('answers 413 at once to a declared Content-Length over the limit, and closes the connection', async () => {
    const request = rawPut(
      `/api/v1/hosts/${HOST}/pfs/${DEMO.x710p1}/numvfs`,
      { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': '999999999' },
      '{"count":',
    );
    const { received, closedAfterMs } = await rawExchange(host.agent.url, request, 5_000);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(received).toContain('application/problem+json');
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(2_000);
  });

  it('answers 415 to a JSON body in a charset the agent does not read', async () => {
    const res = rememberMethod(
      await fetch(host.api(`/pfs/${DEMO.x710p1}/numvfs`), {
        method: 'PUT',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json; charset=latin1' },
        body: '{"count":1}',
      }),
      'put',
    );
    expect(res.status).toBe(415);
    expect(await problemOf(res, UnreadableBodyProblem)).toMatchObject({ status: 415 });
  });

  it('refuses with 415 a write whose body is a form post or plain text, and changes nothing', async () => {
    const before = stateOf(host);
    const writes = [
      { method: 'PUT', path: `/pfs/${DEMO.x710p1}/numvfs`, body: 'count=1' },
      { method: 'POST', path: '/vfs/0000:18:11.1/assignment', body: 'vmId=103' },
      // A form post cannot carry the token, but a body the route does not read is refused all the same.
      { method: 'DELETE', path: '/vfs/0000:18:01.0/assignment', body: 'x=1' },
    ];
    for (const { method, path, body } of writes) {
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
        const res = rememberMethod(await fetch(host.api(path), { method, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': type }, body }), method);
        expect(res.status, `${method} ${path} as ${type}`).toBe(415);
        expect(await problemOf(res, UnreadableBodyProblem)).toMatchObject({ status: 415 });
      }
      const untyped = rememberMethod(await fetch(host.api(path), { method, headers: { Authorization: `Bearer ${TOKEN}` }, body: new Uint8Array(Buffer.from(body)) }), method);
      expect(untyped.status, `${method} ${path} without a type`).toBe(415);
    }
    expect(stateOf(host)).toBe(before);
  });

  // Found by openapi.fuzz.api.test.ts, each shrunk to one request.

  it('answers a path past 16 kB with a 431 problem, not a bare status line', async () => {
    const { received, closedAfterMs } = await rawExchange(host.agent.url, `GET /api/v1/hosts/${'a'.repeat(17_000)}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 5_000);
    expect(received).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)) as unknown;
    expect(MalformedRequestProblem.parse(body)).toMatchObject({ type: 'urn:vfmap:problem:bad-request', status: 431 });
    expect(closedAfterMs).not.toBeNull();
  });

  it('answers HEAD past 16 kB with a 431 and no body, which a client would read as the next answer', async () => {
    const { received } = await rawExchange(host.agent.url, `HEAD /api/v1/hosts/${'a'.repeat(17_000)}/topology HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 5_000);
    expect(received).toMatch(/^HTTP\/1\.1 431 /);
    expect(received.slice(received.indexOf('\r\n\r\n') + 4)).toBe('');
  });

  it('answers a request that is not HTTP with a 400 problem', async () => {
    const { received } = await rawExchange(host.agent.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 5_000);
    expect(received).toMatch(/^HTTP\/1\.1 400 /);
    expect(MalformedRequestProblem.parse(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)))).toMatchObject({ status: 400 });
  });

  it('answers OPTIONS with the 404 of a method no route has, not with the methods Express found', async () => {
    const res = rememberMethod(await fetch(host.url('/healthz'), { method: 'OPTIONS' }), 'options');
    expect(res.status).toBe(404);
    expect(res.headers.get('allow')).toBeNull();
    expect(await problemOf(res, UnknownResourceProblem)).toMatchObject({ status: 404 });
  });

  it('refuses with 415 a compressed body, which was a 500 when it did not inflate', async () => {
    const before = stateOf(host);
    const res = rememberMethod(
      await fetch(host.api('/vfs/0000:18:11.1/assignment'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body: '{"vmId":"101"}',
      }),
      'post',
    );
    expect(res.status).toBe(415);
    expect(await problemOf(res, UnreadableBodyProblem)).toMatchObject({ status: 415 });
    expect(stateOf(host)).toBe(before);
  });
});

describe('a request that never finishes', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent({ serverTimeouts: { requestTimeoutMs: 600, headersTimeoutMs: 400 } });
  });
  afterAll(() => host?.close());

  it('has its connection closed when its body stops short of its Content-Length', async () => {
    const request = rawPut(`/api/v1/hosts/${HOST}/pfs/${DEMO.x710p1}/numvfs`, { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': '100' }, '{"count":');
    const { closedAfterMs } = await rawExchange(host.agent.url, request, 5_000);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(3_000);
  });

  it('has its connection closed when its headers never end', async () => {
    const { closedAfterMs } = await rawExchange(host.agent.url, `GET /api/v1/hosts/${HOST}/topology HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `, 5_000);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(3_000);
  });
});
