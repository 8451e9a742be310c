import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import compression from 'compression';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageRoutes } from './pageRoutes';

// A built page on disk, served by pageRoutes behind the same compression middleware as the agent,
// asked over real HTTP with the Accept-Encoding a browser sends (Node's fetch would decode for us).
const script = 'console.log("vfmap");\n'.repeat(200);
let dir: string;
let server: Server;
let port: number;
let hint: string | null = 'lab1';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vfmap-page-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>vfmap</title><meta name="vfmap-host" content="" />');
  writeFileSync(join(dir, 'preload.js'), '(function () {})();');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), script);
  writeFileSync(join(dir, 'assets', 'index-abc.js.br'), brotliCompressSync(script));
  writeFileSync(join(dir, 'assets', 'index-abc.js.gz'), gzipSync(script));
  const app = express();
  app.use(compression());
  app.use(pageRoutes(dir, () => hint));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('pageRoutes', () => {
  it('sends the brotli twin of a bundle to a browser that accepts br, typed as JavaScript', async () => {
    const res = await get('/assets/index-abc.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it('sends the gzip twin when br is not accepted, and the plain file when nothing is', async () => {
    const gz = await get('/assets/index-abc.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    const plain = await get('/assets/index-abc.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
    const refused = await get('/assets/index-abc.js', { 'accept-encoding': 'br;q=0, gzip' });
    expect(refused.headers['content-encoding']).toBe('gzip');
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await get('/assets/index-abc.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.body.length).toBe(0);
  });

  it('has the page revalidate what has no hash in its name', async () => {
    const pre = await get('/preload.js');
    expect(pre.status).toBe(200);
    expect(pre.headers['cache-control']).toBe('no-cache');
    const index = await get('/');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body.toString()).toContain('<title>vfmap</title>');
  });

  it('names the first host in index.html, escaped, so that preload.js can ask for its topology at once', async () => {
    expect((await get('/')).body.toString()).toContain('<meta name="vfmap-host" content="lab1" />');
    hint = 'a"b<c>&d';
    try {
      expect((await get('/index.html')).body.toString()).toContain('<meta name="vfmap-host" content="a&quot;b&lt;c&gt;&amp;d" />');
      hint = null;
      expect((await get('/')).body.toString()).toContain('<meta name="vfmap-host" content="" />');
    } finally {
      hint = 'lab1';
    }
  });

  it('answers any other GET with index.html (the page routes on the client)', async () => {
    const res = await get('/hosts/lab1?x=1');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body.toString()).toContain('<title>vfmap</title>');
    expect(res.body.toString()).toContain('content="lab1"');
  });
});
