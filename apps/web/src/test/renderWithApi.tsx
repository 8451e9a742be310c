import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ApiClientProvider, type ApiClient, type EventStream } from '../api/apiClient';

/** Renders with a fresh query cache and an API client pointed at `baseUrl` (a real server). */
export function renderWithApi(ui: ReactElement, options: { baseUrl: string; openEvents?: ((url: string) => EventStream) | null }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
  const client: ApiClient = { baseUrl: options.baseUrl, fetch: globalThis.fetch.bind(globalThis), openEvents: options.openEvents ?? null };
  const result = render(
    <ApiClientProvider client={client}>
      <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
    </ApiClientProvider>,
  );
  return { ...result, queryClient };
}
