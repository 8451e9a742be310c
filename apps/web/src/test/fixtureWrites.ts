import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import {
  AssignmentRequest,
  describeHeldRefusal,
  describeNumVfsChange,
  groupPeers,
  heldVfOf,
  NumVfsRequest,
  planNumVfs,
  possibleVfs,
  Problem,
  ProblemType,
  vmsLosingVfs,
  describeHeldByProcess,
  type AssignmentResult,
  type NumVfsResult,
  type Pf,
  type RefusalReason,
  type Topology,
  type Vf,
} from '@vfmap/model';
import type { z } from 'zod';
import { nextHostpci, withHolder, withNumVfs, type NamedButGone } from './topologyChanges';

/**
 * The agent's write API as the fixture server answers it: the same routes, status codes,
 * problem types, titles and extra fields as apps/agent (server/problems.ts, operations/*), checked
 * in the same order, over the fixture topologies. Component tests drive the page's writes through
 * real HTTP against it; fakeAgent.contract.test.ts replays one script against both and holds them
 * to the same answers.
 */
export interface WriteControls {
  /** the bearer token writes need; null makes the server read-only (--read-only). */
  token: string | null;
  /** the next write answers this problem instead of acting; `apply` changes the host as the failure did. */
  failNext(problem: Problem, apply?: (topology: Topology) => Topology): void;
  /** writes wait until the returned function is called: the page's "in progress" can be looked at. */
  hold(): () => void;
  /** every write received, in order. */
  log: { method: string; path: string; body: unknown; authorization: string | undefined; ifMatch?: string }[];
}

export interface WriteHost {
  get(hostId: string): Topology | undefined;
  set(hostId: string, topology: Topology): void;
  /** what the host's VM configurations name that it does not have any more (VFs a count change took). */
  gone(hostId: string): NamedButGone;
  /** the ETag the host's topology is served with now. */
  etag(hostId: string): string;
}

export function writeControls(token: string | null): WriteControls & { take(): { problem: Problem; apply?: (t: Topology) => Topology } | null; gate(): Promise<void> } {
  let scripted: { problem: Problem; apply?: (t: Topology) => Topology } | null = null;
  let held: Promise<void> | null = null;
  return {
    token,
    log: [],
    failNext(problem, apply) {
      scripted = { problem, apply };
    },
    hold() {
      let release!: () => void;
      held = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        held = null;
        release();
      };
    },
    take() {
      const s = scripted;
      scripted = null;
      return s;
    },
    gate: () => held ?? Promise.resolve(),
  };
}

const ROUTES = [
  { method: 'PUT', re: /^\/api\/v1\/hosts\/([^/]+)\/pfs\/([^/]+)\/numvfs$/, kind: 'numvfs' },
  { method: 'POST', re: /^\/api\/v1\/hosts\/([^/]+)\/vfs\/([^/]+)\/assignment$/, kind: 'assign' },
  { method: 'DELETE', re: /^\/api\/v1\/hosts\/([^/]+)\/vfs\/([^/]+)\/assignment$/, kind: 'release' },
] as const;

class Refusal extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

/** The agent's table (apps/agent/src/server/problems.ts, refusalProblem): what does not exist is 404, what the host forbids 409. */
const REFUSALS: Record<RefusalReason, { type: string; status: number; title: string }> = {
  'unknown-pf': { type: ProblemType.notFound, status: 404, title: 'No such PF' },
  'not-a-pf': { type: ProblemType.refused, status: 422, title: 'Not an SR-IOV PF' },
  'count-out-of-range': { type: ProblemType.refused, status: 422, title: 'More VFs than the PF supports' },
  'vfs-held': { type: ProblemType.conflict, status: 409, title: 'VMs hold VFs this change destroys' },
  'management-path': { type: ProblemType.conflict, status: 409, title: "The PF carries the host's management path" },
  'unknown-vf': { type: ProblemType.notFound, status: 404, title: 'No such VF' },
  'not-a-vf': { type: ProblemType.refused, status: 422, title: 'Not a VF' },
  'vf-held': { type: ProblemType.conflict, status: 409, title: 'The VF is already held by a VM' },
  'vf-not-held': { type: ProblemType.conflict, status: 409, title: 'No VM holds the VF' },
  'vf-held-by-process': { type: ProblemType.conflict, status: 409, title: 'A running process holds the VF' },
  'iommu-group-shared': { type: ProblemType.refused, status: 409, title: 'The VF shares its IOMMU group' },
  'no-iommu-group': { type: ProblemType.refused, status: 409, title: 'The VF has no IOMMU group' },
  'unknown-vm': { type: ProblemType.notFound, status: 404, title: 'No such VM' },
  'no-net-interface': { type: ProblemType.refused, status: 422, title: 'The PF has no network interface' },
  'no-vf-settings': { type: ProblemType.refused, status: 409, title: "The VF's settings cannot be read or set" },
  'vf-in-use': { type: ProblemType.conflict, status: 409, title: 'A running VM uses the VF' },
  'driver-not-loaded': { type: ProblemType.refused, status: 409, title: 'The driver is not loaded' },
  'no-permanent-mac': { type: ProblemType.refused, status: 422, title: 'The PF reports no permanent MAC' },
};

