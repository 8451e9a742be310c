import { z } from 'zod';
import {
  AssignmentRequest,
  AssignmentResult,
  AuditEntry,
  AuditPage,
  AutoprobeRequest,
  BadRequestProblem,
  Card,
  ConflictProblem,
  HypervisorProblem,
  Device,
  FleetVf,
  FleetVfList,
  HeldVf,
  HostPersistence,
  HostChecks,
  Check,
  HostCapacity,
  HostCounts,
  Holder,
  HostList,
  HostStatus,
  HostSummary,
  IommuGroup,
  KernelProblem,
  Netdev,
  NotFoundProblem,
  NumVfsRequest,
  NumVfsResult,
  PciAddress,
  PciSlot,
  Pf,
  PfPersistence,
  PfWriteResult,
  PrepareRequest,
  PrepareResult,
  Problem,
  problemVariants,
  RefusedProblem,
  StableMacsRequest,
  Topology,
  VfmapEvent,
  Vf,
  VfDriverRequest,
  VfDriverResult,
  Vm,
  Warning,
  VfConfigChange,
  VfConfigResult,
  PROBLEM_CONTENT_TYPE,
} from '@vfmap/model';
import { problemLabel, problemVariantInfo } from './problemCatalog';
import { apiRoutes } from './routes/apiRoutes';
import { Health } from './routes/healthRoutes';
import { OpenApiDocument } from './routes/openapiRoutes';
import { otherAnswersOf, problemsOf, type RouteAnswer, type RouteDeclaration } from './routes/route';
import { VERSION } from './version';

/**
 * The OpenAPI document, written from the route declarations Express mounts (routes/apiRoutes.ts)
 * and the model's zod schemas, never by hand, so it cannot drift from what the agent serves and
 * sends. Each schema named here becomes a component; a route's body, answer and problems must be one.
 */
const components: Record<string, z.ZodType> = {
  Topology, Pf, Vf, Card, Device, IommuGroup, Netdev, Holder, Vm, Warning, PciAddress, PciSlot, HostList, HostSummary, HostStatus, HostCounts, HostCapacity, FleetVf, FleetVfList,
  NumVfsRequest, NumVfsResult, HeldVf, AssignmentRequest, AssignmentResult, VfConfigChange, VfConfigResult, AuditEntry, AuditPage, VfmapEvent, Health, OpenApiDocument,
  StableMacsRequest, PfWriteResult, PrepareRequest, PrepareResult,
  // issue 14, persistence
  HostPersistence, PfPersistence,
  // issue 15, checks
  HostChecks, Check,
  Problem, NotFoundProblem, BadRequestProblem, RefusedProblem, ConflictProblem, KernelProblem, HypervisorProblem, ...problemVariants,
  VfDriverRequest, VfDriverResult, AutoprobeRequest,
};
const componentNames = new Map<z.ZodType, string>(Object.entries(components).map(([name, schema]) => [schema, name]));

function ref(schema: z.ZodType): { $ref: string } {
  const name = componentNames.get(schema);
  if (!name) throw new Error(`a route uses a schema that is not a component of the OpenAPI document (${schema.description ?? 'no description'})`);
  return { $ref: `#/components/schemas/${name}` };
}

/** A parameter's schema: its component when it has one, else written out. */
function parameterSchema(schema: z.ZodType): unknown {
  if (componentNames.has(schema)) return ref(schema);
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return rest;
}

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

/** `/api/v1/hosts/:host/topology` → `/api/v1/hosts/{host}/topology`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function answerResponse(answer: RouteAnswer): unknown {
  if ('schema' in answer) return { description: answer.description, content: { 'application/json': { schema: ref(answer.schema) } } };
  return { description: answer.description, content: { [answer.contentType]: { schema: { type: 'string' } } } };
}

/** Each status a route's problems are sent with, and the problems sent with it. */
function problemResponses(declaration: RouteDeclaration): Record<string, unknown> {
  const byStatus = new Map<number, ReturnType<typeof problemVariantInfo>[]>();
  for (const variant of problemsOf(declaration)) {
    const info = problemVariantInfo(variant);
    for (const status of info.statuses) byStatus.set(status, [...(byStatus.get(status) ?? []), info]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, infos] of [...byStatus].sort(([a], [b]) => a - b)) {
    const refs = infos.map((info) => ({ $ref: `#/components/schemas/${info.name}` }));
    out[String(status)] = {
      description: infos.map((info) => `${problemLabel([info])}: ${info.description}`).join('; '),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: refs.length === 1 ? refs[0] : { anyOf: refs } } },
    };
  }
  return out;
}

function operation(operationId: string, declaration: RouteDeclaration): unknown {
  const parameters = [
    ...Object.entries(declaration.params.shape).map(([name, schema]) => ({ name, in: 'path', required: true, description: schema.description, schema: parameterSchema(schema) })),
    ...Object.entries(declaration.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: !schema.safeParse(undefined).success,
      description: schema.description,
      schema: parameterSchema(schema),
    })),
    ...(declaration.ifMatch
      ? [
          {
            name: 'If-Match',
            in: 'header',
            required: false,
            description:
              "* (any state), or the ETag of GET topology or of the PF (\"pf-…\", a numvfs answer's ETag): checked in the PF's queue turn against the host as it is then; 412 precondition-failed when none matches. Without it the write applies to whatever the host shows.",
            schema: { type: 'string' },
          },
        ]
      : []),
  ];
  const responses: Record<string, unknown> = { '200': answerResponse(declaration.answer) };
  for (const [status, description] of Object.entries(otherAnswersOf(declaration))) responses[status] = { description };
  return {
    operationId,
    summary: declaration.summary,
    parameters,
    ...(declaration.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(declaration.body) } } } } : {}),
    ...(declaration.write ? { security: [{ bearer: [] }] } : {}),
    responses: { ...responses, ...problemResponses(declaration) },
  };
}

export function buildOpenApi(routes: Record<string, RouteDeclaration> = apiRoutes): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, declaration] of Object.entries(routes)) {
    (paths[openApiPath(declaration.path)] ??= {})[declaration.method] = operation(operationId, declaration);
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
