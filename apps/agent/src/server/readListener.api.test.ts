import https from 'node:https';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, HostList, ReadOnlyProblem } from '@vfmap/model';
import { Health } from '../routes/healthRoutes';
import { DEMO, problemOf, startSimAgent, TOKEN, type SimAgent } from '../testing/simAgent';
import { rememberMethod } from '../testing/documentedProblems';
import { SseClient } from '../testing/sseClient';
import { rawRequest } from '../testing/rawHttp';

describe('the read-only listener (--read-listen)', () => {
  let host: SimAgent;
  let read: (path: string) => string;
  beforeAll(async () => {
    host = await startSimAgent({ args: ['--read-listen', '127.0.0.1:0'] });
    read = (path) => new URL(path, host.agent.readUrl!).toString();
  });
  afterAll(() => host?.close());

  const writeOn = (base: (path: string) => string, method: string, path: string, body?: unknown) =>
    fetch(base(`/api/v1/hosts/sim${path}`), {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((res) => rememberMethod(res, method));

  it('refuses every write with 403, though it carries the valid token, and changes nothing', async () => {
    expect(host.agent.readUrl).not.toBe(host.agent.url);
    const before = await (await fetch(host.api('/topology'))).text();
    for (const res of [
      await writeOn(read, 'PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 3 }),
      await writeOn(read, 'POST', '/vfs/0000:18:11.1/assignment', { vmId: '103' }),
      await writeOn(read, 'DELETE', '/vfs/0000:18:01.0/assignment'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect((await problemOf(res, ReadOnlyProblem)).detail).toContain('--read-listen');
    }
    expect(await (await fetch(host.api('/topology'))).text()).toBe(before);
    expect(AuditPage.parse(await (await fetch(read('/api/v1/hosts/sim/audit'))).json()).entries).toEqual([]);
    expect(existsSync(join(host.stateDir, 'audit.jsonl'))).toBe(false);
  });

  it('serves the reads: topology, hosts, audit, health, metrics, the OpenAPI document and events', async () => {
    for (const path of ['/api/v1/hosts/sim/topology', '/api/v1/hosts', '/api/v1/hosts/sim/audit', '/api/v1/health', '/healthz', '/metrics', '/api/v1/openapi.json']) {
      const res = await fetch(read(path));
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const stream = await SseClient.open(read('/api/v1/hosts/sim/events'));
    try {
      expect(stream.status).toBe(200);
      // A write on the main listener shows on the read listener's stream.
      expect((await writeOn(host.url, 'PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 2 })).status).toBe(200);
      await stream.until((s) => s.messages.some((m) => m.event === 'operation.finished'));
    } finally {
      stream.close();
    }
  });

  it('lists every host as read-only, so the page offers no write there', async () => {
    const listed = HostList.parse(await (await fetch(read('/api/v1/hosts'))).json());
    expect(listed.hosts.map((h) => h.readOnly)).toEqual([true]);
    const main = HostList.parse(await (await fetch(host.url('/api/v1/hosts'))).json());
    expect(main.hosts.map((h) => h.readOnly)).toEqual([false]);
  });

  it('checks the Host header as the main listener does', async () => {
    const res = await rawRequest(read('/api/v1/hosts/sim/topology'), { headers: { Host: 'evil.example' } });
    expect(res.status).toBe(421);
  });
});

describe('a read-only listener beyond loopback', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent({ args: ['--read-listen', '0.0.0.0:0'] });
  });
  afterAll(() => host?.close());

  it('speaks HTTPS, as the main listener would there, with the certificate /api/v1/health names', async () => {
    expect(host.agent.url).toMatch(/^http:/);
    expect(host.agent.readUrl).toMatch(/^https:/);
    const port = new URL(host.agent.readUrl!).port;
    const { status, body, fingerprint } = await new Promise<{ status: number; body: string; fingerprint: string }>((resolve, reject) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/api/v1/health', rejectUnauthorized: false }, (res) => {
        const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), fingerprint }));
      });
      req.on('error', reject);
    });
    expect(status).toBe(200);
    expect(Health.parse(JSON.parse(body)).tlsFingerprint).toBe(fingerprint);
  });
});

describe('/api/v1/health', () => {
  it('names no certificate on plain HTTP', async () => {
    const host = await startSimAgent({ profile: 'minimal' });
    try {
      for (const path of ['/api/v1/health', '/healthz']) {
        expect(Health.parse(await (await fetch(host.url(path))).json())).toMatchObject({ status: 'ok', tlsFingerprint: null });
      }
    } finally {
      await host.close();
    }
  });

  it("gives the SHA-256 fingerprint of the certificate it serves HTTPS with (--tls)", async () => {
    const host = await startSimAgent({ profile: 'minimal', args: ['--tls'] });
    try {
      expect(host.agent.url).toMatch(/^https:/);
      const port = new URL(host.agent.url).port;
      const { body, fingerprint } = await new Promise<{ body: string; fingerprint: string }>((resolve, reject) => {
        const req = https.get({ host: '127.0.0.1', port, path: '/api/v1/health', rejectUnauthorized: false }, (res) => {
          const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ body: Buffer.concat(chunks).toString(), fingerprint }));
        });
        req.on('error', reject);
      });
      const health = Health.parse(JSON.parse(body));
      expect(health.tlsFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(health.tlsFingerprint).toBe(fingerprint);
      expect(health.tlsFingerprint).toBe(host.agent.tls!.fingerprint);
    } finally {
      await host.close();
    }
  });
});
