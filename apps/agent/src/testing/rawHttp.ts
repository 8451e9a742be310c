import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Test support: one request with node:http, from `localAddress` when given (any 127.x.y.z is
 * this machine on Linux, so a test can be a second client address), without keep-alive.
 */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false, ...(options.localAddress ? { localAddress: options.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An event stream held open: its status, and how to close it. A refused one (not 200) is read to the end and closed. */
export interface HeldStream {
  status: number;
  close(): void;
}

export function holdStream(url: string, localAddress?: string): Promise<HeldStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { Accept: 'text/event-stream' }, ...(localAddress ? { localAddress } : {}) }, (res) => {
      if (res.statusCode !== 200) res.resume();
      resolve({ status: res.statusCode!, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}
