import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topology, HostList } from '@vfmap/model';
import { extractFixture, fixture, removeFixture } from '../../../packages/sysfs/test/extractFixture';
import { parseAgentConfig } from './config';
import { startAgent, type RunningAgent } from './startAgent';
import { problemOf } from './testing/simAgent';

// The real agent on a free port over a tree captured from a real kernel (two NVMe PFs with VFs).
let root: string;
let stateDir: string;
let agent: RunningAgent;
const url = (path: string) => new URL(path, agent.url).toString();

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

describe('the agent API over a real-kernel tree', () => {
  it('lists one host, itself', async () => {
    const res = await fetch(url('/api/v1/hosts'));
    expect(res.status).toBe(200);
    const body = HostList.parse(await res.json());
    expect(body.hosts).toEqual([
      expect.objectContaining({ id: 'lab1', hostname: expect.any(String), hypervisor: 'none', url: '/api/v1/hosts/lab1/topology', readOnly: false, local: true, status: 'ok', problem: null }),
    ]);
    expect(body.hosts[0]!.counts).toEqual(expect.objectContaining({ pfs: expect.any(Number), vfs: expect.any(Number) }));
  });

  it('serves the topology the kernel shows: both PFs, their VFs and drivers, the shared IOMMU group', async () => {
    const res = await fetch(url('/api/v1/hosts/lab1/topology'));
    expect(res.status).toBe(200);
    const topology = Topology.parse(await res.json());
    expect(topology.host).toMatchObject({ id: 'lab1', hypervisor: 'none', iommu: { enabled: true } });
    expect(topology.pfs.map((pf) => [pf.address, pf.numVfs, pf.totalVfs])).toEqual([
      ['0000:01:00.0', 4, 8],
      ['0000:02:00.0', 3, 8],
    ]);
    expect(topology.pfs[0]!.vfs.map((vf) => vf.driver)).toEqual(['nvme', 'nvme', 'nvme', 'nvme']);
    expect(topology.pfs[1]!.vfs.map((vf) => [vf.address, vf.driver, vf.driverOverride])).toEqual([
      ['0000:02:00.1', 'vfio-pci', 'vfio-pci'],
      ['0000:02:00.2', null, null],
      ['0000:02:00.3', null, null],
    ]);
    expect(topology.iommuGroups.find((g) => g.devices.includes('0000:00:1f.0'))?.devices).toEqual(['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3']);
  });

  it('answers 304 to the ETag it gave while nothing changed', async () => {
    const first = await fetch(url('/api/v1/hosts/lab1/topology'));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(url('/api/v1/hosts/lab1/topology'), { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    const other = await fetch(url('/api/v1/hosts/lab1/topology'), { headers: { 'If-None-Match': '"something-else"' } });
    expect(other.status).toBe(200);
  });

  it('says "not found" as problem+json for an unknown host and an unknown API path', async () => {
    const host = await fetch(url('/api/v1/hosts/nope/topology'));
    expect(host.status).toBe(404);
    expect(await problemOf(host)).toMatchObject({ type: 'urn:vfmap:problem:not-found', status: 404, detail: expect.stringContaining('nope') });
    const path = await fetch(url('/api/v1/frobnicate'));
    expect(path.status).toBe(404);
    expect((await problemOf(path)).type).toBe('urn:vfmap:problem:not-found');
  });

  it('answers health, metrics and its own OpenAPI document', async () => {
    expect(await (await fetch(url('/healthz'))).json()).toMatchObject({ status: 'ok', hosts: ['lab1'], kernel: 'none' });
    const metrics = await (await fetch(url('/metrics'))).text();
    // NVMe PFs have no network interface: `pf` is their PCI address.
    expect(metrics).toMatch(/^vfmap_pf_vfs_free\{pf="0000:02:00.0",pciAddr="0000:02:00.0",numa_node="[-\d]+"\} 3$/m);
    expect(metrics).toMatch(/^vfmap_pf_total_vfs\{pf="0000:01:00.0",pciAddr="0000:01:00.0",numa_node="[-\d]+"\} 8$/m);
    const doc = (await (await fetch(url('/api/v1/openapi.json'))).json()) as { openapi: string; paths: object };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/hosts/{host}/topology');
  });
});

describe('compression', () => {
  it('gzips the topology for a client that accepts it', async () => {
    const res = await fetch(url('/api/v1/hosts/lab1/topology'), { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    // fetch inflates it: the body is still the topology.
    expect(Topology.parse(await res.json()).pfs).toHaveLength(2);
  });

  /** The bytes as they come over the wire, not inflated. */
  function rawGet(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = http.request(url(path), { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves one version of the topology as the same bytes, plain or gzipped, each with its length, varying by Accept-Encoding', async () => {
    const plain = await rawGet('/api/v1/hosts/lab1/topology', { 'accept-encoding': 'identity' });
    const zipped = await rawGet('/api/v1/hosts/lab1/topology', { 'accept-encoding': 'gzip, deflate, br' });
    const again = await rawGet('/api/v1/hosts/lab1/topology', { 'accept-encoding': 'gzip' });
    const refused = await rawGet('/api/v1/hosts/lab1/topology', { 'accept-encoding': 'gzip;q=0, identity' });
    expect(plain.headers.etag).toBe(zipped.headers.etag);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    for (const answer of [plain, zipped, refused]) {
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.headers.vary).toMatch(/Accept-Encoding/);
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    }
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(again.body.equals(zipped.body)).toBe(true);
    expect(refused.body.equals(plain.body)).toBe(true);
    expect(Topology.parse(JSON.parse(plain.body.toString('utf8'))).pfs).toHaveLength(2);
    // HEAD: the same headers, no body.
    const head = await rawGet('/api/v1/hosts/lab1/topology', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, zipped.headers['content-length'], 0]);
  });
});
