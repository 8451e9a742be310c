import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AssignmentRequest,
  NumVfsRequest,
  ProblemType,
  vfState,
  type AssignmentResult,
  type HeldVf,
  type NumVfsResult,
  type Problem,
  type Topology,
} from '@vfmap/model';
import type { z } from 'zod';
import { nextHostpci, withHolder, withNumVfs } from './topologyChanges';

/**
 * The agent's write API as the fixture server answers it: the same routes, status codes,
 * problem types and extra fields as apps/agent (server/problems.ts, operations/*), over the
 * fixture topologies. Component tests drive the page's writes through real HTTP against it.
 */
export interface WriteControls {
  /** the bearer token writes need; null makes the server read-only (--read-only). */
  token: string | null;
  /** the next write answers this problem instead of acting; `apply` changes the host as the failure did. */
  failNext(problem: Problem, apply?: (topology: Topology) => Topology): void;
  /** writes wait until the returned function is called: the page's "in progress" can be looked at. */
  hold(): () => void;
  /** every write received, in order. */
  log: { method: string; path: string; body: unknown; authorization: string | undefined }[];
}

export interface WriteHost {
  get(hostId: string): Topology | undefined;
  set(hostId: string, topology: Topology): void;
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

/** Answers a write route; false when the request is not one. */
export async function handleWrite(req: IncomingMessage, res: ServerResponse, path: string, host: WriteHost, controls: ReturnType<typeof writeControls>): Promise<boolean> {
  const route = ROUTES.find((r) => r.method === req.method && r.re.test(path));
  if (!route) return false;
  const [, hostId, target] = route.re.exec(path)!.map((s) => decodeURIComponent(s));
  const body = await readJson(req);
  controls.log.push({ method: req.method!, path, body, authorization: req.headers.authorization });
  try {
    authorize(req, res, controls);
    const topology = host.get(hostId!);
    if (!topology) throw new Refusal({ type: ProblemType.notFound, title: 'Not found', status: 404, detail: `No host "${hostId}" here` });
    await controls.gate();
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
  const pf = topology.pfs.find((p) => p.address === address);
  if (!pf) throw new Refusal({ type: ProblemType.notFound, title: 'No such PF', status: 404, detail: `There is no SR-IOV PF ${address} on host ${hostId}.`, reason: 'unknown-pf' });
  if (request.count > pf.totalVfs) {
    throw new Refusal({
      type: ProblemType.refused,
      title: 'More VFs than the PF supports',
      status: 422,
      detail: `${address} supports at most ${pf.totalVfs} VFs (sriov_totalvfs); ${request.count} were asked for.`,
      reason: 'count-out-of-range',
      totalVfs: pf.totalVfs,
      count: request.count,
    });
  }
  if (request.count === pf.numVfs) {
    return { operationId: 'op-fixture', pf, previousCount: pf.numVfs, count: pf.numVfs, changed: false, destroyed: [], created: [], forced: [], message: `${address} already has ${pf.numVfs} VFs; nothing was written.` };
  }
  if (pf.driver === null) {
    throw new Refusal({
      type: ProblemType.kernel,
      title: 'No driver is bound to the PF',
      status: 409,
      detail: `No driver is bound to PF ${address}, and the kernel changes VF counts only through the PF's driver (ENOENT).`,
      errno: 'ENOENT',
      path: `/sys/bus/pci/devices/${address}/sriov_numvfs`,
      pf: address,
      value: String(request.count),
    });
  }
  const held: HeldVf[] = pf.vfs
    .filter((v) => v.holder)
    .map((v) => ({ address: v.address, index: v.index, vmId: v.holder!.vmId, vmName: v.holder!.vmName, recreated: v.index < request.count }));
  const vms = [...new Map(held.map((h) => [h.vmId, { vmId: h.vmId, vmName: h.vmName, vfs: held.filter((x) => x.vmId === h.vmId).map((x) => x.address) }])).values()];
  if (held.length > 0 && !request.force) {
    throw new Refusal({
      type: ProblemType.conflict,
      title: 'VMs hold VFs this change destroys',
      status: 409,
      detail: `Changing ${address} from ${pf.numVfs} to ${request.count} VFs destroys every VF, and VMs hold ${held.length} of them: ${vms.map((vm) => `${vm.vmName} (${vm.vmId}) holds ${vm.vfs.join(', ')}`).join('; ')}. Release them first, or ask again with force.`,
      reason: 'vfs-held',
      previousCount: pf.numVfs,
      count: request.count,
      vms,
      vfs: held,
    });
  }
  const after = withNumVfs(topology, address, request.count);
  host.set(hostId, after);
  const pfAfter = after.pfs.find((p) => p.address === address)!;
  return {
    operationId: 'op-fixture',
    pf: pfAfter,
    previousCount: pf.numVfs,
    count: pfAfter.numVfs,
    changed: true,
    destroyed: pf.vfs.map((v) => v.address),
    created: pfAfter.vfs.map((v) => v.address),
    forced: held,
    message: pf.numVfs === 0 ? `Enabled ${request.count} VFs on ${address}.` : request.count === 0 ? `Disabled the ${pf.numVfs} VFs of ${address}.` : `Changed ${address} from ${pf.numVfs} to ${request.count} VFs: wrote 0, then ${request.count}.`,
  };
}

function findVf(topology: Topology, hostId: string, address: string) {
  const vf = topology.pfs.flatMap((p) => p.vfs).find((v) => v.address === address);
  if (!vf) throw new Refusal({ type: ProblemType.notFound, title: 'No such VF', status: 404, detail: `There is no VF ${address} on host ${hostId}.`, reason: 'unknown-vf' });
  return vf;
}

function assign(host: WriteHost, hostId: string, address: string, body: unknown): AssignmentResult {
  const request = parse(AssignmentRequest, body);
  const topology = host.get(hostId)!;
  const vf = findVf(topology, hostId, address);
  const vm = topology.vms.find((v) => v.id === request.vmId);
  if (!vm) throw new Refusal({ type: ProblemType.notFound, title: 'No such VM', status: 404, detail: `The hypervisor lists no VM ${request.vmId}.`, reason: 'unknown-vm' });
  if (vf.holder) {
    throw new Refusal({
      type: ProblemType.conflict,
      title: 'The VF is already held by a VM',
      status: 409,
      detail: `${address} is already held by VM ${vf.holder.vmName} (${vf.holder.vmId}) as ${vf.holder.via}; release it first.`,
      reason: 'vf-held',
      holder: vf.holder,
    });
  }
  if (vf.iommuGroup === null) {
    throw new Refusal({ type: ProblemType.refused, title: 'The VF has no IOMMU group', status: 409, detail: `${address} has no IOMMU group, so it cannot be passed through to a VM.`, reason: 'no-iommu-group' });
  }
  if (vfState(vf, topology) !== 'free') {
    const members = topology.iommuGroups.find((g) => g.id === vf.iommuGroup)?.devices.filter((d) => d !== address) ?? [];
    throw new Refusal({
      type: ProblemType.refused,
      title: 'The VF shares its IOMMU group',
      status: 409,
      detail: `${address} shares IOMMU group ${vf.iommuGroup} with ${members.join(', ')}; a VM can only be given the whole group, so this VF cannot be given alone.`,
      reason: 'iommu-group-shared',
      iommuGroup: vf.iommuGroup,
      members,
    });
  }
  const via = nextHostpci(topology, vm);
  const effect = vm.state === 'stopped' ? 'next-start' : 'live';
  const after = withHolder(topology, address, { vmId: vm.id, vmName: vm.name, via, pending: false });
  host.set(hostId, after);
  return {
    operationId: 'op-fixture',
    vf: findVf(after, hostId, address),
    vm,
    effect,
    via,
    message: effect === 'live' ? `VM ${vm.name} (${vm.id}) has ${address} now, as ${via}.` : `VM ${vm.name} (${vm.id})'s configuration names ${address} as ${via}; the VM (${vm.state}) gets it at its next start.`,
  };
}

function release(host: WriteHost, hostId: string, address: string): AssignmentResult {
  const topology = host.get(hostId)!;
  const vf = findVf(topology, hostId, address);
  const holder = vf.holder;
  if (!holder) throw new Refusal({ type: ProblemType.conflict, title: 'No VM holds the VF', status: 409, detail: `No VM holds ${address}; there is nothing to release.`, reason: 'vf-not-held' });
  const vm = topology.vms.find((v) => v.id === holder.vmId) ?? { id: holder.vmId, name: holder.vmName, state: 'unknown' as const };
  const effect = vm.state === 'stopped' ? 'next-start' : 'live';
  const after = withHolder(topology, address, null);
  host.set(hostId, after);
  return {
    operationId: 'op-fixture',
    vf: findVf(after, hostId, address),
    vm,
    effect,
    via: holder.via,
    message:
      effect === 'live'
        ? `VM ${vm.name} (${vm.id}) no longer has ${address} (it was ${holder.via}).`
        : `VM ${vm.name} (${vm.id})'s configuration no longer names ${address} (it was ${holder.via}); the VM is stopped, so nothing uses it.`,
  };
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ');
  throw new Refusal({ type: ProblemType.badRequest, title: 'Bad request', status: 400, detail });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
