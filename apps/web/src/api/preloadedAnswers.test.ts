import { describe, expect, it } from 'vitest';
import { preloadedFetch } from './preloadedFetch';

function recordingFetch() {
  const calls: string[] = [];
  const network: typeof fetch = (input) => {
    calls.push(String(input));
    return Promise.resolve(new Response('network'));
  };
  return { calls, network };
}

describe('preloadedFetch', () => {
  it('answers the first GET of a preloaded URL from the preload, and the next from the network', async () => {
    const { calls, network } = recordingFetch();
    const preloaded = new Map([['http://agent/api/v1/hosts', Promise.resolve(new Response('preloaded'))]]);
    const f = preloadedFetch(network, preloaded);
    expect(await (await f('http://agent/api/v1/hosts')).text()).toBe('preloaded');
    expect(await (await f('http://agent/api/v1/hosts')).text()).toBe('network');
    expect(calls).toEqual(['http://agent/api/v1/hosts']);
  });

  it('sends a revalidation (If-None-Match) to the network', async () => {
    const { calls, network } = recordingFetch();
    const preloaded = new Map([['http://agent/t', Promise.resolve(new Response('preloaded'))]]);
    const f = preloadedFetch(network, preloaded);
    expect(await (await f('http://agent/t', { headers: { 'if-none-match': '"e"' } })).text()).toBe('network');
    expect(calls).toEqual(['http://agent/t']);
  });

  it('passes a failed preload on, as the app would have seen it', async () => {
    const { network } = recordingFetch();
    const failed = Promise.reject(new TypeError('Failed to fetch'));
    failed.catch(() => undefined);
    const f = preloadedFetch(network, new Map([['http://agent/t', failed]]));
    await expect(f('http://agent/t')).rejects.toThrow('Failed to fetch');
  });

  it('is plain fetch when nothing was preloaded', () => {
    const { network } = recordingFetch();
    expect(preloadedFetch(network, undefined)).toBe(network);
  });
});
