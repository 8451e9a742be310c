import { z } from 'zod';
import { Card, Device, HostList, IommuGroup, Netdev, PciAddress, PciSlot, Pf, Problem, Topology, Vf, Vm, Warning, Holder } from '@vfmap/model';
import { VERSION } from './version';

/**
 * The OpenAPI document, generated from the model's zod schemas (never written by hand, so it
 * cannot drift from what the agent sends). Each schema registered here becomes a component.
 */
const components: Record<string, z.ZodType> = {
  Topology, Pf, Vf, Card, Device, IommuGroup, Netdev, Holder, Vm, Warning, PciAddress, PciSlot, HostList, Problem,
};

interface Operation {
  method: 'get' | 'put' | 'post' | 'delete';
  path: string;
  summary: string;
  params?: { name: string; description: string; schema?: string }[];
  body?: string;
  responses: Record<string, { description: string; schema?: string; contentType?: string }>;
}

const problems = {
  '404': { description: 'No such host or resource', schema: 'Problem', contentType: 'application/problem+json' },
  '500': { description: 'The agent or the kernel failed', schema: 'Problem', contentType: 'application/problem+json' },
};

const hostParam = { name: 'host', description: 'host id, as GET /api/v1/hosts lists it' };

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
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the agent answers',
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
        in: 'path',
        required: true,
        description: p.description,
        schema: p.schema ? { $ref: `#/components/schemas/${p.schema}` } : { type: 'string' },
      })),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body}` } } } } } : {}),
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
    components: { schemas: componentSchemas() },
  };
}
