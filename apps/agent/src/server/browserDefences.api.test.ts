import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MisdirectedProblem } from '@vfmap/model';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, startSimAgent, tempDir, TOKEN, type SimAgent } from '../testing/simAgent';

/**
 * What keeps another site's page away from a loopback agent: the Host check (DNS rebinding), the
 * security headers on the page and the API, and no CORS. Requests are made with node:http, which
 * lets a test send any Host header, as a browser on a rebound name would.
 */
let agent: SimAgent;

beforeAll(async () => {
  // A page with the tags the built index.html has (apps/web/index.html).
  const webDir = tempDir('vfmap-web-');
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><head><meta name="vfmap-host" content="" /><meta name="vfmap-csp-nonce" content="" /><script src="/preload.js"></script></head>');
  agent = await startSimAgent({ args: ['--allowed-host', 'vfmap.lab.example', '--web-dir', webDir] });
});
afterAll(() => agent?.close());

function send(path: string, options: { host?: string; method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(path, agent.agent.url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: { ...(options.host ? { host: options.host } : {}), ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        // An event stream never ends: its head is enough.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          req.destroy();
          resolve({ status: res.statusCode!, headers: res.headers, body });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the Host check (DNS rebinding)', () => {
  const port = () => new URL(agent.agent.url).port;
  const routes: Array<[string, string, string?]> = [
    ['GET', '/api/v1/hosts'],
    ['GET', '/api/v1/hosts/sim/topology'],
    ['GET', '/api/v1/hosts/sim/audit'],
    ['GET', '/api/v1/hosts/sim/events'],
    ['GET', '/api/v1/events'],
    ['GET', '/'],
    ['PUT', `/api/v1/hosts/sim/pfs/${DEMO.x710p1}/numvfs`, '{"count":1}'],
  ];
  for (const [method, path, body] of routes) {
    it(`refuses ${method} ${path} sent to another name, token or not`, async () => {
      const res = await send(path, {
        host: `evil.example:${port()}`,
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body } : {}),
      });
      expect(res.status).toBe(421);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(MisdirectedProblem.parse(JSON.parse(res.body)).reason).toBe('host-header');
    });
  }

  it('nothing was written by the refused write', async () => {
    const topology = await agent.topology();
    expect(topology.pfs.find((p) => p.address === DEMO.x710p1)!.numVfs).toBe(0);
  });

  it('answers the names it listens under, loopback, and what --allowed-host adds', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, 'LOCALHOST', `[::1]:${port()}`, 'vfmap.lab.example:443']) {
      expect((await send('/api/v1/hosts', { host })).status, host).toBe(200);
    }
  });
});

describe('security headers', () => {
  it('gives the page a strict Content-Security-Policy and no framing, sniffing or referrer', async () => {
    const res = await send('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // Plain HTTP on loopback: no HSTS.
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it("allows the page's one <style> element by a nonce that changes at every load, and nothing else inline", async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await send('/');
      const inPage = /<meta name="vfmap-csp-nonce" content="([^"]+)" \/>/.exec(res.body)?.[1];
      expect(inPage).toBeDefined();
      expect(String(res.headers['content-security-policy'])).toContain(`style-src 'self' 'nonce-${inPage}'`);
      nonces.push(inPage);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('sends no CORS header to another origin, on reads and writes', async () => {
    const read = await send('/api/v1/hosts/sim/topology', { headers: { origin: 'https://evil.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send(`/api/v1/hosts/sim/pfs/${DEMO.x710p1}/numvfs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});
