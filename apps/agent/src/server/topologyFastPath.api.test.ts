import { mkdtempSync, rmSync } from 'node:fs';
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFixture, fixture, removeFixture } from '../../../../packages/sysfs/test/extractFixture';
import { parseAgentConfig } from '../config';
import { HostRegistry } from '../hostRegistry';
import type { LocalHost } from '../hostBackend';
import { startAgent, type RunningAgent } from '../startAgent';
import { requestRecorder } from './requestRecorder';
import { securityHeaderList } from './securityHeaders';
import { withTopologyFastPath } from './topologyFastPath';
import { createLogger } from '../logger';
import { Metrics } from '../metrics';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function send(base: string, path: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An answer without what differs from one answer to the next (its date, its connection). */
function comparable({ status, headers, body }: Answer) {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return { status, headers: rest, body: body.toString('base64') };
}

describe('the topology fast path, on the real agent over a real-kernel tree', () => {
  let root: string;
  let stateDir: string;
  let agent: RunningAgent;

  beforeAll(async () => {
    root = extractFixture(fixture('realkernel', 'vfs-enabled'));
    stateDir = mkdtempSync(join(tmpdir(), 'vfmap-state-'));
    agent = await startAgent(parseAgentConfig(['--root', root, '--kernel', 'none', '--listen', '127.0.0.1:0', '--host-id', 'lab1', '--log-level', 'silent', '--state-dir', stateDir], {}));
  });
  afterAll(async () => {
    await agent?.close();
    if (root) removeFixture(root);
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  // A query string sends the same request through Express (the route has no query): both must
  // answer alike, byte for byte and header for header.
  const cases: Array<[string, { method?: string; headers?: Record<string, string> }]> = [
    ['GET, no Accept-Encoding', {}],
    ['GET, gzip', { headers: { 'accept-encoding': 'gzip, deflate, br' } }],
    ['GET, gzip refused', { headers: { 'accept-encoding': 'gzip;q=0' } }],
    ['HEAD, gzip', { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } }],
    ['If-None-Match: *', { headers: { 'if-none-match': '*' } }],
    ['If-None-Match: another tag', { headers: { 'if-none-match': '"not-this-one"' } }],
  ];
  it.each(cases)('answers %s exactly as the Express route does', async (_name, request) => {
    const fast = await send(agent.url, '/api/v1/hosts/lab1/topology', request);
    const viaExpress = await send(agent.url, '/api/v1/hosts/lab1/topology?through=express', request);
    expect(comparable(fast)).toEqual(comparable(viaExpress));
  });

  it('leaves a Host the agent does not answer to to Express, which refuses it (421)', async () => {
    const refused = await send(agent.url, '/api/v1/hosts/lab1/topology', { headers: { host: 'evil.example' } });
    expect(refused.status).toBe(421);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(refused.body.toString('utf8'))).toMatchObject({ reason: 'host-header', instance: '/api/v1/hosts/lab1/topology' });
  });

  it('answers 304 to the ETag it sent, as the Express route does, with the security headers', async () => {
    const first = await send(agent.url, '/api/v1/hosts/lab1/topology');
    const etag = String(first.headers.etag);
    const fast = await send(agent.url, '/api/v1/hosts/lab1/topology', { headers: { 'if-none-match': etag } });
    const viaExpress = await send(agent.url, '/api/v1/hosts/lab1/topology?x', { headers: { 'if-none-match': etag } });
    expect(fast.status).toBe(304);
    expect(comparable(fast)).toEqual(comparable(viaExpress));
    expect(fast.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(fast.headers['x-content-type-options']).toBe('nosniff');
  });

  it('counts its answers in the request metric under the route, as Express does', async () => {
    const count = async () => {
      const text = (await send(agent.url, '/metrics')).body.toString('utf8');
      const line = text.split('\n').find((l) => l.startsWith('vfmap_http_requests_total{') && l.includes('route="/api/v1/hosts/:host/topology"') && l.includes('status="200"') && l.includes('method="GET"'));
      return Number(line?.split(' ').pop() ?? 0);
    };
    const before = await count();
    for (let i = 0; i < 3; i++) await send(agent.url, '/api/v1/hosts/lab1/topology');
    await send(agent.url, '/api/v1/hosts/lab1/topology?via=express');
    expect((await count()) - before).toBe(4);
  });
});

describe('which requests the fast path takes', () => {
  const snapshot = { topology: { pfs: [] } as never, etag: '"v1"', fingerprint: 'f' };
  let reads = 0;
  let fail = false;
  const host = {
    kind: 'local',
    id: 'lab1',
    topology: async () => {
      reads++;
      if (fail) throw new Error('the scan failed');
      return snapshot;
    },
  } as unknown as LocalHost;
  const toExpress: string[] = [];
  const express: RequestListener = (req, res) => {
    toExpress.push(`${req.method} ${req.url}`);
    res.statusCode = 299;
    res.end();
  };
  const metrics = new Metrics();
  const handler = withTopologyFastPath(express, {
    hosts: new HostRegistry([host]),
    allowedHosts: new Set(['127.0.0.1']),
    headers: securityHeaderList({ https: false }),
    record: requestRecorder(createLogger('silent'), metrics),
  });
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers GET and HEAD of a local host\'s topology itself, and passes everything else to Express', async () => {
    toExpress.length = 0;
    expect((await send(base, '/api/v1/hosts/lab1/topology')).status).toBe(200);
    expect((await send(base, '/api/v1/hosts/lab1/topology', { method: 'HEAD' })).status).toBe(200);
    expect(toExpress).toEqual([]);
    const others: Array<[string, { method?: string; headers?: Record<string, string>; body?: string }]> = [
      ['/api/v1/hosts/lab1/topology', { method: 'PUT' }],
      ['/api/v1/hosts/lab1/topology?x=1', {}],
      ['/api/v1/hosts/lab%31/topology', {}],
      ['/api/v1/hosts/peer/topology', {}],
      ['/api/v1/hosts/lab1/topology/', {}],
      ['/api/v1/hosts/lab1/audit', {}],
      ['/api/v1/hosts/lab1/topology', { headers: { host: 'evil.example' } }],
      ['/api/v1/hosts/lab1/topology', { headers: { 'content-length': '2' }, body: '{}' }],
    ];
    for (const [path, request] of others) expect((await send(base, path, request)).status, path).toBe(299);
    expect(toExpress).toHaveLength(others.length);
  });

  it('passes the request to Express when the topology cannot be read, which words the problem', async () => {
    toExpress.length = 0;
    fail = true;
    try {
      expect((await send(base, '/api/v1/hosts/lab1/topology')).status).toBe(299);
      expect(toExpress).toEqual(['GET /api/v1/hosts/lab1/topology']);
    } finally {
      fail = false;
    }
    expect(reads).toBeGreaterThan(0);
  });
});
