// @vitest-environment node
import { HostList, Topology, vfState, type Pf, type Vf } from '@vfmap/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoAgent, type DemoAgent } from './demoAgent';
import { FIXTURE_TOKEN, startFixtureServer, type FixtureServer } from './fixtureServer';

/**
 * The page's component tests speak to a fake agent (fixtureServer.ts + fixtureWrites.ts). This
 * replays one script of requests against the real agent over simulated hosts (`vfmap demo`, the
 * real program) and against the fake loaded with the same topologies, and requires the same
 * answers: status, content type, WWW-Authenticate, the whole problem (type, title, reason, detail,
 * every extension field) or result (operation ids aside), and after each write the topology as the
 * page draws it. Whatever the fake says that the agent does not, a page test could pin.
 */

/** The hosts the script acts on: each case a write must refuse needs a host that has it. */
const HOSTS = {
  /** held VFs (running, stopped, paused VMs, one pending), a PF at 0, unbound VFs, a non-SR-IOV NVMe. */
  demo: { profile: 'demo' },
  /** PFs with no driver (one with VFs left behind, one held), VFs in their PF's IOMMU group. */
  edge: { profile: 'edge-cases' },
  /** no IOMMU: no VF has a group. */
  noIommu: { profile: 'iommu-off' },
  /** an agent started with --read-only. */
  readOnly: { profile: 'minimal', readOnly: true },
} as const;
type HostKey = keyof typeof HOSTS;

interface Step {
  says: string;
  host: HostKey;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** under /api/v1/hosts/<the host's id>/, or an absolute path when it starts with "/". */
  path: string;
  /** sent as JSON; `text` sends the characters as they are, as application/json. */
  body?: unknown;
  text?: string;
  /** the write token (default), none, or one the agent does not know. */
  auth?: 'token' | 'none' | 'wrong';
}

const numVfs = (host: HostKey, pf: string, body: unknown, says: string, more: Partial<Step> = {}): Step => ({
  says,
  host,
  method: 'PUT',
  path: `pfs/${pf}/numvfs`,
  body,
  ...more,
});
const assign = (host: HostKey, vf: string, vmId: string, says: string): Step => ({ says, host, method: 'POST', path: `vfs/${vf}/assignment`, body: { vmId } });
const release = (host: HostKey, vf: string, says: string): Step => ({ says, host, method: 'DELETE', path: `vfs/${vf}/assignment` });

// Addresses of the profiles (packages/simhost/src/hostProfiles).
const DEMO = {
  e810p1: '0000:18:00.1',
  e810p1Vf: (n: number) => `0000:18:${(0x11 + Math.floor(n / 8)).toString(16)}.${n % 8}`,
  x710p0: '0000:3b:00.0',
  x710p1: '0000:3b:00.1',
  cx6p0: '0000:af:00.0',
  cx6p1: '0000:af:00.1',
  nvme: '0000:5e:00.0',
};
const EDGE = { nvme0: '0000:01:00.0', nvme0Vf2: '0000:01:00.3', nvme1: '0000:02:00.0', igb: '0000:03:00.0', igbVf0: '0000:03:10.0', igbVf1: '0000:03:10.2' };
const NO_IOMMU = { x710p0: '0000:18:00.0', x710p0Vf0: '0000:18:02.0', x710p1: '0000:18:00.1' };
const MINIMAL = { igb: '0000:01:00.0', vf1: '0000:01:10.2' };

