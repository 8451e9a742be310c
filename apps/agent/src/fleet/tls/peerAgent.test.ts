import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Agent, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePveCluster, type PveCluster } from '../../testing/pveCluster';
import { certFingerprint } from './fingerprint';
import { PeerTlsError, peerHttpsAgent } from './peerAgent';
import { serverTlsFor } from './serverTls';

/** A real HTTPS server on 127.0.0.1:0 that counts what reaches it: connections and HTTP requests. */
interface CountingServer {
  port: number;
  /** Every TCP connection accepted, in order (before its TLS handshake). */
  connections: Socket[];
  requests: number;
  close(): Promise<void>;
}

async function countingServer(cert: string, key: string): Promise<CountingServer> {
  const counts = { requests: 0 };
  const connections: Socket[] = [];
  const server: Server = createServer({ cert, key }, (_req, res) => {
    counts.requests += 1;
    res.end('ok');
  });
  server.on('connection', (socket: Socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    get requests() {
      return counts.requests;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** GET / through `agent`: the status, or the error the request failed with. */
function get(agent: Agent, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent, headers: { Authorization: 'Bearer secret-token' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function refusal(promise: Promise<unknown>): Promise<PeerTlsError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PeerTlsError);
  return err as PeerTlsError;
}

let tmp: string;
let cluster: PveCluster;
let other: PveCluster;
let pve1: CountingServer;
let pve1Fingerprint: string;
const agents: Agent[] = [];
const agent = (...args: Parameters<typeof peerHttpsAgent>) => {
  const made = peerHttpsAgent(...args);
  agents.push(made);
  return made;
};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'vfmap-peer-'));
  cluster = makePveCluster(join(tmp, 'cluster'), [
    { name: 'pve1', ip: '192.0.2.11' },
    { name: 'pve2', ip: '192.0.2.12' },
  ]);
  other = makePveCluster(join(tmp, 'other'), [{ name: 'pve1', ip: '192.0.2.11' }], { clusterName: 'othercluster' });
  const cert = readFileSync(join(cluster.dir, 'nodes/pve1/pve-ssl.pem'), 'utf8');
  pve1 = await countingServer(cert, readFileSync(join(cluster.dir, 'nodes/pve1/pve-ssl.key'), 'utf8'));
  pve1Fingerprint = certFingerprint(cert);
});
afterAll(async () => {
  for (const a of agents) a.destroy();
  await pve1?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * Runs a refused `attempt` and says how many connections and requests reached pve1 meanwhile, counted
 * once the server has seen each of those connections close: whatever the client wrote has been read.
 */
async function seenRefused(attempt: () => Promise<unknown>): Promise<{ connections: number; requests: number }> {
  const before = { connections: pve1.connections.length, requests: pve1.requests };
  await attempt();
  const opened = pve1.connections.slice(before.connections);
  await Promise.all(opened.map((socket) => (socket.closed ? undefined : new Promise((resolve) => socket.once('close', resolve)))));
  return { connections: opened.length, requests: pve1.requests - before.requests };
}

describe('a peer pinned by its certificate fingerprint', () => {
  it('gets the request when it shows the pinned certificate, however the pin is written', async () => {
    expect(await get(agent({ fingerprint: pve1Fingerprint }), pve1.port)).toBe(200);
    expect(await get(agent({ fingerprint: `sha256:${pve1Fingerprint.replace(/:/g, '').toLowerCase()}` }), pve1.port)).toBe(200);
  });

  it('is refused for another certificate before the request is written: the server sees a connection and no request', async () => {
    const wrong = certFingerprint(readFileSync(join(cluster.dir, 'nodes/pve2/pve-ssl.pem'), 'utf8'));
    let err: PeerTlsError | undefined;
    const counts = await seenRefused(async () => {
      err = await refusal(get(agent({ fingerprint: wrong }), pve1.port));
    });
    expect(counts).toEqual({ connections: 1, requests: 0 });
    expect(err!.reason).toBe('fingerprint-mismatch');
    expect(err!.seen).toBe(pve1Fingerprint);
    expect(err!.message).toContain(`127.0.0.1:${pve1.port} presented the certificate ${pve1Fingerprint}`);
    expect(err!.message).toContain(`the pinned fingerprint is ${wrong}`);
  });

  it('wins over a CA that would also accept the peer', async () => {
    const err = await refusal(get(agent({ fingerprint: '00'.repeat(32), ca: cluster.ca.cert }), pve1.port));
    expect(err.reason).toBe('fingerprint-mismatch');
  });

  it('refuses a pin that is not a SHA-256 fingerprint when the agent is made', () => {
    expect(() => peerHttpsAgent({ fingerprint: 'AB:CD' })).toThrow('is not a SHA-256 certificate fingerprint');
  });

  it('accepts a self-signed state-dir certificate by its fingerprint', async () => {
    const own = await serverTlsFor({ root: join(tmp, 'root'), stateDir: join(tmp, 'state'), proxmox: false, hostname: 'vfhost' });
    const server = await countingServer(own.cert, own.key);
    try {
      expect(await get(agent({ fingerprint: own.fingerprint }), server.port)).toBe(200);
      expect(server.requests).toBe(1);
      const err = await refusal(get(agent({ ca: cluster.ca.cert }), server.port));
      expect(err.reason).toBe('untrusted');
    } finally {
      await server.close();
    }
  });
});

describe('a peer checked against the cluster CA', () => {
  it('gets the request when its certificate is signed by the CA and names the address or name dialled', async () => {
    expect(await get(agent({ ca: cluster.ca.cert }), pve1.port)).toBe(200);
    expect(await get(agent({ ca: cluster.ca.cert, serverName: '127.0.0.1' }), pve1.port)).toBe(200);
    expect(await get(agent({ ca: cluster.ca.cert, serverName: 'localhost' }), pve1.port)).toBe(200);
    expect(await get(agent({ ca: cluster.ca.cert, serverName: 'pve1' }), pve1.port)).toBe(200);
  });

  it('is refused as untrusted when another CA signed it, and sees no request', async () => {
    let err: PeerTlsError | undefined;
    const counts = await seenRefused(async () => {
      err = await refusal(get(agent({ ca: other.ca.cert, serverName: 'pve1' }), pve1.port));
    });
    expect(counts).toEqual({ connections: 1, requests: 0 });
    expect(err!.reason).toBe('untrusted');
    expect(err!.seen).toBe(pve1Fingerprint);
    expect(err!.message).toContain('not signed by the CA CN=Proxmox Virtual Environment, OU=othercluster');
  });

  it('is refused as a name mismatch when the certificate does not carry the expected name, and sees no request', async () => {
    let err: PeerTlsError | undefined;
    const counts = await seenRefused(async () => {
      err = await refusal(get(agent({ ca: cluster.ca.cert, serverName: 'pve2' }), pve1.port));
    });
    expect(counts).toEqual({ connections: 1, requests: 0 });
    expect(err!.reason).toBe('name-mismatch');
    expect(err!.message).toMatch(/which is for .*DNS:pve1.*, not pve2$/);
  });
});

describe('a peer checked against the system CAs', () => {
  it('is refused as untrusted when a private CA signed it', async () => {
    const err = await refusal(get(agent({}), pve1.port));
    expect(err.reason).toBe('untrusted');
    expect(err.message).toContain("not signed by the system's CAs");
  });
});

describe('the connection', () => {
  it('is checked once and kept for the next request', async () => {
    const kept = agent({ fingerprint: pve1Fingerprint });
    const before = { connections: pve1.connections.length, requests: pve1.requests };
    for (let i = 0; i < 3; i += 1) expect(await get(kept, pve1.port)).toBe(200);
    expect({ connections: pve1.connections.length - before.connections, requests: pve1.requests - before.requests }).toEqual({ connections: 1, requests: 3 });
  });

  it('gives up on a peer that accepts the connection and never answers the handshake', async () => {
    const silent = createNetServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const err = await get(agent({ fingerprint: pve1Fingerprint }, { handshakeTimeoutMs: 200 }), port).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`the TLS handshake with 127.0.0.1:${port} did not finish in 200 ms`);
    } finally {
      silent.close();
    }
  });

  it('passes a connection error through as it is', async () => {
    const closed = await countingServer(cluster.ca.cert, cluster.ca.key);
    await closed.close();
    const err = await get(agent({ fingerprint: pve1Fingerprint }), closed.port).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(PeerTlsError);
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
