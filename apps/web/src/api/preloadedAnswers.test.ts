import { describe, expect, it } from 'vitest';
import { preloadedFetch, takePreloadedJson, type PreloadedAnswers } from './preloadedAnswers';

function recordingFetch() {
  const calls: string[] = [];
  const network: typeof fetch = (input) => {
    calls.push(String(input));
    return Promise.resolve(new Response('network'));
  };
  return { calls, network };
}

function answers(responses: [string, Promise<Response>][], parsed: [string, { etag: string | null; body: unknown }][] = []): PreloadedAnswers {
  return { responses: new Map(responses), parsed: new Map(parsed) };
}

describe('preloadedFetch', () => {
  it('answers the first GET of a preloaded URL from the preload, and the next from the network', async () => {
    const { calls, network } = recordingFetch();
    const f = preloadedFetch(network, answers([['http://agent/api/v1/hosts', Promise.resolve(new Response('preloaded'))]]));
    expect(await (await f('http://agent/api/v1/hosts')).text()).toBe('preloaded');
    expect(await (await f('http://agent/api/v1/hosts')).text()).toBe('network');
    expect(calls).toEqual(['http://agent/api/v1/hosts']);
  });

  it('sends a revalidation (If-None-Match) to the network', async () => {
    const { calls, network } = recordingFetch();
    const f = preloadedFetch(network, answers([['http://agent/t', Promise.resolve(new Response('preloaded'))]]));
    expect(await (await f('http://agent/t', { headers: { 'if-none-match': '"e"' } })).text()).toBe('network');
    expect(calls).toEqual(['http://agent/t']);
  });

  it('passes a failed preload on, as the app would have seen it', async () => {
    const { network } = recordingFetch();
    const failed = Promise.reject(new TypeError('Failed to fetch'));
    failed.catch(() => undefined);
    const f = preloadedFetch(network, answers([['http://agent/t', failed]]));
    await expect(f('http://agent/t')).rejects.toThrow('Failed to fetch');
  });

  it('is plain fetch when nothing was preloaded', () => {
    const { network } = recordingFetch();
    expect(preloadedFetch(network, undefined)).toBe(network);
  });
});

describe('takePreloadedJson', () => {
  it('hands out a parsed answer once, and the fetch then goes to the network', async () => {
    const { calls, network } = recordingFetch();
    const preloaded = answers([['http://agent/t', Promise.resolve(new Response('{"a":1}'))]], [['http://agent/t', { etag: '"e1"', body: { a: 1 } }]]);
    expect(takePreloadedJson(preloaded, 'http://agent/t')).toEqual({ etag: '"e1"', body: { a: 1 } });
    expect(takePreloadedJson(preloaded, 'http://agent/t')).toBeNull();
    expect(await (await preloadedFetch(network, preloaded)('http://agent/t')).text()).toBe('network');
    expect(calls).toEqual(['http://agent/t']);
  });

  it('is null for an answer still on its way, which the fetch then hands out', async () => {
    const { network } = recordingFetch();
    const preloaded = answers([['http://agent/t', Promise.resolve(new Response('preloaded'))]]);
    expect(takePreloadedJson(preloaded, 'http://agent/t')).toBeNull();
    expect(await (await preloadedFetch(network, preloaded)('http://agent/t')).text()).toBe('preloaded');
    // …and once the fetch has it, the parsed copy is not handed out a second time.
    preloaded.parsed.set('http://agent/t', { etag: null, body: 1 });
    expect(takePreloadedJson(preloaded, 'http://agent/t')).toBeNull();
  });

  it('is null when nothing was preloaded', () => {
    expect(takePreloadedJson(undefined, 'http://agent/t')).toBeNull();
  });
});