const script: Step[] = [
  // Reads.
  { says: 'lists its host', host: 'demo', method: 'GET', path: '/api/v1/hosts' },
  { says: 'lists its host as read-only when it is', host: 'readOnly', method: 'GET', path: '/api/v1/hosts' },
  { says: 'answers 404 for the topology of a host it does not have', host: 'demo', method: 'GET', path: '/api/v1/hosts/nowhere/topology' },
  { says: 'answers 404 for a route it does not have', host: 'demo', method: 'POST', path: 'nothing', body: {} },

  // Who may write.
  numVfs('demo', DEMO.x710p1, { count: 2 }, 'refuses a write without a token', { auth: 'none' }),
  numVfs('demo', DEMO.x710p1, { count: 2 }, 'refuses a write with a token it does not know', { auth: 'wrong' }),
  numVfs('demo', DEMO.x710p1, undefined, 'reads the body before the token: invalid JSON without a token is a bad request', { auth: 'none', text: '{"count": 2' }),
  numVfs('readOnly', MINIMAL.igb, { count: 1 }, 'refuses a count change when read-only, token or not'),
  assign('readOnly', MINIMAL.vf1, '101', 'refuses an assignment when read-only'),
  { ...release('readOnly', MINIMAL.vf1, 'refuses a release when read-only, even without a token'), auth: 'none' },

  // Bodies.
  numVfs('demo', DEMO.x710p1, { count: -1 }, 'refuses a negative count'),
  numVfs('demo', DEMO.x710p1, { count: '2' }, 'refuses a count given as text'),
  numVfs('demo', DEMO.x710p1, { count: 2, now: true }, 'refuses a field it does not know'),
  numVfs('demo', DEMO.x710p1, undefined, 'refuses a count change without a body'),
  numVfs('demo', DEMO.x710p1, undefined, 'refuses a body that is not JSON', { text: 'two' }),
  numVfs('demo', DEMO.x710p1, undefined, 'refuses a JSON body that is not an object or array', { text: '2' }),
  { says: 'refuses an assignment without a VM', host: 'demo', method: 'POST', path: `vfs/${DEMO.e810p1Vf(1)}/assignment`, body: {} },
  { says: 'refuses a VM id given as a number', host: 'demo', method: 'POST', path: `vfs/${DEMO.e810p1Vf(1)}/assignment`, body: { vmId: 101 } },

  // What a count change is asked of.
  { ...numVfs('demo', DEMO.x710p1, { count: 2 }, 'answers 404 for a write to a host it does not have'), path: `/api/v1/hosts/nowhere/pfs/${DEMO.x710p1}/numvfs` },
  numVfs('demo', '0000:ff:00.0', { count: 2 }, 'answers 404 for a PF it does not have'),
  numVfs('demo', DEMO.e810p1Vf(3), { count: 2 }, 'refuses a count on a VF, naming its PF'),
  numVfs('demo', DEMO.nvme, { count: 2 }, 'refuses a count on a device without SR-IOV'),

  // Count changes.
  numVfs('demo', DEMO.x710p1, { count: 65 }, 'refuses more VFs than the PF supports'),
  numVfs('demo', DEMO.x710p1, { count: 0 }, 'writes nothing when the count does not change'),
  numVfs('demo', DEMO.x710p1, { count: 4 }, 'enables VFs on a PF at 0'),
  numVfs('demo', DEMO.x710p1, { count: 2 }, 'changes a non-zero count through 0'),
  numVfs('demo', DEMO.x710p0, { count: 4 }, 'refuses without force a change that destroys VFs VMs hold, a pending one included'),
  numVfs('demo', DEMO.x710p0, { count: 4, force: true }, 'destroys held VFs with force; a VF that comes back where a held one was is held again'),
  numVfs('demo', DEMO.cx6p1, { count: 0 }, 'disables VFs no driver has bound'),
  numVfs('demo', DEMO.cx6p0, { count: 1, force: true }, 'destroys held VFs for good: the VMs\' configurations still name them'),
  numVfs('edge', EDGE.nvme0, { count: 2 }, 'refuses without force on a PF with no driver when VMs hold its VFs: held VFs come first'),
  numVfs('edge', EDGE.nvme0, { count: 2, force: true }, 'passes on the kernel\'s ENOENT for a PF with no driver, on the first write (0)'),
  numVfs('edge', EDGE.nvme0, { count: 4 }, 'writes nothing on a PF with no driver when the count does not change'),
  numVfs('edge', EDGE.nvme1, { count: 9 }, 'refuses more VFs than the PF supports before asking the kernel'),
  numVfs('edge', EDGE.nvme1, { count: 2 }, 'passes on the kernel\'s ENOENT for enabling VFs on a PF with no driver'),
  numVfs('edge', EDGE.igb, { count: 2 }, 'refuses without force to destroy a VF a stopped VM holds'),
  numVfs('edge', EDGE.igb, { count: 2, force: true }, 'remakes VFs in the PF\'s IOMMU group'),
  numVfs('noIommu', NO_IOMMU.x710p0, { count: 2 }, 'changes a count with the IOMMU off'),
  numVfs('noIommu', NO_IOMMU.x710p1, { count: 1 }, 'enables a VF with the IOMMU off'),

  // Assignments.
  assign('demo', DEMO.e810p1Vf(1), '101', 'gives a free VF to a running VM at once'),
  assign('demo', DEMO.e810p1Vf(2), '105', 'gives a free VF to a stopped VM at its next start'),
  assign('demo', DEMO.e810p1Vf(4), '103', 'gives a VF the next slot its VM\'s configuration has free, past those naming VFs that are gone'),
  assign('demo', DEMO.e810p1Vf(1), '102', 'refuses a VF a VM holds'),
  assign('demo', DEMO.e810p1Vf(3), '999', 'refuses a VM the hypervisor does not have'),
  assign('demo', '0000:ff:01.0', '101', 'answers 404 for a VF it does not have'),
  assign('demo', DEMO.e810p1, '101', 'refuses to give a PF'),
  assign('edge', EDGE.igbVf1, '200', 'refuses a VF that shares its IOMMU group'),
  assign('edge', EDGE.igbVf0, '200', 'refuses a held VF in a shared group as held'),
  assign('edge', EDGE.nvme0Vf2, '201', 'gives a VF of a PF with no driver'),
  assign('noIommu', NO_IOMMU.x710p0Vf0, '301', 'refuses a VF with no IOMMU group'),
  release('demo', DEMO.e810p1Vf(1), 'takes a VF back from a running VM at once'),
  release('demo', DEMO.e810p1Vf(2), 'takes a VF back from a stopped VM\'s configuration'),
  release('demo', DEMO.e810p1Vf(3), 'refuses to release a VF no VM holds'),
  release('demo', '0000:ff:01.0', 'answers 404 for releasing a VF it does not have'),
];

