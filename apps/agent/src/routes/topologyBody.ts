import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Topology } from '@vfmap/model';

const gzip = promisify(gzipCallback);

interface Bodies {
  identity: Buffer;
  gzip: Promise<Buffer> | null;
}

/**
 * The bytes of each topology version, serialized once and gzipped once: a topology object is
 * never changed after it is made (TopologyService makes a new one per scan), so it is the key, and
 * its bytes go when it does. Half a megabyte of JSON per request was most of what a GET cost.
 */
const bodies = new WeakMap<Topology, Bodies>();

function bodiesOf(topology: Topology): Bodies {
  let kept = bodies.get(topology);
  if (!kept) {
    kept = { identity: Buffer.from(JSON.stringify(topology), 'utf8'), gzip: null };
    bodies.set(topology, kept);
  }
  return kept;
}

/**
 * Whether an Accept-Encoding header takes gzip rather than the bytes as they are: gzip (or `*`)
 * with a weight above 0 and at least identity's, which is 1 unless the header says otherwise
 * (RFC 9110 §12.5.3). No header: identity.
 */
export function prefersGzip(header: string | undefined): boolean {
  if (!header) return false;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (!coding) continue;
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    weights.set(coding.trim() === 'x-gzip' ? 'gzip' : coding.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const of = (coding: string, otherwise: number) => weights.get(coding) ?? weights.get('*') ?? otherwise;
  const gzipWeight = of('gzip', 0);
  return gzipWeight > 0 && gzipWeight >= of('identity', 1);
}

/**
 * Answers a GET of a topology: its strong ETag, revalidated every time (the page polls, and a
 * 304 costs one fingerprint check at most), 304 to an If-None-Match that names it, else the
 * topology's bytes.
 */
export async function answerTopology(req: IncomingMessage, res: ServerResponse, { topology, etag }: { topology: Topology; etag: string }): Promise<void> {
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  if (ifNoneMatch(req.headers['if-none-match'], etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  await sendTopology(req, res, topology);
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

/**
 * Sends a topology as JSON, gzipped when the client prefers gzip, from the bytes kept for it. The
 * answer carries its own Content-Encoding, so the compression middleware leaves it alone.
 */
export async function sendTopology(req: IncomingMessage, res: ServerResponse, topology: Topology): Promise<void> {
  const kept = bodiesOf(topology);
  let body = kept.identity;
  const zipped = prefersGzip(req.headers['accept-encoding']);
  if (zipped) {
    kept.gzip ??= gzip(kept.identity, { level: 6 }).catch((err: unknown) => {
      kept.gzip = null;
      throw err;
    });
    body = await kept.gzip;
  }
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (zipped) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}
