import { Router } from 'express';
import type { HostRegistry } from '../hostRegistry';

export function topologyRoutes(hosts: HostRegistry): Router {
  const router = Router();
  router.get('/api/v1/hosts/:host/topology', async (req, res) => {
    const { topology, etag } = await hosts.get(req.params.host).topology();
    res.setHeader('ETag', etag);
    // Revalidate every time: the page polls, and a 304 costs one fingerprint check.
    res.setHeader('Cache-Control', 'no-cache');
    if (ifNoneMatch(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    res.json(topology);
  });
  return router;
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
