import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fleetHosts } from './fleetFixtures';
import { startFixtureServer } from './fixtureServer';

/**
 * The built page (apps/web/dist) against the fake agent serving the test fleet, on one origin,
 * to look at the fleet overview in a browser without real hosts:
 *
 *   npm run build -w @vfmap/web && node --import tsx apps/web/src/test/previewFleet.ts [port]
 */
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const dist = join(import.meta.dirname, '../../dist');
const { hosts, options } = fleetHosts();
const api = await startFixtureServer(hosts, options);
const apiUrl = new URL(api.baseUrl);

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://preview').pathname;
  if (path.startsWith('/api/')) {
    const upstream = request({ host: apiUrl.hostname, port: apiUrl.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
    return;
  }
  const file = normalize(join(dist, path === '/' ? 'index.html' : path));
  const found = file.startsWith(dist) && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
  res.setHeader('content-type', TYPES[extname(found)] ?? 'application/octet-stream');
  createReadStream(found).pipe(res);
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`Open http://127.0.0.1:${port}/`);
});