/**
 * The agent's refusal for `reason`, held to the model's schema of it: the fake can send no field
 * the agent could not (parsing drops what a schema does not know, so a difference is one).
 */
function refused(reason: RefusalReason, detail: string, details: Record<string, unknown> = {}): Refusal {
  const problem: unknown = { ...REFUSALS[reason], detail, reason, ...details };
  const parsed = Problem.parse(problem);
  if (!isDeepStrictEqual(parsed, problem)) throw new Error(`the fake agent's ${reason} problem does not match the model's schema: ${JSON.stringify(problem)}`);
  return new Refusal(parsed);
}

/** Answers a write route; false when the request is not one. */
export async function handleWrite(req: IncomingMessage, res: ServerResponse, path: string, host: WriteHost, controls: ReturnType<typeof writeControls>): Promise<boolean> {
  const route = ROUTES.find((r) => r.method === req.method && r.re.test(path));
  if (!route) return false;
  const [, hostId, target] = route.re.exec(path)!.map((s) => decodeURIComponent(s));
  const read = await readJson(req);
  const body = read.ok ? read.body : read.text;
  const ifMatch = req.headers['if-match'];
  controls.log.push({ method: req.method!, path, body, authorization: req.headers.authorization, ...(ifMatch === undefined ? {} : { ifMatch }) });
  try {
    // The agent's JSON parser runs before anything else: a body that is not JSON is a bad request
    // even without a token.
    if (!read.ok) throw new Refusal({ type: ProblemType.badRequest, title: 'Bad request', status: 400, detail: `The request body is not valid JSON: ${read.error}` });
    authorize(req, res, controls);
    const topology = host.get(hostId!);
    if (!topology) throw new Refusal({ type: ProblemType.notFound, title: 'Not found', status: 404, detail: `No host "${hostId}" here; GET /api/v1/hosts lists the hosts this server knows.` });
    await controls.gate();
    // The agent's precondition (operations/precondition.ts): If-Match names the topology's ETag
    // now, or * — else 412 and nothing is done. (The fake keeps no PF ETags: the page sends the topology's.)
    const etag = host.etag(hostId!);
    if (ifMatch !== undefined && ifMatch.trim() !== '*' && !ifMatch.split(',').some((t) => t.trim() === etag)) {
      const pf = route.kind === 'numvfs' ? target! : (topology.pfs.find((p) => p.vfs.some((v) => v.address === target))?.address ?? target!);
      throw new Refusal({
        type: ProblemType.preconditionFailed,
        status: 412,
        title: 'The host changed since it was read',
        detail: `The host changed after the ETag given in If-Match (${ifMatch}) was read: its topology is ${etag} now. Nothing was written; read the topology again and decide on what it shows.`,
        etag,
        pfEtag: `"pf-${etag.replace(/"/g, '')}"`,
        pf,
      });
    }
    const scripted = controls.take();
    if (scripted) {
      if (scripted.apply) host.set(hostId!, scripted.apply(host.get(hostId!)!));
      throw new Refusal(scripted.problem);
    }
    const answer =
      route.kind === 'numvfs' ? numVfs(host, hostId!, target!, body) : route.kind === 'assign' ? assign(host, hostId!, target!, body) : release(host, hostId!, target!);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    res.statusCode = err.problem.status;
    res.setHeader('content-type', 'application/problem+json');
    res.end(JSON.stringify({ ...err.problem, instance: path }));
  }
  return true;
}

function authorize(req: IncomingMessage, res: ServerResponse, controls: WriteControls): void {
  if (controls.token === null) {
    throw new Refusal({ type: ProblemType.readOnly, title: 'The agent is read-only', status: 403, detail: 'This agent runs with --read-only: it shows the topology and changes nothing.' });
  }
  const m = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m || m[1] !== controls.token) {
    res.setHeader('www-authenticate', m ? 'Bearer realm="vfmap", error="invalid_token"' : 'Bearer realm="vfmap"');
    throw new Refusal({
      type: ProblemType.unauthorized,
      title: 'Unauthorized',
      status: 401,
      detail: m ? 'The bearer token is not this agent\'s write token.' : 'Changes need the agent\'s write token: send "Authorization: Bearer <token>".',
    });
  }
}

