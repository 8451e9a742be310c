import { z } from 'zod';
import {
  AssignmentRequest,
  AssignmentResult,
  AuditEntry,
  AuditPage,
  Card,
  Device,
  HeldVf,
  Holder,
  HostList,
  IommuGroup,
  Netdev,
  NumVfsRequest,
  NumVfsResult,
  PciAddress,
  PciSlot,
  Pf,
  Problem,
  Topology,
  VfmapEvent,
  Vf,
  Vm,
  Warning,
} from '@vfmap/model';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from './routes/auditRoutes';
import { VERSION } from './version';

/**
 * The OpenAPI document, generated from the model's zod schemas (never written by hand, so it
 * cannot drift from what the agent sends). Each schema registered here becomes a component.
 */
const components: Record<string, z.ZodType> = {
  Topology, Pf, Vf, Card, Device, IommuGroup, Netdev, Holder, Vm, Warning, PciAddress, PciSlot, HostList, Problem,
  NumVfsRequest, NumVfsResult, HeldVf, AssignmentRequest, AssignmentResult, AuditEntry, AuditPage, VfmapEvent,
};

interface Param {
  name: string;
  description: string;
  schema?: string;
  /** Path parameters (the default) are required; query parameters are not. */
  in?: 'path' | 'query';
  inline?: Record<string, unknown>;
}

interface Operation {
  method: 'get' | 'put' | 'post' | 'delete';
  path: string;
  summary: string;
  params?: Param[];
  body?: string;
  /** Needs the bearer token. */
  write?: boolean;
  responses: Record<string, { description: string; schema?: string; contentType?: string }>;
}

const problem = (description: string) => ({ description, schema: 'Problem', contentType: 'application/problem+json' });

const problems = {
  '404': problem('No such host or resource'),
  '500': problem('The agent or the kernel failed'),
};

/** What every write can answer besides its own refusals. */
const writeProblems = {
  '400': problem('The body or an address does not validate (issues[] lists each)'),
  '401': problem('No bearer token, or not the agent\'s (WWW-Authenticate: Bearer)'),
  '403': problem('The agent runs with --read-only'),
  ...problems,
};

const hostParam: Param = { name: 'host', description: 'host id, as GET /api/v1/hosts lists it' };

