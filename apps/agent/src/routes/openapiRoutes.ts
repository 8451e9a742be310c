import { z } from 'zod';
import { route, type RouteHandlers } from './route';

/** The document GET /api/v1/openapi.json serves; openapi.ts writes it from the route declarations. */
export const OpenApiDocument = z.record(z.string(), z.unknown()).describe('an OpenAPI 3.1 document');

export const openapiRoutes = {
  getOpenApi: route({
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document.',
    params: z.object({}),
    answer: { description: 'OpenAPI 3.1', schema: OpenApiDocument },
    problems: [],
  }),
};

export function openapiHandlers(document: z.input<typeof OpenApiDocument>): RouteHandlers<typeof openapiRoutes> {
  return {
    getOpenApi: () => document,
  };
}
