import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itNeeds, promtool, promtoolPath } from '../../../test/needs';
import { Metrics } from './metrics';
import { DEMO, startSimAgent, type SimAgent } from './testing/simAgent';
import { recordTopologyMetrics } from './topologyMetrics';

// The real agent over the demo host, scraped as Prometheus scrapes it.
let host: SimAgent;

beforeAll(async () => {
  host = await startSimAgent();
});
afterAll(() => host?.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (label values unescaped), without its comments. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

async function scrape(): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(host.url('/metrics'));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  return { text, samples: parseExposition(text) };
}

/** The values of a series whose labels include `labels`. */
function values(samples: Sample[], name: string, labels: Record<string, string> = {}): number[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);
}

describe('GET /metrics', () => {
  it("counts each PF's VFs with the labels sriov-network-metrics-exporter uses, and names the VM of each held VF", async () => {
    const { samples } = await scrape();
    const e810p0 = { pf: 'ens1f0', pciAddr: DEMO.e810p0, numa_node: '0' };
    expect(values(samples, 'vfmap_pf_vfs', e810p0)).toEqual([16]);
    expect(values(samples, 'vfmap_pf_total_vfs', e810p0)).toEqual([128]);
    expect(values(samples, 'vfmap_pf_vfs_free', e810p0)).toEqual([13]);
    expect(values(samples, 'vfmap_pf_vfs_held', e810p0)).toEqual([3]);
    expect(values(samples, 'vfmap_pf_vfs_unavailable', e810p0)).toEqual([0]);
    expect(samples.filter((s) => s.name === 'vfmap_vf_holder_info' && s.labels.pf === 'ens1f0').map((s) => s.labels)).toEqual([
      { pf: 'ens1f0', vf: '0', pciAddr: '0000:18:01.0', numa_node: '0', vm: '101', vm_name: 'web-01', pending: 'false' },
      { pf: 'ens1f0', vf: '1', pciAddr: '0000:18:01.1', numa_node: '0', vm: '102', vm_name: 'db-01', pending: 'false' },
      { pf: 'ens1f0', vf: '2', pciAddr: '0000:18:01.2', numa_node: '0', vm: '106', vm_name: 'win-desktop', pending: 'false' },
    ]);
    expect(values(samples, 'vfmap_host_info', { host: 'sim', hypervisor: 'simulated' })).toEqual([1]);
    expect(values(samples, 'vfmap_scans_total')[0]).toBeGreaterThanOrEqual(1);
    // Node's own process series, as prom-client's default metrics name them.
    expect(values(samples, 'process_resident_memory_bytes')[0]).toBeGreaterThan(0);
    expect(values(samples, 'nodejs_heap_size_used_bytes')[0]).toBeGreaterThan(0);
  });

  it('counts a count change, its operation and its request, and shows the PF with its new count', async () => {
    expect((await host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 2 })).status).toBe(200);
    const { samples } = await scrape();
    expect(values(samples, 'vfmap_pf_vfs', { pciAddr: DEMO.cx6p1 })).toEqual([2]);
    expect(values(samples, 'vfmap_operations_total', { kind: 'numvfs', result: 'ok' })).toEqual([1]);
    expect(values(samples, 'vfmap_http_requests_total', { method: 'PUT', route: '/api/v1/hosts/:host/pfs/:pf/numvfs', status: '200' })).toEqual([1]);
  });

  it('drops the holder series of a VF its VM gave up', async () => {
    const vf = '0000:18:11.0'; // VF 0 of the E810's port 1, in build-runner's (105, stopped) configuration
    expect(values((await scrape()).samples, 'vfmap_vf_holder_info', { pciAddr: vf })).toEqual([1]);
    expect((await host.request('DELETE', `/vfs/${vf}/assignment`)).status).toBe(200);
    const { samples } = await scrape();
    expect(values(samples, 'vfmap_vf_holder_info', { pciAddr: vf })).toEqual([]);
    expect(values(samples, 'vfmap_pf_vfs_held', { pciAddr: DEMO.e810p1 })).toEqual([0]);
  });

  it("rescans at a scrape when the host changed behind the agent's back", async () => {
    host.sim.writeAttribute(host.attr(DEMO.cx6p1, 'sriov_numvfs'), '0');
    // The agent checks the host's fingerprint at most once a second.
    await expect.poll(async () => values((await scrape()).samples, 'vfmap_pf_vfs', { pciAddr: DEMO.cx6p1 }), { timeout: 5000, interval: 200 }).toEqual([0]);
  });

  it('drops every series of a PF that is gone at the next scan', async () => {
    const topology = await host.topology();
    const metrics = new Metrics();
    recordTopologyMetrics(metrics, topology, 10);
    const gone = topology.pfs.find((pf) => pf.address === DEMO.e810p0)!;
    recordTopologyMetrics(metrics, { ...topology, pfs: topology.pfs.filter((pf) => pf !== gone) }, 10);
    const samples = parseExposition(await metrics.render());
    const addresses = new Set([gone.address, ...gone.vfs.map((vf) => vf.address)]);
    expect(samples.filter((s) => s.labels.pciAddr !== undefined && addresses.has(s.labels.pciAddr))).toEqual([]);
    expect(values(samples, 'vfmap_pf_vfs', { pciAddr: DEMO.e810p1 })).toHaveLength(1);
  });

  itNeeds([promtool], 'passes `promtool check metrics` without a complaint, after a scan, a write and a few requests', async () => {
    expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 2 })).status).toBe(200);
    expect((await fetch(host.api('/topology'))).status).toBe(200);
    expect((await fetch(host.url('/api/v1/hosts/nope/topology'))).status).toBe(404);
    const { text, samples } = await scrape();
    expect(values(samples, 'vfmap_pf_vfs', { pciAddr: DEMO.x710p1 })).toEqual([2]);
    const check = spawnSync(promtoolPath!, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
    expect(check.error).toBeUndefined();
    expect(check.stdout).toBe('');
    // promtool asks for snake_case label names; `pciAddr` is sriov-network-metrics-exporter's
    // name, kept so that its VF series join ours `on (pciAddr)`. That complaint alone is let
    // through, and only for a family whose one camelCase label is pciAddr; promtool's exit status
    // 3 means "lint problems" (a text it cannot parse exits 1).
    const complaints = check.stderr.split('\n').filter((line) => line !== '');
    const tolerated = (line: string) => {
      const family = / label names should be written in 'snake_case' not 'camelCase'$/.test(line) ? line.split(' ')[0] : undefined;
      const camel = new Set(samples.filter((s) => s.name === family).flatMap((s) => Object.keys(s.labels).filter((label) => !/^[a-z][a-z0-9_]*$/.test(label))));
      return family !== undefined && camel.size === 1 && camel.has('pciAddr');
    };
    expect(complaints.filter((line) => !tolerated(line))).toEqual([]);
    expect(check.status).toBe(complaints.length === 0 ? 0 : 3);
  });
});
