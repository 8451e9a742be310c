import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { HostRegistry } from './hostRegistry';
import { createLogger } from './logger';
import { Metrics } from './metrics';
import { buildOpenApi } from './openapi';
import { createApp } from './server/createApp';

interface Operation {
  parameters: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string; anyOf?: { $ref: string }[] } }> }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, { const?: unknown; enum?: unknown[] }>; required?: string[] }> };
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every method and path Express routes, in OpenAPI's spelling (`:host` → `{host}`). */
function expressRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      } else if (layer.handle.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found.sort();
}

describe('the OpenAPI document', () => {
  const doc = buildOpenApi() as unknown as Doc;
  const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));

  it('describes exactly the routes Express serves', () => {
    // Without a built page: its routes (/, /assets/...) are HTML, not API.
    const app = createApp({ hosts: new HostRegistry([]), logger: createLogger('silent'), metrics: new Metrics(), writeAccess: { readOnly: true }, kernel: 'none' });
    const documented = operations.map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
    expect(expressRoutes(app)).toEqual(documented);
    expect(documented).toContain('PUT /api/v1/hosts/{host}/pfs/{pf}/numvfs');
  });

  it('documents each path parameter of each route, and no other', () => {
    for (const { path, method, op } of operations) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name), `${method} ${path}`).toEqual(inPath);
    }
  });

  it('documents each error status with problems that are sent with that status', () => {
    for (const { path, method, op } of operations) {
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => Number(s) >= 400)) {
        const schema = response.content?.['application/problem+json']?.schema;
        expect(schema, `${method} ${path} ${status}`).toBeDefined();
        const refs = schema!.anyOf?.map((s) => s.$ref) ?? [schema!.$ref!];
        for (const ref of refs) {
          const problem = doc.components.schemas[ref.replace('#/components/schemas/', '')]!;
          const statuses = problem.properties?.status?.enum ?? [problem.properties?.status?.const];
          expect(statuses, `${method} ${path} ${status}: ${ref}`).toContain(Number(status));
        }
      }
    }
  });

  it('says a write needs the token and may be refused for it, and a read does not', () => {
    const numVfs = doc.paths['/api/v1/hosts/{host}/pfs/{pf}/numvfs']!.put!;
    expect(Object.keys(numVfs.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '422', '500']));
    const topology = doc.paths['/api/v1/hosts/{host}/topology']!.get!;
    // A bad percent-encoding in {host} is 400; a body, which no read takes, must still be JSON of at most 64 kB (413, 415); Node's parser refuses slow (408) and oversize (431) requests.
    expect(Object.keys(topology.responses).sort()).toEqual(['200', '304', '400', '404', '408', '413', '415', '421', '431', '500', '502', '503', '504']);
  });

  it('describes the topology endpoint with the schema generated from the model', () => {
    expect(doc.openapi).toBe('3.1.0');
    const topology = doc.components.schemas.Topology as { properties: Record<string, unknown>; required: string[] };
    expect(topology.required).toEqual(expect.arrayContaining(['host', 'cards', 'pfs', 'devices', 'iommuGroups', 'vms', 'warnings']));
    // -1 in sysfs becomes null, and the document says the field may be null.
    const pf = doc.components.schemas.Pf as { properties: Record<string, { anyOf?: { type: string }[] }> };
    expect(pf.properties.numaNode?.anyOf?.map((s) => s.type)).toEqual(['integer', 'null']);
  });

  it('has no reference to a schema it does not define', () => {
    const names = new Set(Object.keys(doc.components.schemas).map((n) => `#/components/schemas/${n}`));
    const dangling = refsIn(doc).filter((r) => !names.has(r));
    expect(dangling).toEqual([]);
  });
});
