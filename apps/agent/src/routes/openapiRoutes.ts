import { Router } from 'express';
import { buildOpenApi } from '../openapi';

export function openapiRoutes(): Router {
  const router = Router();
  const doc = buildOpenApi();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(doc);
  });
  return router;
}