function numVfs(host: WriteHost, hostId: string, address: string, body: unknown): NumVfsResult {
  const request = parse(NumVfsRequest, body);
  const topology = host.get(hostId)!;
  const pf = findPf(topology, address);
  if (request.count > pf.totalVfs) {
    throw refused('count-out-of-range', `${address} supports at most ${pf.totalVfs} VFs (sriov_totalvfs); ${request.count} were asked for.`, {
      totalVfs: pf.totalVfs,
      count: request.count,
    });
  }
  // The agent's check (operations/numVfs.ts): a count that needs a VF past bus ff is refused
  // before anything is written.
  const possible = possibleVfs(pf);
  if (request.count > possible) {
    throw refused(
      'count-out-of-range',
      `${address} can have at most ${possible} VFs: VF ${possible} and above would lie past bus ff, where there is no PCI address (the kernel would answer ENOMEM); ${request.count} were asked for.`,
      { totalVfs: pf.totalVfs, possibleVfs: possible, count: request.count },
    );
  }
  // The agent's plan: which writes, which VFs VMs hold that the change destroys.
  const plan = planNumVfs(pf, request.count, topology.vms);
  if (plan.writes.length === 0) {
    return { operationId: 'op-fixture', pf, previousCount: pf.numVfs, count: pf.numVfs, changed: false, destroyed: [], created: [], forced: [], message: `${address} already has ${pf.numVfs} VFs; nothing was written.` };
  }
  const held = plan.held.map(heldVfOf);
  const vms = vmsLosingVfs(plan);
  if (held.length > 0 && !request.force) {
    throw refused('vfs-held', describeHeldRefusal(pf, request.count, plan), { previousCount: pf.numVfs, count: request.count, vms, vfs: held });
  }
  if (pf.driver === null) {
    // The agent finds out only when it writes: the kernel answers ENOENT to the first write
    // (0 when VFs are enabled, else the count), and problems.ts words that errno.
    throw new Refusal({
      type: ProblemType.kernel,
      title: 'No driver is bound to the PF',
      status: 409,
      detail: `No driver is bound to PF ${address}, and the kernel changes VF counts only through the PF's driver (ENOENT). Bind the PF's driver (or pci-pf-stub) and try again.`,
      errno: 'ENOENT',
      path: `/sys/bus/pci/devices/${address}/sriov_numvfs`,
      pf: address,
      value: plan.writes[0]!,
    });
  }
  const after = withNumVfs(topology, address, request.count, host.gone(hostId));
  host.set(hostId, after);
  const pfAfter = after.pfs.find((p) => p.address === address)!;
  return {
    operationId: 'op-fixture',
    pf: pfAfter,
    previousCount: pf.numVfs,
    count: pfAfter.numVfs,
    changed: true,
    destroyed: plan.destroyed.map((v) => v.address),
    created: pfAfter.vfs.map((v) => v.address),
    forced: held,
    message: describeNumVfsChange(pf, request.count, plan, pfAfter.numVfs),
  };
}

/** The PF at `address`, or the agent's refusal (operations/lookup.ts) saying what is there instead. */
function findPf(topology: Topology, address: string): Pf {
  const pf = topology.pfs.find((p) => p.address === address);
  if (pf) return pf;
  for (const owner of topology.pfs) {
    const vf = owner.vfs.find((v) => v.address === address);
    if (vf) throw refused('not-a-pf', `${address} is VF ${vf.index} of PF ${owner.address}; VF counts are set on the PF.`, { pf: owner.address });
  }
  if (topology.devices.some((d) => d.address === address)) {
    throw refused('not-a-pf', `${address} has no SR-IOV capability (no sriov_totalvfs in sysfs), so it has no VFs to count.`);
  }
  throw refused('unknown-pf', `There is no PCI device ${address} on host ${topology.host.id}.`);
}


function findVf(topology: Topology, address: string): Vf {
  const vf = topology.pfs.flatMap((p) => p.vfs).find((v) => v.address === address);
  if (vf) return vf;
  if (topology.pfs.some((p) => p.address === address) || topology.devices.some((d) => d.address === address)) {
    throw refused('not-a-vf', `${address} is not a VF; only VFs are given to VMs here.`);
  }
  throw refused('unknown-vf', `There is no VF ${address} on host ${topology.host.id}.`);
}