export const operations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/hosts',
    summary: 'The hosts this server knows (an agent: itself)',
    responses: { '200': { description: 'host list', schema: 'HostList' } },
  },
  {
    method: 'get',
    path: '/api/v1/hosts/{host}/topology',
    summary: "A host's PCI/SR-IOV topology, with the VMs that hold its devices. Sends an ETag; answers 304 to If-None-Match when unchanged.",
    params: [hostParam],
    responses: { '200': { description: 'topology', schema: 'Topology' }, '304': { description: 'unchanged since the ETag given' }, ...problems },
  },
  {
    method: 'put',
    path: '/api/v1/hosts/{host}/pfs/{pf}/numvfs',
    summary:
      "Sets a PF's VF count. With VFs enabled and another non-zero count it writes 0 first, then the count (the kernel refuses N→M with EBUSY), which destroys and re-creates every VF; refused with 409 and the VMs involved when VMs hold any VF it destroys, unless force. Requests on one PF queue and never interleave. Answers with the PF re-read from sysfs.",
    params: [hostParam, { name: 'pf', description: 'PCI address of the PF', schema: 'PciAddress' }],
    body: 'NumVfsRequest',
    write: true,
    responses: {
      '200': { description: 'done (or nothing to do: changed is false)', schema: 'NumVfsResult' },
      ...writeProblems,
      '404': problem('No such host or PF (not-found)'),
      '409': problem('VMs hold VFs the change destroys (conflict: reason vfs-held, vms[], vfs[]); VFs already enabled (kernel EBUSY); no PF driver bound (kernel ENOENT)'),
      '422': problem('More than totalVfs, or a VF past bus ff (refused: count-out-of-range, nothing written), not a PF (not-a-pf), or a value the kernel refused (ERANGE, EINVAL)'),
      '500': problem('The kernel failed (EACCES: the agent is not root), or the change stopped half-way (partial: 0 was written, the count refused; stoppedAt and pfNow say where it is)'),
    },
  },
  {
    method: 'post',
    path: '/api/v1/hosts/{host}/vfs/{vf}/assignment',
    summary:
      "Gives a free VF to a VM through the hypervisor. The answer's effect says whether the VM has it now (live) or at its next start (next-start).",
    params: [hostParam, { name: 'vf', description: 'PCI address of the VF', schema: 'PciAddress' }],
    body: 'AssignmentRequest',
    write: true,
    responses: {
      '200': { description: 'the VM configuration names the VF', schema: 'AssignmentResult' },
      ...writeProblems,
      '404': problem('No such host, VF (unknown-vf) or VM (unknown-vm)'),
      '409': problem('The VF is held (vf-held), shares its IOMMU group (iommu-group-shared, members[]), has none (no-iommu-group), or the hypervisor refused'),
      '422': problem('The address is not a VF (not-a-vf)'),
      '502': problem('The hypervisor command failed'),
    },
  },
  {
    method: 'delete',
    path: '/api/v1/hosts/{host}/vfs/{vf}/assignment',
    summary: 'Takes a VF back from the VM whose configuration names it.',
    params: [hostParam, { name: 'vf', description: 'PCI address of the VF', schema: 'PciAddress' }],
    write: true,
    responses: {
      '200': { description: 'the VM configuration no longer names the VF', schema: 'AssignmentResult' },
      ...writeProblems,
      '404': problem('No such host or VF'),
      '409': problem('No VM holds the VF (vf-not-held), or the hypervisor refused'),
      '502': problem('The hypervisor command failed'),
    },
  },
  {
    method: 'get',
    path: '/api/v1/hosts/{host}/audit',
    summary: 'The latest operations from the audit log (<stateDir>/audit.jsonl), newest first, whatever their result.',
    params: [
      hostParam,
      { name: 'limit', in: 'query', description: `how many entries (1-${AUDIT_MAX_LIMIT}, default ${AUDIT_DEFAULT_LIMIT})`, inline: { type: 'integer', minimum: 1, maximum: AUDIT_MAX_LIMIT, default: AUDIT_DEFAULT_LIMIT } },
    ],
    responses: { '200': { description: 'audit entries', schema: 'AuditPage' }, '400': problem('limit out of range'), ...problems },
  },
  {
    method: 'get',
    path: '/api/v1/hosts/{host}/events',
    summary:
      'Server-sent events: `event: <type>` and `data: <VfmapEvent JSON>` — operation.started, operation.finished, topology.changed (after an operation, or when the periodic check sees the kernel or hypervisor change) — with a keep-alive comment every 15 s.',
    params: [hostParam],
    responses: { '200': { description: 'an event stream; each data line is a VfmapEvent', contentType: 'text/event-stream' }, '404': problems['404'] },
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the agent answers `{ status, version, hosts, kernel }`; `kernel` is what VF counts are written to (--kernel: real, simulated or none)',
    responses: { '200': { description: 'ok' } },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    responses: { '200': { description: 'text exposition format', contentType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    responses: { '200': { description: 'OpenAPI 3.1' } },
  },
];

export function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, target: 'draft-2020-12', io: 'output' });
  const out: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
    out[id] = rest;
  }
  return out;
}

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: { $ref: `#/components/schemas/${r.schema}` } } } }
        : r.contentType
          ? { description: r.description, content: { [r.contentType]: { schema: { type: 'string' } } } }
          : { description: r.description };
    }
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters: (op.params ?? []).map((p) => ({
        name: p.name,
        in: p.in ?? 'path',
        required: (p.in ?? 'path') === 'path',
        description: p.description,
        schema: p.inline ?? (p.schema ? { $ref: `#/components/schemas/${p.schema}` } : { type: 'string' }),
      })),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body}` } } } } } : {}),
      ...(op.write ? { security: [{ bearer: [] }] } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'vfmap agent API',
      version: VERSION,
      description: 'SR-IOV topology of virtualisation hosts: PFs, VFs, IOMMU groups and the VMs that hold VFs. Errors are application/problem+json (RFC 9457).',
    },
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The agent\'s write token: VFMAP_TOKEN, --token-file, or <stateDir>/token made at the first start. Reads need none.',
        },
      },
    },
  };
}
