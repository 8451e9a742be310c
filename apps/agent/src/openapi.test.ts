import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi';

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

describe('the OpenAPI document', () => {
  const doc = buildOpenApi() as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };

  it('describes the topology endpoint with the schema generated from the model', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/hosts/{host}/topology');
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
