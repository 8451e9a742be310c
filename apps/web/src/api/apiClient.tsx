import { createContext, useContext, type ReactNode } from 'react';
import { preloadedFetch, type PreloadedAnswers } from './preloadedAnswers';

/** The smallest part of EventSource the page uses, so tests can hand in their own. */
export interface EventStream {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}

export const EVENT_STREAM_OPEN = 1;
export const EVENT_STREAM_CLOSED = 2;

/**
 * How the page reaches the agent: a base URL, a fetch and a way to open an event stream. The
 * browser gets window's; tests pass a fetch bound to a real local server and their own streams.
 */
export interface ApiClient {
  baseUrl: string;
  fetch: typeof fetch;
  openEvents: ((url: string) => EventStream) | null;
}

declare global {
  interface Window {
    /** answers public/preload.js asked for during page load, by absolute URL. */
    __vfmapPreloaded?: PreloadedAnswers;
  }
}

export function browserApiClient(preloaded: PreloadedAnswers | undefined): ApiClient {
  return {
    baseUrl: window.location.origin,
    fetch: preloadedFetch(window.fetch.bind(window), preloaded),
    openEvents: typeof EventSource === 'function' ? (url) => new EventSource(url) : null,
  };
}

const ApiClientContext = createContext<ApiClient | null>(null);

export function ApiClientProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiClientContext.Provider value={client}>{children}</ApiClientContext.Provider>;
}

export function useApiClient(): ApiClient {
  const client = useContext(ApiClientContext);
  if (!client) throw new Error('useApiClient needs an <ApiClientProvider> above it');
  return client;
}
