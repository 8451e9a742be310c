import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { withPageNonce } from './securityHeaders';

/** Encodings the web build writes beside each large file, best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** The tag in index.html that names the host the page opens first; the agent fills it in. */
const HOST_HINT = '<meta name="vfmap-host" content="" />';
/** The tag that carries this answer's CSP nonce, which the page puts on the one <style> it writes (GraphView). */
const NONCE_TAG = '<meta name="vfmap-csp-nonce" content="" />';

/**
 * The built page: index.html at `/` and for every other GET (the page routes on the client), and
 * its files. index.html names the first host (`hostHint`), so that public/preload.js can ask for
 * its topology at once instead of after the host list. A file the build compressed ahead of time (x.js.br, x.js.gz) is sent compressed as
 * the browser accepts, so the agent does not gzip the same half megabyte of JavaScript for every
 * visitor. Files under /assets/ carry a content hash in their name and are cached for good;
 * everything else is revalidated, so a new version of the agent serves a new page at once.
 */
export function pageRoutes(webDir: string, hostHint: () => string | null = () => null): Router {
  const router = Router();
  const compressed = compressedFiles(webDir);
  const sendIndex = (_req: Request, res: Response, next: NextFunction) => {
    readFile(join(webDir, 'index.html'), 'utf8').then((html) => {
      const host = hostHint();
      const nonce = withPageNonce(res);
      let page = host === null ? html : html.replace(HOST_HINT, `<meta name="vfmap-host" content="${escapeAttribute(host)}" />`);
      page = page.replace(NONCE_TAG, `<meta name="vfmap-csp-nonce" content="${escapeAttribute(nonce)}" />`);
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(page);
    }, next);
  };
  router.get(['/', '/index.html'], sendIndex);

  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const variants = compressed.get(req.path);
    if (!variants) return next();
    // Caches must keep one copy per encoding, whichever this request gets.
    res.vary('Accept-Encoding');
    // Our order, not the browser's: Chromium lists gzip before br with the same weight.
    const chosen = variants.find((v) => req.acceptsEncodings(v.name) === v.name);
    if (!chosen) return next();
    // The type of the file, not of its .br; send() keeps a Content-Type already set, and the
    // compression middleware leaves an answer with a Content-Encoding alone.
    res.type(extname(req.path));
    res.setHeader('Content-Encoding', chosen.name);
    const query = req.url.slice(req.path.length);
    req.url = req.path + chosen.suffix + query;
    next();
  });
  router.use(express.static(webDir, { index: false, setHeaders: cacheHeaders }));
  router.get(/.*/, sendIndex);
  return router;
}

function cacheHeaders(res: Response, path: string): void {
  const hashed = path.split(sep).includes('assets');
  res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** URL path of each file that has compressed twins → the encodings it has, best first. */
function compressedFiles(webDir: string): Map<string, { name: string; suffix: string }[]> {
  const found = new Map<string, { name: string; suffix: string }[]>();
  if (!existsSync(webDir)) return found;
  const files = new Set(readdirSync(webDir, { recursive: true, encoding: 'utf8' }).map((f) => f.split(sep).join('/')));
  for (const file of files) {
    const variants = ENCODINGS.filter((e) => files.has(file + e.suffix));
    if (variants.length > 0) found.set(`/${file}`, [...variants]);
  }
  return found;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