function assign(host: WriteHost, hostId: string, address: string, body: unknown): AssignmentResult {
  const request = parse(AssignmentRequest, body);
  const topology = host.get(hostId)!;
  const vf = findVf(topology, address);
  const vm = topology.vms.find((v) => v.id === request.vmId);
  if (!vm) {
    const known = topology.vms.map((v) => `${v.id} (${v.name})`).join(', ');
    throw refused('unknown-vm', `The ${topology.host.hypervisor} hypervisor has no VM "${request.vmId}"${known ? `; its VMs are ${known}` : ''}.`, { vmId: request.vmId });
  }
  if (vf.holder) {
    throw refused('vf-held', `${address} is already held by VM ${vf.holder.vmName} (${vf.holder.vmId}) as ${vf.holder.via}; release it first.`, { holder: vf.holder });
  }
  if (vf.iommuGroup === null) {
    throw refused('no-iommu-group', `${address} has no IOMMU group (is the IOMMU enabled, e.g. intel_iommu=on?), so it cannot be passed through to a VM.`);
  }
  const members = groupPeers(address, vf.iommuGroup, topology);
  if (members.length > 0) {
    throw refused(
      'iommu-group-shared',
      `${address} shares IOMMU group ${vf.iommuGroup} with ${members.join(', ')}; a VM can only be given the whole group, so this VF cannot be given alone.`,
      { iommuGroup: vf.iommuGroup, members },
    );
  }
  const via = nextHostpci(topology, vm, host.gone(hostId));
  const effect = vm.state === 'stopped' ? 'next-start' : 'live';
  // A running (or paused) VM's QEMU opens the device's group at the hot-plug: config and process both name it.
  const source = vm.state === 'stopped' ? 'config' : 'both';
  const after = withHolder(topology, address, { vmId: vm.id, vmName: vm.name, via, pending: false, pendingChange: null, source });
  host.set(hostId, after);
  return {
    operationId: 'op-fixture',
    vf: findVf(after, address),
    vm,
    effect,
    via,
    message: effect === 'live' ? `VM ${vm.name} (${vm.id}) has ${address} now, as ${via}.` : `VM ${vm.name} (${vm.id})'s configuration names ${address} as ${via}; the VM (${vm.state}) gets it at its next start.`,
  };
}

function release(host: WriteHost, hostId: string, address: string): AssignmentResult {
  const topology = host.get(hostId)!;
  const vf = findVf(topology, address);
  const holder = vf.holder;
  if (!holder) throw refused('vf-not-held', `No VM holds ${address}; there is nothing to release.`);
  if (holder.source === 'running') {
    const { pid, configuredVmId, detail } = describeHeldByProcess(address, holder, topology.vms);
    throw refused('vf-held-by-process', detail, { holder, pid, configuredVmId });
  }
  const vm = topology.vms.find((v) => v.id === holder.vmId) ?? { id: holder.vmId, name: holder.vmName, state: 'unknown' as const };
  const effect = vm.state === 'stopped' ? 'next-start' : 'live';
  const after = withHolder(topology, address, null);
  host.set(hostId, after);
  return {
    operationId: 'op-fixture',
    vf: findVf(after, address),
    vm,
    effect,
    via: holder.via,
    message:
      effect === 'live'
        ? `VM ${vm.name} (${vm.id}) no longer has ${address} (it was ${holder.via}).`
        : `VM ${vm.name} (${vm.id})'s configuration no longer names ${address} (it was ${holder.via}); the VM is stopped, so nothing uses it.`,
  };
}

/** The agent's answer to a body its schema refuses (problems.ts, ZodError): each issue with its path. */
function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const detail = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new Refusal({ type: ProblemType.badRequest, title: 'Bad request', status: 400, detail, issues });
}

type ReadBody = { ok: true; body: unknown } | { ok: false; text: string; error: string };

/**
 * The body as the agent's express.json() reads it: only an application/json body is parsed (any
 * other is no body at all), an empty one is none, and in strict mode only an object or an array
 * is JSON enough.
 */
async function readJson(req: IncomingMessage): Promise<ReadBody> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' || text === '') return { ok: true, body: undefined };
  if (!/^\s*[{[]/.test(text)) return { ok: false, text, error: `${JSON.stringify(text.slice(0, 20))} is not an object or an array` };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (err) {
    return { ok: false, text, error: (err as Error).message };
  }
}
