import { vi } from 'vitest';

/**
 * A fetch stand-in for the agent routes the fixture server does not serve (issue 14's writes):
 * each route answers JSON or a problem+json, and every request is logged with its method, path,
 * body and the headers a write must carry. Install it with vi.stubGlobal('fetch', …) before the
 * component renders (renderWithApi binds globalThis.fetch then).
 */
export interface StubAnswer {
  status?: number;
  body: unknown;
  /** answer as application/problem+json. */
  problem?: boolean;
}

export interface StubRoute {
  method: string;
  path: RegExp;
  answer: (body: unknown, path: string) => StubAnswer | Promise<StubAnswer>;
}

export interface StubbedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
  ifMatch: string | null;
}

export const STUB_BASE = 'http://agent.test';

/** `passThrough`: the fetch that answers what no route takes (the fixture server's topology), else a 404 problem. */
export function stubAgent(routes: StubRoute[], passThrough: typeof globalThis.fetch | null = null) {
  const log: StubbedRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init.method ?? 'GET').toUpperCase();
    const path = decodeURIComponent(url.pathname);
    const route = routes.find((r) => r.method === method && r.path.test(path));
    if (!route && passThrough) return passThrough(input, init);
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    log.push({ method, path, body, authorization: headers.get('authorization'), ifMatch: headers.get('if-match') });
    const answer: StubAnswer = route
      ? await route.answer(body, path)
      : { status: 404, problem: true, body: { type: 'urn:vfmap:problem:not-found', title: 'Not found', status: 404, detail: `no route ${method} ${path}` } };
    const status = answer.status ?? 200;
    return new Response(JSON.stringify(answer.body), {
      status,
      headers: { 'content-type': answer.problem ? 'application/problem+json' : 'application/json' },
    });
  });
  return { fetch, log, writes: () => log.filter((r) => r.method !== 'GET') };
}
