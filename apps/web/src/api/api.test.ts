// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { QueryClient } from '@tanstack/react-query';
import { fetchHosts, fetchTopology, queryKeys, seedQueries, type TopologyResult } from './api';
import { validatePreloaded } from './preloadedQueries';
import type { PreloadedJson } from './preloadedAnswers';
import type { ApiClient } from './apiClient';
import { ApiError } from './apiError';

/** A small real HTTP server that answers the way the agent does, plus the ways it can go wrong. */
let server: Server;
let client: ApiClient;
let topologyRequests: { ifNoneMatch: string | undefined }[] = [];
const topology = labTopology();
const ETAG = '"t-1"';

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url === '/api/v1/hosts') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ hosts: [{ id: 'pve-lab-01', hostname: 'pve-lab-01', hypervisor: 'proxmox', url: '/api/v1/hosts/pve-lab-01/topology', local: true, status: 'ok', lastSeen: null, ageSeconds: null, version: null, counts: null, capacity: [], problem: null, source: 'local' }] }));
    } else if (url === '/api/v1/hosts/pve-lab-01/topology') {
      topologyRequests.push({ ifNoneMatch: req.headers['if-none-match'] });
      res.setHeader('etag', ETAG);
      if (req.headers['if-none-match'] === ETAG) {
        res.statusCode = 304;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(topology));
    } else if (url === '/api/v1/hosts/nowhere/topology') {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/problem+json');
      res.end(JSON.stringify({ type: 'urn:vfmap:problem:not-found', title: 'Not found', status: 404, detail: 'No host "nowhere" here' }));
    } else if (url === '/api/v1/hosts/garbled/topology') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ...topology, pfs: [{ address: 'not-an-address' }] }));
    } else if (url === '/api/v1/hosts/gateway/topology') {
      res.statusCode = 502;
      res.setHeader('content-type', 'text/html');
      res.end('<h1>502 Bad Gateway</h1>');
    } else {
      res.statusCode = 500;
      res.setHeader('content-type', 'text/plain');
      res.end('boom');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = { baseUrl: `http://127.0.0.1:${port}`, fetch: globalThis.fetch, openEvents: null };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function failureOf(promise: Promise<unknown>) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return (err as ApiError).failure;
}

describe('fetchHosts', () => {
  it('reads the host list through its schema', async () => {
    const list = await fetchHosts(client);
    expect(list.hosts.map((h) => h.id)).toEqual(['pve-lab-01']);
  });
});

describe('fetchTopology', () => {
  it('parses the topology, remembers its ETag, and keeps the same object on a 304', async () => {
    topologyRequests = [];
    const first = await fetchTopology(client, 'pve-lab-01', undefined);
    expect(first.topology.host.hostname).toBe('pve-lab-01.example.net');
    expect(first.etag).toBe(ETAG);
    const second = await fetchTopology(client, 'pve-lab-01', first);
    expect(second).toBe(first);
    expect(topologyRequests).toEqual([{ ifNoneMatch: undefined }, { ifNoneMatch: ETAG }]);
  });

  it('turns problem+json into a problem the page can show', async () => {
    const f = await failureOf(fetchTopology(client, 'nowhere', undefined));
    expect(f).toMatchObject({ kind: 'problem', problem: { title: 'Not found', status: 404, detail: 'No host "nowhere" here' } });
  });

  it('refuses an answer that does not match the schema, saying which field', async () => {
    const f = await failureOf(fetchTopology(client, 'garbled', undefined));
    expect(f.kind).toBe('invalid');
    expect(f.kind === 'invalid' && f.issues.some((i) => i.startsWith('pfs.0.address'))).toBe(true);
  });

  it('calls a gateway error with no problem body unreachable', async () => {
    const f = await failureOf(fetchTopology(client, 'gateway', undefined));
    expect(f.kind).toBe('unreachable');
  });

  it('keeps a plain error answer with its status and body', async () => {
    const f = await failureOf(fetchTopology(client, 'other', undefined));
    expect(f).toMatchObject({ kind: 'http', status: 500, body: 'boom' });
  });

  it('says the agent is unreachable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const f = await failureOf(fetchTopology({ ...client, baseUrl: `http://127.0.0.1:${port}` }, 'pve-lab-01', undefined));
    expect(f.kind).toBe('unreachable');
  });
});

describe('validatePreloaded and seedQueries', () => {
  const hostList = { hosts: [{ id: 'pve-lab-01', hostname: 'pve-lab-01', hypervisor: 'proxmox', url: '/api/v1/hosts/pve-lab-01/topology', local: true, status: 'ok', lastSeen: null, ageSeconds: null, version: null, counts: null, capacity: [], problem: null, source: 'local' }] };
  /** Preloaded answers by path, handed out once each, as takePreloadedJson does. */
  function taker(answers: Record<string, PreloadedJson>) {
    const taken: string[] = [];
    return {
      taken,
      take: (path: string) => {
        const found = answers[path] ?? null;
        if (found) taken.push(path);
        delete answers[path];
        return found;
      },
    };
  }

  it('puts the host list and the opened host\'s topology, with its ETag, into the cache', () => {
    const { take, taken } = taker({
      '/api/v1/hosts': { etag: null, body: hostList },
      '/api/v1/hosts/pve-lab-01/topology': { etag: '"t-9"', body: JSON.parse(JSON.stringify(topology)) },
    });
    const seed = validatePreloaded(take, (list) => list.hosts[0]!.id);
    const queryClient = new QueryClient();
    seedQueries(queryClient, seed);
    expect(queryClient.getQueryData(queryKeys.hosts)).toEqual(hostList);
    const cached = queryClient.getQueryData<TopologyResult>(queryKeys.topology('pve-lab-01'));
    expect(cached?.etag).toBe('"t-9"');
    expect(cached?.topology.pfs.map((p) => p.address)).toEqual(topology.pfs.map((p) => p.address));
    expect(taken).toEqual(['/api/v1/hosts', '/api/v1/hosts/pve-lab-01/topology']);
  });

  it('leaves out a topology that does not match its schema, so that its query asks again and reports it', () => {
    const { take } = taker({
      '/api/v1/hosts': { etag: null, body: hostList },
      '/api/v1/hosts/pve-lab-01/topology': { etag: '"t-9"', body: { ...topology, pfs: [{ address: 'not-an-address' }] } },
    });
    const seed = validatePreloaded(take, (list) => list.hosts[0]!.id);
    expect(seed.hosts).toEqual(hostList);
    expect(seed.topology).toBeNull();
  });

  it('asks for nothing more without a valid host list, or without a host to open', () => {
    const broken = taker({ '/api/v1/hosts': { etag: null, body: { hosts: 'none' } } });
    expect(validatePreloaded(broken.take, () => 'pve-lab-01')).toEqual({ hosts: null, topology: null });
    expect(broken.taken).toEqual(['/api/v1/hosts']);
    const empty = taker({ '/api/v1/hosts': { etag: null, body: { hosts: [] } } });
    expect(validatePreloaded(empty.take, () => null)).toEqual({ hosts: { hosts: [] }, topology: null });
    expect(validatePreloaded(taker({}).take, () => 'pve-lab-01')).toEqual({ hosts: null, topology: null });
  });
});
