import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { peerRequest, PeerUnreachableError } from './peerRequest';

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(server: net.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

const agent = () => new http.Agent({ keepAlive: true });

describe('peerRequest', () => {
  it('says a write that timed out was sent: it may have happened on the peer', async () => {
    const silent = await listen(net.createServer(() => {}));
    const err = await peerRequest(silent, '/api/v1/x', agent(), { method: 'PUT', body: '{}', timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PeerUnreachableError);
    expect(err).toMatchObject({ kind: 'timeout', sent: true });
  });

  it('says nothing was sent when nothing listens', async () => {
    const server = net.createServer();
    const url = await listen(server);
    server.close();
    await new Promise((r) => setTimeout(r, 50));
    const err = await peerRequest(url, '/', agent(), { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'refused', sent: false });
  });

  it('answers a read after the peer dropped the kept-alive connection', async () => {
    let requests = 0;
    const server = http.createServer((req, res) => {
      requests += 1;
      res.end('ok');
      // The peer drops the idle connection right after answering (as a restarted agent's sockets are gone).
      res.on('finish', () => setImmediate(() => req.socket.destroy()));
    });
    const url = await listen(server);
    const keep = agent();
    expect((await peerRequest(url, '/', keep, { timeoutMs: 1000 })).status).toBe(200);
    expect((await peerRequest(url, '/', keep, { timeoutMs: 1000 })).status).toBe(200);
    expect(requests).toBe(2);
  });

  it('refuses an answer larger than its limit', async () => {
    const big = await listen(http.createServer((_req, res) => res.end(Buffer.alloc(4096))));
    await expect(peerRequest(big, '/', agent(), { timeoutMs: 1000, maxBytes: 1024 })).rejects.toThrow(/more than 1024 bytes/);
  });
});
