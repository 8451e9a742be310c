/**
 * The answers public/preload.js asked for while the page's JavaScript was still loading, as it
 * leaves them on window: every response by absolute URL, and the 200 JSON answers it has
 * already read and parsed by the time the app starts. Each is handed out once; any second
 * request for the same URL goes to the network.
 */
export interface PreloadedAnswers {
  responses: Map<string, Promise<Response>>;
  parsed: Map<string, PreloadedJson>;
  /** settles once every answer the page will want first is in and parsed, or failed. */
  done?: Promise<void>;
}

export interface PreloadedJson {
  etag: string | null;
  body: unknown;
}

/**
 * A fetch that answers a plain GET of a preloaded URL with the preloaded response, once. One with
 * If-None-Match wants a fresh validation and goes to the network.
 */
export function preloadedFetch(network: typeof fetch, preloaded: PreloadedAnswers | undefined): typeof fetch {
  if (!preloaded) return network;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init?.headers);
    const answer = preloaded.responses.get(url);
    if (answer && method === 'GET' && !headers.has('if-none-match')) {
      forget(preloaded, url);
      return answer;
    }
    return network(input, init);
  };
}

/**
 * The parsed body of a preloaded answer that is already in, without waiting: the app can start
 * with its data instead of a loading state. Taken once; null when it is not (yet) there.
 */
export function takePreloadedJson(preloaded: PreloadedAnswers | undefined, url: string): PreloadedJson | null {
  const found = preloaded?.parsed.get(url);
  // A parsed copy of a response the fetch already handed out is not news.
  if (!preloaded || !found || !preloaded.responses.has(url)) return null;
  forget(preloaded, url);
  return found;
}

function forget(preloaded: PreloadedAnswers, url: string): void {
  preloaded.responses.delete(url);
  preloaded.parsed.delete(url);
}
