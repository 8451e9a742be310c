/**
 * A fetch that hands out, once each, the answers public/preload.js asked for while the page was
 * loading; every other request (and any second request for the same URL) goes to the network.
 * Only plain GETs take a preloaded answer: one with If-None-Match wants a fresh validation.
 */
export function preloadedFetch(network: typeof fetch, preloaded: Map<string, Promise<Response>> | undefined): typeof fetch {
  if (!preloaded) return network;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init?.headers);
    const answer = preloaded.get(url);
    if (answer && method === 'GET' && !headers.has('if-none-match')) {
      preloaded.delete(url);
      return answer;
    }
    return network(input, init);
  };
}
