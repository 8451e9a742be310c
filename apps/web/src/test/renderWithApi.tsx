import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ApiClientProvider, type ApiClient, type EventStream } from '../api/apiClient';
import { WriteAccessProvider } from '../components/writes/WriteAccessProvider';

/**
 * Renders with a fresh query cache, an API client pointed at `baseUrl` (a real server) and the
 * write access, keeping its token in `storage` (the tab's sessionStorage unless given).
 */
export function renderWithApi(
  ui: ReactElement,
  options: { baseUrl: string; openEvents?: ((url: string) => EventStream) | null; storage?: Storage | null },
) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
  const client: ApiClient = { baseUrl: options.baseUrl, fetch: globalThis.fetch.bind(globalThis), openEvents: options.openEvents ?? null };
  const result = render(
    <ApiClientProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <WriteAccessProvider storage={options.storage}>{ui}</WriteAccessProvider>
      </QueryClientProvider>
    </ApiClientProvider>,
  );
  return { ...result, queryClient };
}