interface Side {
  url: Record<HostKey, string>;
}
const hostIds = {} as Record<HostKey, string>;
const real: Side = { url: {} as Record<HostKey, string> };
const fake: Side = { url: {} as Record<HostKey, string> };
const agents: DemoAgent[] = [];
const fakes: FixtureServer[] = [];

beforeAll(async () => {
  const keys = Object.keys(HOSTS) as HostKey[];
  const started = await Promise.allSettled(
    keys.map((key) => {
      const setup: { profile: string; readOnly?: boolean } = HOSTS[key];
      return startDemoAgent(setup.profile, setup.readOnly ? { readOnly: true } : { token: FIXTURE_TOKEN });
    }),
  );
  for (const s of started) if (s.status === 'fulfilled') agents.push(s.value);
  const failure = started.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  for (const [i, key] of keys.entries()) {
    real.url[key] = agents[i]!.url;
    const hosts = HostList.parse(await (await fetch(`${agents[i]!.url}/api/v1/hosts`)).json());
    const id = hosts.hosts[0]!.id;
    hostIds[key] = id;
    const server = await startFixtureServer({ [id]: await topologyAt(real, key) });
    if ('readOnly' in HOSTS[key]) server.writes.token = null;
    fakes.push(server);
    fake.url[key] = server.baseUrl;
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([...agents.map((a) => a.stop()), ...fakes.map((f) => f.close())]);
});

describe('the fake agent of the page tests answers as the real agent does', () => {
  for (const step of script) {
    it(step.says, async () => {
      const realAnswer = await send(real, step);
      const fakeAnswer = await send(fake, step);
      expect(fakeAnswer).toEqual(realAnswer);
      if (step.method !== 'GET') {
        expect(drawn(await topologyAt(fake, step.host))).toEqual(drawn(await topologyAt(real, step.host)));
      }
    }, 30_000);
  }
});

function urlOf(side: Side, step: Step): string {
  const path = step.path.startsWith('/') ? step.path : `/api/v1/hosts/${encodeURIComponent(hostIds[step.host])}/${step.path}`;
  return side.url[step.host] + path;
}

async function send(side: Side, step: Step) {
  const headers: Record<string, string> = {};
  const auth = step.auth ?? 'token';
  if (auth !== 'none') headers.authorization = `Bearer ${auth === 'token' ? FIXTURE_TOKEN : 'not-the-token-0000000000'}`;
  let body: string | undefined;
  if (step.text !== undefined) body = step.text;
  else if (step.body !== undefined) body = JSON.stringify(step.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(urlOf(side, step), { method: step.method, headers, body });
  const contentType = res.headers.get('content-type')?.split(';')[0] ?? null;
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: res.status, contentType, text };
  }
  const answer = { status: res.status, contentType, wwwAuthenticate: res.headers.get('www-authenticate') };
  return contentType === 'application/problem+json' ? { ...answer, problem: problemFacts(json) } : { ...answer, result: resultFacts(json) };
}

/**
 * A problem as the page shows it, with the kernel path relative to the host's root (the demo's
 * root is a temporary directory) and without the JSON parser's own words for a broken body.
 */
function problemFacts(json: unknown): Record<string, unknown> {
  const facts = { ...(json as Record<string, unknown>) };
  if (typeof facts.path === 'string') facts.path = facts.path.replace(/^.*(?=\/sys\/)/, '');
  if (typeof facts.detail === 'string') facts.detail = facts.detail.replace(/^(The request body is not valid JSON:).*$/, '$1 …');
  return facts;
}

/** A result without the operation id, which differs by nature (checked present). */
function resultFacts(json: unknown): unknown {
  const body = json as Record<string, unknown>;
  if ('hosts' in body) return body;
  const { operationId, ...rest } = body;
  const facts: Record<string, unknown> = { ...rest, hasOperationId: typeof operationId === 'string' };
  if (rest.pf) facts.pf = pfFacts(rest.pf as Pf);
  if (rest.vf) facts.vf = vfFacts(rest.vf as Vf);
  return facts;
}

function pfFacts(pf: Pf) {
  return { address: pf.address, driver: pf.driver, numVfs: pf.numVfs, totalVfs: pf.totalVfs, vfs: pf.vfs.map(vfFacts) };
}

function vfFacts(vf: Vf) {
  return { address: vf.address, index: vf.index, driver: vf.driver, holder: vf.holder, netdevs: vf.netdevs.map((n) => n.name), iommuGroup: vf.iommuGroup };
}

async function topologyAt(side: Side, key: HostKey): Promise<Topology> {
  const res = await fetch(`${side.url[key]}/api/v1/hosts/${encodeURIComponent(hostIds[key])}/topology`);
  return Topology.parse(await res.json());
}

/** What the page draws of a host and plans a change with: PFs, their VFs and each VF's state, the VMs. */
function drawn(topology: Topology) {
  return {
    pfs: topology.pfs.map((pf) => ({ ...pfFacts(pf), vfs: pf.vfs.map((vf) => ({ ...vfFacts(vf), state: vfState(vf, topology) })) })),
    vms: topology.vms,
    warnings: topology.warnings.map((w) => w.code).sort(),
  };
}
